"""Cascade: confidence from label log-probs, threshold sweep, extremes."""

from __future__ import annotations

from types import SimpleNamespace

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from prompt_vs_finetune.hybrid.cascade import (
    cascade_at,
    cascade_sweep,
    cheapest_meeting,
    confidence,
    label_probabilities,
    plot_cascade,
)

LABELS = ["billing", "bug", "other"]


def make_inputs(n=60, seed=0):
    rng = np.random.default_rng(seed)
    logprobs = rng.normal(size=(n, 3)) * 2 - 3
    gold = [LABELS[i] for i in rng.integers(0, 3, n)]
    cheap = [LABELS[i] for i in logprobs.argmax(axis=1)]
    strong = [g if i % 5 else "other" for i, g in enumerate(gold)]  # right 4 times in 5
    return logprobs, cheap, strong, gold


def accuracy(pred, gold):
    return sum(p == g for p, g in zip(pred, gold, strict=True)) / len(gold)


def test_confidence_by_hand():
    logprobs = np.log([[0.7, 0.2, 0.1], [0.25, 0.25, 0.5]]) - 1.0  # shift: softmax undoes it
    assert label_probabilities(logprobs).sum(axis=1) == pytest.approx([1, 1])
    assert confidence(logprobs) == pytest.approx([0.7, 0.5])
    assert confidence(logprobs, "margin") == pytest.approx([0.5, 0.25])
    assert confidence(np.array([[0.0, -np.inf]])) == pytest.approx([1.0])
    with pytest.raises(ValueError, match="kind"):
        confidence(logprobs, "entropy")


def test_extremes_equal_cheap_and_strong():
    logprobs, cheap, strong, gold = make_inputs()
    rows = cascade_sweep(logprobs, cheap, strong, gold, [0.0, 1.0], 1.0, 10.0)
    none, everything = rows
    assert none["share_escalated"] == 0 and none["n_escalated"] == 0
    assert none["accuracy"] == pytest.approx(accuracy(cheap, gold))
    assert none["cost_per_request"] == pytest.approx(1.0)
    assert everything["share_escalated"] == 1
    assert everything["accuracy"] == pytest.approx(accuracy(strong, gold))
    assert everything["cost_per_request"] == pytest.approx(11.0)
    assert everything["accuracy_kept"] is None


def test_certain_cases_still_escalate_at_one():
    logprobs = np.array([[0.0, -1000.0], [-0.1, -3.0]])  # first row: probability exactly 1
    row = cascade_at(1.0, logprobs, ["a", "a"], ["b", "b"], ["b", "a"], 1, 5)
    assert row["share_escalated"] == 1


def test_sweep_is_monotone_and_matches_single_points():
    logprobs, cheap, strong, gold = make_inputs()
    rows = cascade_sweep(logprobs, cheap, strong, gold, None, 0.2, 3.0)
    assert rows[0]["threshold"] == 0 and rows[-1]["threshold"] == 1 and len(rows) == 21
    shares = rows.column("share_escalated")
    costs = rows.column("cost_per_request")
    assert shares == sorted(shares) and costs == sorted(costs)
    assert cascade_at(0.65, logprobs, cheap, strong, gold, 0.2, 3.0) == rows[13]
    margin = cascade_sweep(logprobs, cheap, strong, gold, [0.3], 0.2, 3.0, kind="margin")
    conf = confidence(logprobs, "margin")
    assert margin[0]["n_escalated"] == int((conf < 0.3).sum())


def test_accepts_label_scores_like_objects():
    logprobs, cheap, strong, gold = make_inputs()
    scores = SimpleNamespace(logprobs=logprobs, predictions=cheap)
    strong_scores = SimpleNamespace(predictions=strong)
    a = cascade_sweep(scores, None, strong_scores, gold, [0.5], 1, 4)
    b = cascade_sweep(logprobs, cheap, strong, gold, [0.5], 1, 4)
    assert a == b


def test_cheapest_meeting():
    logprobs, cheap, strong, gold = make_inputs()
    rows = cascade_sweep(logprobs, cheap, strong, gold, None, 1, 10)
    best = cheapest_meeting(rows, rows[-1]["accuracy"])
    assert best is not None and best["accuracy"] >= rows[-1]["accuracy"]
    assert cheapest_meeting(rows, 1.01) is None


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (("oops", ["a"], ["a"], ["a"]), (TypeError, ValueError)),
        ((np.zeros((2, 2)), ["a"], ["a", "b"], ["a", "b"]), ValueError),
        ((np.zeros((2, 2)), ["a", "b"], "ab", ["a", "b"]), TypeError),
        ((np.array([[np.nan, 0.0]]), ["a"], ["a"], ["a"]), ValueError),
        ((np.zeros(3), ["a"], ["a"], ["a"]), ValueError),
    ],
)
def test_bad_inputs(args, error):
    with pytest.raises(error):
        cascade_sweep(*args, [0.5], 1, 2)


def test_plot_cascade_marks_threshold():
    logprobs, cheap, strong, gold = make_inputs()
    rows = cascade_sweep(logprobs, cheap, strong, gold, None, 1, 10)
    ax = plot_cascade(rows, threshold=0.4)
    labels = [line.get_label() for line in ax.lines]
    assert "accuracy" in labels and "share escalated" in labels
    assert ax.cost_axis.lines[0].get_ydata()[-1] == pytest.approx(11)
    marker = [line for line in ax.lines if line.get_linestyle() == ":"]
    assert marker and marker[0].get_xdata()[0] == pytest.approx(0.4)
    plt.close(ax.figure)
