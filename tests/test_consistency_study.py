"""consistency_study: agreement under sampling, exact and sampled."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

from prompt_vs_finetune.data import load_tickets
from prompt_vs_finetune.measure.consistency import (
    agreement_curve,
    expected_agreement,
    plot_agreement,
    sampled_consistency,
)
from prompt_vs_finetune.prompting.fewshot import build_prompt


def test_expected_agreement_by_hand():
    lp = np.log([[0.5, 0.5, 1e-12], [0.9, 0.1, 1e-12]])
    assert expected_agreement(lp, 1.0) == pytest.approx([0.5, 0.82], abs=1e-6)
    assert expected_agreement(lp, 0) == pytest.approx([1, 1])
    # hotter: flatter, less agreement; colder: sharper, more
    assert expected_agreement(lp, 2.0)[1] < 0.82 < expected_agreement(lp, 0.5)[1]
    with pytest.raises(ValueError):
        expected_agreement(lp, -1)
    with pytest.raises(ValueError):
        expected_agreement(np.zeros(3), 1.0)


def test_agreement_curve_and_plot():
    sure = np.log([[0.98, 0.01, 0.01]] * 3)
    unsure = np.log([[0.5, 0.3, 0.2]] * 3)
    curve = agreement_curve({"sure": sure, "unsure": unsure}, [0.0, 1.0, 2.0])
    assert curve.column("temperature") == [0.0, 1.0, 2.0]
    assert curve[0]["sure"] == curve[0]["unsure"] == 1.0
    assert all(r["sure"] > r["unsure"] for r in curve[1:])
    ax = plot_agreement(curve, mark=1.0)
    assert len(ax.get_lines()) == 3  # two curves and the marker


def test_sampled_consistency_is_seeded_and_cached(tiny_lm, tmp_cache):
    task = load_tickets("category")
    prompt = build_prompt(task, k=0)
    examples = task.test[:2]
    r = sampled_consistency(
        tiny_lm, prompt, examples, n_samples=3, temperature=1.0, max_new_tokens=2
    )
    assert r["_cached"] is False and len(r["samples"]) == 2 and len(r["samples"][0]) == 3
    assert 0 < r["consistency"] <= 1 and 0 <= r["valid"] <= 1 and 0 <= r["modal_accuracy"] <= 1
    again = sampled_consistency(
        tiny_lm, prompt, examples, n_samples=3, temperature=1.0, max_new_tokens=2
    )
    assert again["_cached"] is True and again["samples"] == r["samples"]
