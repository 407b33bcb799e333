"""ROI curves: prompting pays quickly then plateaus; fine-tuning starts negative."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest

from prompt_vs_finetune.economics.roi import (
    crossover_month,
    payback_month,
    plot_roi,
    roi_curves,
    roi_summary,
    version_gains,
)

ACCURACIES = [0.50, 0.62, 0.68, 0.70, 0.705]  # each version adds less than the one before
SAMPLE = dict(
    volume_per_month=500_000,
    value_per_correct_answer=0.05,
    accuracy_prompt=ACCURACIES,
    accuracy_tuned=0.82,
    cost_per_request_prompt=0.0006,
    cost_per_request_tuned=0.0001,
    fine_tune_upfront=30_000,
    prompt_dev_cost=800,
    build_months=2,
)


def test_fine_tuning_starts_negative_and_prompting_pays_fast():
    rows = roi_curves(24, **SAMPLE)
    assert [r["month"] for r in rows] == list(range(25))
    assert rows[0]["fine_tuning"] == -30_000
    assert all(r["fine_tuning"] < 0 for r in rows[:3])  # nothing earned while building
    assert rows[1]["prompting"] > 0  # prompting earns from the first month
    assert payback_month(rows, "prompting") == 1
    assert payback_month(rows, "fine-tuning") > payback_month(rows, "prompting")


def test_roi_summary_names_the_key_months():
    rows = roi_curves(24, **SAMPLE, opportunity_cost_per_month=2_000)
    summary = roi_summary(rows)
    assert summary["payback_prompting"] == payback_month(rows, "prompting")
    assert summary["payback_fine_tuning"] == payback_month(rows, "fine_tuning")
    assert summary["crossover"] == crossover_month(rows, "fine_tuning", "prompting")
    later = summary["crossover_net_of_opportunity"]
    assert later is None or later >= summary["crossover"]
    assert summary["final"] == rows[-1] and summary["final"] is not rows[-1]


def test_prompting_plateaus():
    rows = roi_curves(24, **SAMPLE)
    monthly = [r["prompting_monthly"] for r in rows[1:]]
    # once the measured versions run out, the monthly value stops growing
    assert monthly[len(ACCURACIES) :] == pytest.approx([monthly[-1]] * (24 - len(ACCURACIES)))
    # the value of each new version shrinks (diminishing returns from the measured list)
    value = [SAMPLE["volume_per_month"] * (r["prompt_accuracy"] - 0) * 0.05 for r in rows[1:6]]
    steps = [b - a for a, b in zip(value, value[1:], strict=False)]
    assert steps == sorted(steps, reverse=True)
    assert [r["prompt_version"] for r in rows[1:7]] == [0, 1, 2, 3, 4, 4]


def test_fine_tuning_wins_at_sustained_volume_only():
    high = roi_curves(36, **SAMPLE)
    assert crossover_month(high) is not None
    assert high[-1]["fine_tuning"] > high[-1]["prompting"]
    low = roi_curves(36, **{**SAMPLE, "volume_per_month": 5_000})
    assert crossover_month(low) is None
    assert payback_month(low, "fine_tuning") is None


def test_opportunity_cost_line():
    rows = roi_curves(12, **SAMPLE, opportunity_cost_per_month=2_000)
    assert rows[12]["fine_tuning_net_of_opportunity"] == pytest.approx(
        rows[12]["fine_tuning"] - 24_000
    )
    limited = roi_curves(12, **SAMPLE, opportunity_cost_per_month=2_000, opportunity_months=3)
    assert limited[12]["fine_tuning_net_of_opportunity"] == pytest.approx(
        limited[12]["fine_tuning"] - 6_000
    )
    later = crossover_month(rows, "fine_tuning_net_of_opportunity", "prompting")
    assert later is None or later >= crossover_month(rows)


def test_hand_computed_month():
    rows = roi_curves(
        3,
        volume_per_month=1000,
        value_per_correct_answer=1.0,
        accuracy_prompt=0.5,
        accuracy_tuned=0.9,
        cost_per_request_prompt=0.1,
        cost_per_request_tuned=0.0,
        fine_tune_upfront=500,
        build_months=1,
    )
    assert [r["prompting"] for r in rows] == pytest.approx([0, 400, 800, 1200])
    assert [r["fine_tuning"] for r in rows] == pytest.approx([-500, -500, 400, 1300])
    assert payback_month(rows, "fine_tuning") == 2
    assert crossover_month(rows) == 3


def test_version_gains():
    table = version_gains(
        ACCURACIES, volume_per_month=1e5, value_per_correct_answer=0.1, prompt_dev_cost=100
    )
    assert table.column("gain")[0] is None
    assert table.column("share_of_best_gain")[-1] == 1.0
    repay = table.column("months_to_repay")[1:]
    assert repay == sorted(repay)  # later versions take longer to pay for themselves


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"accuracy_tuned": 1.5}, ValueError),
        ({"accuracy_prompt": []}, ValueError),
        ({"accuracy_prompt": "0.5"}, TypeError),
        ({"volume_per_month": "many"}, TypeError),
        ({"fine_tune_upfront": -1}, ValueError),
    ],
)
def test_bad_inputs(change, error):
    with pytest.raises(error):
        roi_curves(12, **{**SAMPLE, **change})


def test_bad_track_and_months():
    rows = roi_curves(3, **SAMPLE)
    with pytest.raises(ValueError, match="which"):
        payback_month(rows, "magic")
    with pytest.raises(ValueError):
        roi_curves(2.5, **SAMPLE)


def test_plot_roi():
    rows = roi_curves(12, **SAMPLE, opportunity_cost_per_month=1000)
    ax = plot_roi(rows)
    labels = [line.get_label() for line in ax.lines]
    assert {"prompting", "fine-tuning", "fine-tuning minus opportunity cost"} <= set(labels)
    plt.close(ax.figure)
    ax = plot_roi(roi_curves(12, **SAMPLE))  # no opportunity cost: no dashed duplicate
    assert "fine-tuning minus opportunity cost" not in [line.get_label() for line in ax.lines]
    plt.close(ax.figure)


def test_accepts_an_upfront_cost_object():
    from prompt_vs_finetune.economics.costs import UpfrontCost

    upfront = UpfrontCost(gpu_hours=1, compute=1_000, engineering=20_000, data_prep=9_000)
    rows = roi_curves(6, **{**SAMPLE, "fine_tune_upfront": upfront})
    assert rows[0]["fine_tuning"] == -30_000
    with pytest.raises(TypeError):
        roi_curves(6, **{**SAMPLE, "fine_tune_upfront": "30000"})
