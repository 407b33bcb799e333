"""k-shot sweeps go through the results store with the shared inputs; C9 rule."""

from __future__ import annotations

import pytest

from prompt_vs_finetune.data import load_tickets
from prompt_vs_finetune.measure.kshot import (
    KIND,
    accuracy_per_token,
    kshot_eval,
    kshot_inputs,
    kshot_sweep,
    verdict_for_c9,
)
from prompt_vs_finetune.prompting.fewshot import build_prompt
from prompt_vs_finetune.store.results import ResultsStore


def test_inputs_are_the_shared_schema(tiny_lm):
    task = load_tickets()
    inputs = kshot_inputs(tiny_lm, task, 2)
    assert set(inputs) == {"model", "task", "k", "strategy", "order", "split", "seed", "prompt"}
    assert inputs["prompt"] == build_prompt(task, k=2).key()
    assert kshot_inputs(tiny_lm, task, 2, n=10)["n"] == 10


def test_eval_and_sweep_are_cached(tiny_lm, tmp_cache):
    task = load_tickets()
    first = kshot_eval(tiny_lm, task, 1, n=6)
    assert first["_cached"] is False and first["k"] == 1 and first["n"] == 6
    assert kshot_eval(tiny_lm, task, 1, n=6)["_cached"] is True
    stored = ResultsStore(verbose=False).entries(KIND)
    assert len(stored) == 1 and stored[0]["inputs"]["n"] == 6
    table = kshot_sweep(tiny_lm, task, (0, 1), n=6)
    assert table.column("k") == [0, 1] and table[1]["accuracy"] == first["accuracy"]
    assert len(ResultsStore(verbose=False).entries(KIND)) == 2


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


@pytest.mark.parametrize(
    ("prompt", "tuned", "verdict"),
    [
        (0.80, 0.82, "supported"),
        (0.85, 0.80, "supported"),
        (0.74, 0.82, "partly"),
        (0.5, 0.9, "not at this scale"),
    ],
)
def test_verdict_for_c9(prompt, tuned, verdict):
    assert verdict_for_c9(prompt, tuned)[0] == verdict
