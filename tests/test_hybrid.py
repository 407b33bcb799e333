"""hybrid: the 2x2 table, cascade inputs from stored scorings, the C15 rule on real sweeps."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

from prompt_vs_finetune.claims import judge
from prompt_vs_finetune.hybrid.cascade import cascade_sweep
from prompt_vs_finetune.hybrid.context import cascade_inputs, plot_two_by_two, two_by_two
from prompt_vs_finetune.measure.evaluate import Evaluation


def test_two_by_two_layout_and_plot():
    cells = {("base", "no"): 0.1, ("base", "yes"): 0.3, ("tuned", "no"): 0.7, ("tuned", "yes"): 0.8}
    table = two_by_two(cells, ["base", "tuned"], ["no", "yes"])
    assert table.columns == ["weights", "no", "yes"]
    assert table[1] == {"weights": "tuned", "no": 0.7, "yes": 0.8}
    ax = plot_two_by_two(table, chance=0.125)
    assert len(ax.patches) == 4
    with pytest.raises(ValueError, match="missing"):
        two_by_two({("base", "no"): 0.1}, ["base"], ["no", "yes"])


def stored(ids, gold, preds, logprobs, tokens):
    right = sum(g == p for g, p in zip(gold, preds, strict=True))
    return Evaluation(
        model="m", task="t", prompt_key="p", k=0, split="test", seed=None, calibrated=False,
        instance=None, n=len(ids), labels=["x", "y"], ids=ids, gold=gold, predictions=preds,
        logprobs=logprobs, tokens_per_request=[tokens] * len(ids), accuracy=right / len(ids),
        macro_f1=0.0, seconds=1.0,
    )  # fmt: skip


def test_cascade_inputs_and_verdict():
    ids = ["a", "b", "c", "d"]
    gold = ["x", "y", "x", "y"]
    # the cheap path is sure and right on a, b; unsure and wrong on c, d
    lp = np.log([[0.95, 0.05], [0.05, 0.95], [0.4, 0.6], [0.6, 0.4]]).tolist()
    cheap = stored(ids, gold, ["x", "y", "y", "x"], lp, 80.0)
    strong = stored(ids, gold, list(gold), lp, 600.0)
    args = cascade_inputs(cheap, strong)
    assert args["cost_cheap"] == 80.0 and args["cost_strong"] == 600.0
    rows = cascade_sweep(thresholds=[0.0, 0.7, 1.0], **args)
    assert [r["accuracy"] for r in rows] == [0.5, 1.0, 1.0]
    verdict = judge("C15", rows, args)
    assert verdict.numbers["chosen"]["threshold"] == 0.7
    assert verdict.status == "inconclusive" and "n=4" in verdict.sentence  # 4 is too few
    with pytest.raises(ValueError, match="thresholds 0"):
        judge("C15", rows[:2], args)
    with pytest.raises(ValueError, match="same tickets"):
        cascade_inputs(cheap, stored(ids[::-1], gold, gold, lp, 600.0))
