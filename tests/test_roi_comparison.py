"""ROI lesson helpers: inputs from measured numbers, plateau, scenarios."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from prompt_vs_finetune.economics import roi_inputs as roi_comparison
from prompt_vs_finetune.economics.assumptions import DEFAULT_ASSUMPTIONS, Assumptions, Prices
from prompt_vs_finetune.economics.costs import cost_per_request
from prompt_vs_finetune.economics.roi import roi_curves
from prompt_vs_finetune.economics.scaling import upfront

MEASURED = {"tokens_out": 2.0, "train_seconds": 90.0}
VERSIONS = {
    "names": ["v1", "v2", "v3", "v4", "v5"],
    "changes": ["a", "b", "c", "d", "e"],
    "accuracies": [0.30, 0.55, 0.62, 0.63, 0.63],
    "tokens": [60.0, 80.0, 200.0, 500.0, 900.0],
    "tuned_accuracy": 0.85,
    "tuned_tokens": 79.0,
    "split": "dev",
    "n": 60,
}


def test_roi_inputs_price_the_best_version_and_the_tuned_model():
    inputs = roi_comparison.roi_inputs(MEASURED, VERSIONS)
    assert inputs["cost_per_request_prompt"] == pytest.approx(cost_per_request(500.0, 2.0))
    assert inputs["cost_per_request_tuned"] == pytest.approx(cost_per_request(79.0, 2.0))
    assert inputs["fine_tune_upfront"] == pytest.approx(upfront(MEASURED).total)
    assert inputs["prompt_dev_cost"] == DEFAULT_ASSUMPTIONS.prompt_hours_per_version * 100
    assert inputs["accuracy_tuned"] == 0.85
    assert inputs["volume_per_month"] == DEFAULT_ASSUMPTIONS.high_volume
    rows = roi_curves(**inputs)  # every key is a roi_curves keyword
    assert len(rows) == DEFAULT_ASSUMPTIONS.roi_months + 1
    pricey = roi_comparison.roi_inputs(MEASURED, VERSIONS, Prices(engineer_hourly=200))
    assert pricey["fine_tune_upfront"] > inputs["fine_tune_upfront"]
    longer = roi_comparison.roi_inputs(MEASURED, VERSIONS, Assumptions(roi_months=36))
    assert longer["months"] == 36 and longer["prompt_dev_cost"] == inputs["prompt_dev_cost"]


def test_versions_table_ends_with_the_fine_tuned_model():
    rows = roi_comparison.versions_table({**VERSIONS, "accuracies": [0.5, 0.4, 0.6, 0.55, 0.7]})
    assert [r["version"] for r in rows] == ["v1", "v2", "v3", "v4", "v5", "fine-tuned"]
    assert [r["kept"] for r in rows] == [0.5, 0.5, 0.6, 0.6, 0.7, None]
    assert rows[-1]["accuracy"] == 0.85
    assert rows[0]["low"] < 0.5 < rows[0]["high"]  # 30 of 60 tickets, Wilson 95%
    assert (rows[0]["low"], rows[0]["high"]) == pytest.approx((0.3773, 0.6227), abs=1e-4)


def test_a_version_that_did_not_help_is_reverted():
    assert roi_comparison.kept_accuracies([0.5, 0.4, 0.65, 0.6]) == [0.5, 0.5, 0.65, 0.65]
    bumpy = {**VERSIONS, "accuracies": [0.5, 0.4, 0.65, 0.6, 0.7]}
    inputs = roi_comparison.roi_inputs(MEASURED, bumpy)
    assert inputs["accuracy_prompt"] == [0.5, 0.5, 0.65, 0.65, 0.7]


def test_plateau_measures_diminishing_returns():
    flat = roi_comparison.plateau(VERSIONS["accuracies"])
    assert flat["share_at_half"] == pytest.approx((0.62 - 0.30) / (0.63 - 0.30))
    assert flat["version_at_90"] == 2
    assert flat["biggest_gain"] == pytest.approx(0.25) and flat["biggest_at"] == 1
    assert flat["second_half_gain"] == pytest.approx(0.63 - 0.62)


def test_scenarios_one_row_per_volume():
    inputs = roi_comparison.roi_inputs(MEASURED, VERSIONS)
    rows = roi_comparison.scenarios(inputs, volumes=[1_000, 1_000_000])
    assert [r["requests_per_month"] for r in rows] == [1_000, 1_000_000]
    assert rows[0]["crossover"] is None and rows[1]["crossover"] is not None


def test_prompt_versions_is_cached_and_needs_no_model_when_warm(
    tmp_cache, monkeypatch, make_evaluation
):
    from prompt_vs_finetune.finetune import recipes as course_runs
    from prompt_vs_finetune.measure import evaluate as evaluate_module
    from prompt_vs_finetune.prompting import iteration as prompt_iteration
    from prompt_vs_finetune.ui.tables import Table

    calls = []

    def fake_versions(lm, task, versions, **kw):
        calls.append(kw)
        return Table(
            {"version": v.name, "change": v.change, "accuracy": 0.1 * i, "tokens": 10.0 * i}
            for i, v in enumerate(versions)
        )

    monkeypatch.setattr(prompt_iteration, "measure_versions", fake_versions)
    monkeypatch.setattr(
        course_runs, "course_run", lambda name, progress=True: SimpleNamespace(lm="tuned")
    )
    monkeypatch.setattr(
        evaluate_module, "evaluate", lambda lm, task, **kw: make_evaluation(10, 9, 79.0)
    )
    lm = SimpleNamespace(name="fake-model")
    first = roi_comparison.prompt_versions(lm)
    assert first["accuracies"][:2] == [0.0, 0.1] and first["tuned_accuracy"] == 0.9
    assert calls == [{"split": "dev", "n": 60, "seed": 0}]
    again = roi_comparison.prompt_versions(lm)
    assert again["_cached"] and len(calls) == 1


def test_cost_items_add_up_what_the_account_pays_besides_requests():
    inputs = roi_comparison.roi_inputs(MEASURED, VERSIONS)
    items = roi_comparison.cost_items(inputs)
    assert items == pytest.approx({
        "fine-tune up front": inputs["fine_tune_upfront"],
        "prompt versions written": 5 * inputs["prompt_dev_cost"],  # 5 versions, 24 months
        "opportunity cost": 24 * inputs["opportunity_cost_per_month"],
    })  # fmt: skip
    short = roi_comparison.cost_items({**inputs, "months": 3})
    assert short["prompt versions written"] == 3 * inputs["prompt_dev_cost"]


def test_roi_ends_move_every_accuracy_to_an_end_of_its_interval():
    from prompt_vs_finetune.measure.intervals import rate

    ends = roi_comparison.roi_ends(MEASURED, VERSIONS)
    assert list(ends) == list(roi_comparison.ENDS)
    best_prompt, best_tune = ends.values()
    assert best_prompt["preset"] == "a team on rented GPUs" and best_tune["preset"] == "this laptop"
    assert best_prompt["n"] == 60
    assert best_prompt["inputs"]["accuracy_tuned"] == pytest.approx(rate(51, 60).low)
    assert best_tune["inputs"]["accuracy_tuned"] == pytest.approx(rate(51, 60).high)
    assert best_prompt["inputs"]["accuracy_prompt"][0] == pytest.approx(rate(18, 60).high)
    assert best_tune["inputs"]["accuracy_prompt"][-1] == pytest.approx(rate(38, 60).low)
    assert best_tune["inputs"]["fine_tune_upfront"] < best_prompt["inputs"]["fine_tune_upfront"]
