"""Sweeps over evaluate: one stored evaluation per row, shared with single evaluations."""

from __future__ import annotations

import pytest

from prompt_vs_finetune.data import load_tickets
from prompt_vs_finetune.measure.evaluate import KIND, evaluate
from prompt_vs_finetune.measure.sweeps import accuracy_per_token, compare, kshot_sweep
from prompt_vs_finetune.prompting.fewshot import build_prompt
from prompt_vs_finetune.store.results import ResultsStore


def test_kshot_sweep_rows_are_stored_evaluations(tiny_lm, tmp_cache):
    task = load_tickets()
    table = kshot_sweep(tiny_lm, task, (0, 1), n=6)
    assert table.column("k") == [0, 1] and table.column("n") == [6, 6]
    assert set(table[0]) == {"k", "accuracy", "low", "high", "macro_f1", "tokens_per_request",
                             "seconds", "n"}  # fmt: skip
    assert table[1]["low"] <= table[1]["accuracy"] <= table[1]["high"]
    assert len(ResultsStore(verbose=False).entries(KIND)) == 2
    one = evaluate(tiny_lm, task, k=1, n=6)
    assert one.cached and table[1]["accuracy"] == one.accuracy
    assert table[1]["tokens_per_request"] == one.mean_tokens


def test_accuracy_per_token():
    table = [
        {"k": 0, "accuracy": 0.4, "tokens_per_request": 100.0},
        {"k": 2, "accuracy": 0.5, "tokens_per_request": 200.0},
        {"k": 4, "accuracy": 0.55, "tokens_per_request": 400.0},
    ]
    rows = accuracy_per_token(table)
    assert rows[0]["gain_per_1k_tokens"] is None
    assert rows[1]["gain_per_1k_tokens"] == pytest.approx(1.0)
    assert rows[2]["gain_per_1k_tokens"] == pytest.approx(0.5)
    with pytest.raises(ValueError):
        accuracy_per_token(table[1:])


def test_compare_one_row_per_condition(tiny_lm, tmp_cache):
    task = load_tickets("category")
    table = compare(
        {
            "0-shot": (tiny_lm, build_prompt(task, k=0)),
            "2-shot": (tiny_lm, build_prompt(task, k=2)),
            "0-shot + account": (tiny_lm, build_prompt(task, k=0), "account"),
        },
        task,
        n=4,
    )
    assert table.column("condition") == ["0-shot", "2-shot", "0-shot + account"]
    assert table[1]["tokens"] > table[0]["tokens"] and table[2]["tokens"] > table[0]["tokens"]
    assert set(table.results) == {"0-shot", "2-shot", "0-shot + account"}
    assert table.results["0-shot + account"].instance == "account"
    assert evaluate(tiny_lm, task, build_prompt(task, k=2), n=4).cached
