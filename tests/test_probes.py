"""The general-ability probe: right shape, deterministic, and the base model passes it."""

from __future__ import annotations

import dataclasses

import pytest
import torch

from prompt_vs_finetune.measure.probes import (
    PROBE_ITEMS,
    ProbeResult,
    compare_probes,
    forgotten,
    probe_prompt,
    run_probe,
)
from prompt_vs_finetune.model.loading import load_model
from prompt_vs_finetune.ui.tables import Table


@pytest.fixture(scope="module", autouse=True)
def one_thread():
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def test_items_are_well_formed():
    assert 20 <= len(PROBE_ITEMS) <= 30
    assert len({q for _, q, _ in PROBE_ITEMS}) == len(PROBE_ITEMS)
    families = {f for f, _, _ in PROBE_ITEMS}
    for family in families:
        answers = {a for f, _, a in PROBE_ITEMS if f == family}
        assert len(answers) >= 4, family  # enough choices that guessing rarely passes
    prompt = probe_prompt(["Paris", "Rome"])
    assert prompt.render("What?").endswith("Question: What?\nAnswer:")
    assert prompt.answer("Paris") == " Paris\n"


def test_probe_on_a_tiny_model(tiny_lm):
    result = run_probe(tiny_lm)
    assert isinstance(result, ProbeResult) and isinstance(result.records, Table)
    assert len(result.records) == len(PROBE_ITEMS)
    assert result.accuracy == sum(r["correct"] for r in result.records) / len(PROBE_ITEMS)
    assert all(0 <= r["p_gold"] <= 1 for r in result.records)
    assert run_probe(tiny_lm).records == result.records  # deterministic
    assert "tiny-llama" in repr(result)


def _result(correct: list[bool]) -> ProbeResult:
    rows = [
        {
            "family": "f",
            "question": f"q{i}",
            "gold": "a",
            "predicted": "a" if ok else "b",
            "correct": ok,
            "p_gold": 0.9 if ok else 0.1,
        }
        for i, ok in enumerate(correct)
    ]
    return ProbeResult("m", Table(rows), sum(correct) / len(correct), 0.1)


def test_compare_names_every_change():
    before, after = _result([True, True, False, False]), _result([True, False, True, False])
    table = compare_probes(before, after)
    assert [r["status"] for r in table] == ["kept", "FORGOTTEN", "learned", "still wrong"]
    assert forgotten(before, after) == ["q1"]
    other = dataclasses.replace(after, records=Table([{**after.records[0], "question": "x"}]))
    with pytest.raises(ValueError):
        compare_probes(before, other)


def test_base_model_passes_every_question():
    """The suite holds what the course model can do today (a regression is any drop)."""
    result = run_probe(load_model(verbose=False))
    assert result.accuracy == 1.0, [r["question"] for r in result.records if not r["correct"]]
