"""Metrics on cases small enough to check by hand."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

from prompt_vs_finetune.measure import metrics
from prompt_vs_finetune.measure.metrics import (
    accuracy,
    confusion_matrix,
    consistency,
    format_validity,
    latency_summary,
    macro_f1,
    plot_confusion,
)
from prompt_vs_finetune.model.generation import Generation


def test_accuracy():
    assert accuracy(["a", "b", "a", "c"], ["a", "b", "b", "c"]) == 0.75
    with pytest.raises(ValueError):
        accuracy(["a"], ["a", "b"])
    with pytest.raises(ValueError):
        accuracy([], [])


def test_macro_f1_by_hand():
    gold = ["a", "a", "b", "b"]
    pred = ["a", "b", "b", "b"]
    # a: P=1, R=1/2, F1=2/3;  b: P=2/3, R=1, F1=4/5
    assert macro_f1(gold, pred) == pytest.approx((2 / 3 + 4 / 5) / 2)


def test_macro_f1_zero_division_and_off_label_answers():
    # label "c" never gold nor predicted: F1 0, counted in the mean because it is listed
    assert macro_f1(["a", "b"], ["a", "b"], labels=["a", "b", "c"]) == pytest.approx(2 / 3)
    # a prediction outside the labels only costs recall
    assert macro_f1(["a", "b"], ["a", "zzz"], labels=["a", "b"]) == pytest.approx(0.5)
    assert macro_f1(["a"], ["b"], labels=["a"]) == 0.0


def test_confusion_matrix():
    matrix, order = confusion_matrix(["a", "a", "b"], ["a", "b", "b"], labels=["a", "b"])
    assert order == ["a", "b"]
    np.testing.assert_array_equal(matrix, [[1, 1], [0, 1]])
    matrix, order = confusion_matrix(["a", "b"], ["a", "huh"], labels=["a", "b"])
    assert order == ["a", "b", "(other)"]
    np.testing.assert_array_equal(matrix, [[1, 0, 0], [0, 0, 1], [0, 0, 0]])
    matrix, order = confusion_matrix(["y", "x"], ["x", "x"])
    assert order == ["x", "y"] and matrix.sum() == 2


def test_plot_confusion_returns_axes():
    ax = plot_confusion(["a", "b", "b"], ["a", "a", "b"], ["a", "b"])
    assert ax.get_xlabel() == "predicted"
    assert len(ax.texts) == 4
    matplotlib.pyplot.close("all")


def test_format_validity():
    assert format_validity([True, False, True, True]) == 0.75
    assert format_validity(["1", "x", "22"], validator=str.isdigit) == pytest.approx(2 / 3)
    assert format_validity(["1", "x"], validator=int) == 0.5  # raising counts as invalid
    with pytest.raises(TypeError):
        format_validity(["yes", "no"])
    with pytest.raises(ValueError):
        format_validity([])


def test_consistency_modal_and_pairwise():
    samples = [["a", "a", "a", "b"], ["x", "y", "z", "x"]]
    assert consistency(samples) == pytest.approx((3 / 4 + 2 / 4) / 2)
    # pairs agreeing: input 1: 3 of 6, input 2: 1 of 6
    assert consistency(samples, method="pairwise") == pytest.approx((3 / 6 + 1 / 6) / 2)
    assert consistency([["Billing", " billing.", "BILLING"]]) == 1.0
    assert consistency([["Billing", "billing"]], normalize=None) == 0.5
    assert consistency([["one"]], method="pairwise") == 1.0
    with pytest.raises(ValueError):
        consistency([["a"]], method="vote")


def test_latency_summary():
    summary = latency_summary([1.0, 2.0, 3.0, 4.0, 10.0])
    assert summary["p50"] == 3.0
    assert summary["mean"] == 4.0
    assert summary["p95"] == pytest.approx(4.0 + 0.8 * 6.0)  # linear interpolation
    with pytest.raises(ValueError):
        latency_summary([])


def test_measure_consistency_with_stub_sampler(monkeypatch):
    calls = []

    def fake_sample(lm, prompt, n_samples, *, max_new_tokens, temperature, seed, chat):
        calls.append((prompt, seed, chat, temperature, n_samples))
        seeds = range(seed, seed + n_samples)
        texts = ["yes" if prompt.startswith("same") or s % 2 == 0 else "no" for s in seeds]
        return [Generation(text, 3, 1, 0.01) for text in texts]

    monkeypatch.setattr("prompt_vs_finetune.model.sampling.sample_answers", fake_sample)
    out = metrics.measure_consistency(None, lambda x: f"{x}?", ["same", "flip"], n_samples=4)
    assert out["samples"] == [["yes"] * 4, ["yes", "no", "yes", "no"]]
    assert out["consistency"] == pytest.approx((1 + 0.5) / 2)
    assert out["pairwise"] == pytest.approx((1 + 2 / 6) / 2)
    assert [c[1] for c in calls] == [0, 0] and [c[4] for c in calls] == [4, 4]
    assert all(c[2] is True and c[3] == 0.8 for c in calls)

    class Rendered:  # looks like a FewShotPrompt
        def render(self, text):
            return f"same {text}"

    calls.clear()
    out = metrics.measure_consistency(None, Rendered(), ["q"], n_samples=2, seed=5)
    assert calls == [("same q", 5, False, 0.8, 2)]
    with pytest.raises(ValueError):
        metrics.measure_consistency(None, ["p1"], ["a", "b"])


def test_table_is_reexported():
    assert metrics.Table([{"a": 1}]).column("a") == [1]
