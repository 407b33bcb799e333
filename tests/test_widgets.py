"""Widgets: build each explorer, move a control programmatically, check what changed."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from prompt_vs_finetune.decision.case_studies import case_study
from prompt_vs_finetune.ui.widgets import (
    Explorer,
    SliderExplorer,
    cascade_explorer,
    cost_explorer,
    decision_questionnaire,
    roi_explorer,
)

MEASURED_COST = {"prompt_tokens_in": [790, 830], "tuned_tokens_in": 60, "train_seconds": 70}
MEASURED_ROI = {
    "accuracy_prompt": [0.5, 0.6, 0.65, 0.66],
    "accuracy_tuned": 0.8,
    "cost_per_request_prompt": 0.0005,
    "cost_per_request_tuned": 0.0001,
    "fine_tune_upfront": 12_000,
    "prompt_dev_cost": 500,
}


def lines_y(explorer):
    return [np.asarray(line.get_ydata(), dtype=float) for line in explorer.figure.axes[0].lines]


def shown_png(explorer):
    (output,) = explorer.output.outputs
    return output["data"]["image/png"]


def test_cost_explorer_reacts_to_prompt_length():
    figures = len(plt.get_fignums())
    e = cost_explorer(MEASURED_COST)
    assert set(e.controls) >= {
        "price_per_1k",
        "requests_per_month",
        "prompt_tokens",
        "training_cost",
        "hourly_rate",
    }
    assert e.controls["prompt_tokens"].value == 810  # measured mean
    before_text, before_be, before_png = e.text.value, e.result["break_even"], shown_png(e)
    before_y = lines_y(e)
    assert f"{before_be:,.0f}" in before_text
    e.controls["prompt_tokens"].value = 300  # shorter prompts: fine-tuning saves less
    assert e.result["break_even"] > before_be
    assert f"{e.result['break_even']:,.0f}" in e.text.value and e.text.value != before_text
    assert not np.array_equal(lines_y(e)[0], before_y[0])  # the prompting line moved
    assert shown_png(e) != before_png
    assert len(plt.get_fignums()) == figures  # nothing left open in pyplot


def test_cost_explorer_compute_is_pure_and_matches_costs():
    from prompt_vs_finetune.economics.costs import break_even_requests, compare_at_volume

    e = cost_explorer({**MEASURED_COST, "tokens_out": 2})
    r = e.compute(
        price_per_1k=0.001,
        requests_per_month=1e6,
        prompt_tokens=1000,
        training_cost=1000,
        hourly_rate=100,
        horizon_months=12,
    )
    assert r["upfront"] == pytest.approx(1000 + e.evaluation + 120 * 100)
    expected = break_even_requests(1000, 60, 2, r["upfront"], r["prices"])
    assert r["break_even"] == pytest.approx(expected)
    compared = compare_at_volume(1e6, 1000, 60, 2, r["upfront"], r["prices"], horizon_months=12)
    assert {k: r[k] for k in compared} == compared  # a thin layer over the pure function
    assert e.compute(**e.values()) == e.result  # deterministic: same values, same numbers
    e.controls["hourly_rate"].value = 50
    training = e.controls["training_cost"].value
    assert e.result["upfront"] == pytest.approx(training + e.evaluation + 120 * 50)


def test_cost_explorer_needs_measured_keys():
    with pytest.raises(KeyError, match="train_seconds"):
        cost_explorer({"prompt_tokens_in": 10, "tuned_tokens_in": 5})
    with pytest.raises(TypeError):
        cost_explorer([1, 2, 3])


def test_roi_explorer_reacts_to_volume():
    e = roi_explorer(MEASURED_ROI)
    assert set(e.controls) == {
        "months",
        "volume_per_month",
        "value_per_correct_answer",
        "opportunity_cost_per_month",
    }
    before_y, before_text = lines_y(e), e.text.value
    e.controls["volume_per_month"].value = 1e4
    assert not np.array_equal(lines_y(e)[0], before_y[0])
    assert e.text.value != before_text
    e.set(volume_per_month=1e7, opportunity_cost_per_month=5000)
    labels = [line.get_label() for line in e.figure.axes[0].lines]
    assert "fine-tuning minus opportunity cost" in labels
    assert e.result["crossover"] is not None


def test_roi_explorer_is_roi_curves_and_starts_at_the_assumptions():
    from prompt_vs_finetune.economics.assumptions import DEFAULT_ASSUMPTIONS as A
    from prompt_vs_finetune.economics.roi import roi_curves, roi_summary

    e = roi_explorer(MEASURED_ROI)
    assert e.values() == {
        "months": A.roi_months,
        "volume_per_month": A.high_volume,
        "value_per_correct_answer": A.value_per_correct_answer,
        "opportunity_cost_per_month": A.opportunity_cost_per_month,
    }
    rows = roi_curves(**MEASURED_ROI, **e.values())
    assert e.result == {"rows": rows, **roi_summary(rows)}


def test_cascade_explorer_threshold():
    rng = np.random.default_rng(1)
    logprobs = rng.normal(size=(40, 3))
    gold = list(rng.integers(0, 3, 40))
    cheap = list(logprobs.argmax(axis=1))
    e = cascade_explorer(logprobs, cheap, gold, gold, 1.0, 10.0, threshold=0.5)
    e.controls["threshold"].value = 0.0
    assert e.result["row"]["share_escalated"] == 0
    assert "0% escalated" in e.text.value
    e.controls["threshold"].value = 1.0
    assert e.result["row"]["share_escalated"] == 1 and e.result["row"]["accuracy"] == 1
    assert "100% escalated" in e.text.value
    marker = [line for line in e.figure.axes[0].lines if line.get_linestyle() == ":"]
    assert marker[0].get_xdata()[0] == pytest.approx(1.0)
    e.controls["kind"].value = "margin"
    assert set(e._sweeps) == {"max", "margin"}


def test_decision_questionnaire():
    q = decision_questionnaire()
    assert q.result.choice == "prompting" and "prompting" in q.text.value
    assert q.figsize is None and q.figure is None
    before = q.text.value
    q.load(case_study("lab-equipment-support").inputs)
    assert q.result.choice == "hybrid" and q.text.value != before
    q.controls["ml_skills"].value = False
    assert q.result.choice == "prompting" and "ml_skills" in q.text.value
    q.case_picker.value = "voice-intents"
    assert q.result.choice == "fine-tuning"
    rec = q.compute(**q.values())
    assert rec.choice == "fine-tuning"


def test_slider_explorer_caches_and_plots():
    calls = []

    def accuracy_for(k, strategy):
        calls.append((k, strategy))
        return {"accuracy": 0.4 + 0.02 * k + (0.05 if strategy == "balanced" else 0.0)}

    e = SliderExplorer(accuracy_for, {"k": [0, 1, 2, 4, 8], "strategy": ["balanced", "random"]})
    assert calls == [(0, "balanced")]
    e.controls["k"].value = 4
    e.controls["k"].value = 0  # moving back is served from the cache
    assert len(calls) == 2 and e.calls == 2
    assert "from cache" in e.text.value and "0.400" not in e.text.value
    e.controls["strategy"].value = "random"
    assert "0.400" in e.text.value
    labels = [line.get_label() for line in e.figure.axes[0].lines]
    assert "strategy=balanced" in labels and "strategy=random" in labels
    (xs,) = [
        line.get_xdata()
        for line in e.figure.axes[0].lines
        if line.get_label() == "strategy=balanced"
    ]
    assert list(xs) == [0, 4]


def test_slider_explorer_controls_and_errors():
    def f(x, scale):
        if x > 0.5:
            raise ValueError("x too large for this demo")
        return x * scale

    e = SliderExplorer(f, {"x": (0.0, 1.0), "scale": (1, 5)}, title="demo")
    assert e.result == 0.0
    e.controls["x"].value = 0.9
    assert "Cannot compute" in e.text.value and "too large" in e.text.value
    assert e.error
    with pytest.raises(TypeError):
        SliderExplorer(f, {"x": {"bad": "spec"}})
    with pytest.raises(ValueError):
        SliderExplorer(f, {})


def test_explorers_display_as_their_container():
    e = roi_explorer(MEASURED_ROI)
    assert isinstance(e, Explorer)
    bundle = e._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert e.output in e.widget.children and e.text in e.widget.children
    with pytest.raises(KeyError):
        e.set(nonsense=1)


def test_questionnaire_reproduces_every_case_study():
    from prompt_vs_finetune.decision.case_studies import CASE_STUDIES

    q = decision_questionnaire()
    for case in CASE_STUDIES:
        q.case_picker.value = case.name
        assert q.result.choice == case.expected, case.name
    q.case_picker.value = ""
    assert q.break_even_volume is None
