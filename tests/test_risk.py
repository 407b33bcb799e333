"""Hidden costs (lesson 03, C5 and C6): divergence, bad prompts, rollback, probes."""

from __future__ import annotations

import pytest

from prompt_vs_finetune.data import load_tickets
from prompt_vs_finetune.finetune.risk import (
    loss_summary,
    mislabeled,
    probe_cached,
    probe_summary,
    prompt_rollback,
)
from prompt_vs_finetune.measure.probes import PROBE_ITEMS
from prompt_vs_finetune.prompting.fewshot import build_prompt
from prompt_vs_finetune.store.results import ResultsStore


def test_loss_summary():
    s = loss_summary([3.0, float("nan"), 1.0, 2.0])
    assert s["not_finite"] == 1 and s["diverged"] and s["lowest"] == 1.0 and s["highest"] == 3.0


def test_mislabeled_moves_every_label():
    task = load_tickets("category")
    good = build_prompt(task, k=6, seed=0)
    bad = mislabeled(good)
    assert [ex.text for ex in bad.examples] == [ex.text for ex in good.examples]
    assert all(a.label != b.label for a, b in zip(good.examples, bad.examples, strict=True))
    assert bad.key() != good.key() and good.examples[0].label in task.labels
    with pytest.raises(ValueError):
        mislabeled(build_prompt(task, k=0))


def test_prompt_rollback_restores_exactly(tiny_lm):
    task = load_tickets("category")
    good = build_prompt(task, k=2, seed=0)
    out = prompt_rollback(tiny_lm, good, mislabeled(good), task.test[:4])
    assert out["restored_identical"] and out["restored_accuracy"] == out["good_accuracy"]
    assert out["rollback_seconds"] > 0 and out["n"] == 4


def test_probe_cached_round_trip(tiny_lm, tmp_cache):
    items = PROBE_ITEMS[:4]
    first = probe_cached(tiny_lm, items)
    second = probe_cached(tiny_lm, items)
    assert len(first.records) == 4 and list(second.records) == list(first.records)
    assert [e["kind"] for e in ResultsStore().entries()] == ["probe-general-ability"]
    s = probe_summary(first, second)
    assert s["forgotten"] == 0 and s["mean_p_gold_change"] == 0


def test_sample_answers_one_row_per_question(tiny_lm):
    from prompt_vs_finetune.finetune.risk import sample_answers

    rows = sample_answers({"a": tiny_lm, "b": tiny_lm}, ["Hi?", "Sea?"], max_new_tokens=2)
    assert [r["question"] for r in rows] == ["Hi?", "Sea?"]
    assert all(r["a"] == r["b"] for r in rows)  # same model, greedy: same answer


def test_plot_recovery():
    import matplotlib.pyplot as plt

    from prompt_vs_finetune.finetune.risk import plot_recovery

    ax = plot_recovery({"roll back the prompt": 2.0, "retrain": 90.0})
    assert ax.get_xscale() == "log" and len(ax.patches) == 2
    plt.close(ax.figure)
