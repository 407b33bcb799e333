"""Cost model: hand-computed values and the properties the lessons rely on."""

from __future__ import annotations

import math
from dataclasses import replace

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest

from prompt_vs_finetune.economics.assumptions import Assumptions, Prices
from prompt_vs_finetune.economics.costs import (
    UpfrontCost,
    break_even_requests,
    compare_at_volume,
    cost_per_request,
    cost_vs_volume,
    fine_tune_upfront_cost,
    monthly_cost,
    payback_months,
    per_use_case_cost,
)
from prompt_vs_finetune.economics.plots import plot_break_even, plot_per_use_case, short_number

# input $0.001 / 1k tokens, output free: 1000-token prompt vs 100-token tuned input saves
# 0.0009 per request.
SIMPLE = Prices(input_per_1k=0.001, output_per_1k=0.0)


def test_cost_per_request_by_hand():
    prices = Prices(input_per_1k=0.001, output_per_1k=0.002)
    assert cost_per_request(1000, 100, prices) == pytest.approx(0.0012)
    # lists of per-request counts are averaged
    assert cost_per_request([900, 1100], [50, 150], prices) == pytest.approx(0.0012)
    tuned = Prices(input_per_1k=0.001, output_per_1k=0.002, tuned_input_per_1k=0.003)
    assert cost_per_request(1000, 0, tuned, tuned=True) == pytest.approx(0.003)
    assert cost_per_request(1000, 0, tuned) == pytest.approx(0.001)


def test_richer_prompts_cost_more():
    costs = [cost_per_request(t, 3) for t in (50, 100, 200, 400, 800)]
    assert costs == sorted(costs) and costs[0] < costs[-1]


def test_prompting_cost_is_linear_in_volume():
    one = monthly_cost(1_000_000, 800, 2, SIMPLE)
    assert monthly_cost(2_000_000, 800, 2, SIMPLE) == pytest.approx(2 * one)
    assert monthly_cost(0, 800, 2, SIMPLE) == 0
    assert monthly_cost(10, 1000, 0, SIMPLE, fixed_per_month=5) == pytest.approx(5.01)
    rows = cost_vs_volume([1e3, 1e4, 1e5], 800, 100, 2, 1000, SIMPLE)
    ratios = [r["prompting"] / r["requests_per_month"] for r in rows]
    assert ratios == pytest.approx([ratios[0]] * 3)


def test_upfront_cost_by_hand():
    prices = Prices(gpu_hourly=2.0, engineer_hourly=50.0)
    hours = {"engineer_hours": 10, "data_prep_hours": 20}
    evals = {"evaluation_runs": 3, "evaluation_hours": 0.5}
    a = Assumptions(prices, compute_scale=10, training_runs=2, **hours, **evals)
    cost = fine_tune_upfront_cost(3600, a)
    assert isinstance(cost, UpfrontCost)
    assert cost.gpu_hours == pytest.approx(20)
    assert (cost.compute, cost.engineering, cost.data_prep) == pytest.approx((40, 500, 1000))
    assert cost.evaluation == pytest.approx(3 * 0.5 * 2.0)
    assert float(cost) == cost.total == pytest.approx(1543)
    assert cost.table(prices).column("part") == [*cost.parts(), "total"]
    assert sum(cost.parts().values()) == pytest.approx(cost.total)
    # the scale factor is explicit: doubling it doubles the compute part only
    double = fine_tune_upfront_cost(3600, replace(a, compute_scale=20))
    assert double.compute == pytest.approx(80) and double.engineering == cost.engineering
    # Prices alone: the default hours (40 + 80) and scale (50 GPU-hours per hour, 5 runs)
    default = fine_tune_upfront_cost(3600, prices)
    assert default.engineering + default.data_prep == pytest.approx(120 * 50)
    assert default.gpu_hours == pytest.approx(250)


def test_break_even_by_hand():
    # (10800 / 12 months) / 0.0009 per request = 1,000,000 requests per month
    assert break_even_requests(1000, 100, 0, 10800, SIMPLE) == pytest.approx(1_000_000)
    with_overhead = break_even_requests(
        1000, 100, 0, 10800, SIMPLE, tuned_serving_overhead_per_month=100
    )
    assert with_overhead == pytest.approx(1_000 / 0.0009)
    assert break_even_requests(1000, 100, 0, 10800, SIMPLE, horizon_months=24) == pytest.approx(
        500_000
    )
    upfront = UpfrontCost(gpu_hours=0, compute=800, engineering=10_000, data_prep=0)
    assert break_even_requests(1000, 100, 0, upfront, SIMPLE) == pytest.approx(1_000_000)
    assert payback_months(2_000_000, 1000, 100, 0, 10800, SIMPLE) == pytest.approx(6)


def test_break_even_none_when_tuned_is_not_cheaper():
    assert break_even_requests(100, 100, 5, 1000, SIMPLE) is None
    assert break_even_requests(100, 300, 5, 1000, SIMPLE) is None
    pricey = Prices(input_per_1k=0.001, tuned_input_per_1k=0.02)
    assert break_even_requests(1000, 100, 0, 1000, pricey) is None
    assert break_even_requests(1000, 100, 0, math.inf, SIMPLE) is None
    assert payback_months(1e6, 100, 100, 0, 1000, SIMPLE) is None
    # the saving exists but the overhead eats it
    assert (
        payback_months(10, 1000, 100, 0, 1000, SIMPLE, tuned_serving_overhead_per_month=1) is None
    )


def test_break_even_infinite_horizon():
    assert break_even_requests(1000, 100, 0, 5000, SIMPLE, horizon_months=math.inf) == 0
    assert break_even_requests(
        1000, 100, 0, 5000, SIMPLE, horizon_months=math.inf, tuned_serving_overhead_per_month=9
    ) == pytest.approx(10_000)


def test_break_even_separates_cheaper_sides_monotonically():
    be = break_even_requests(800, 60, 2, 12_000)
    volumes = [be * f for f in (0.01, 0.1, 0.5, 0.99, 1.01, 2, 10, 100)]
    rows = cost_vs_volume(volumes, 800, 60, 2, 12_000)
    cheaper = rows.column("cheaper")
    assert cheaper == ["prompting"] * 4 + ["fine-tuning"] * 4
    # the advantage of fine-tuning only grows with volume
    gaps = [r["prompting"] - r["fine_tuned"] for r in rows]
    assert gaps == sorted(gaps)
    # more upfront cost or a shorter horizon pushes the break-even up
    assert break_even_requests(800, 60, 2, 24_000) > be
    assert break_even_requests(800, 60, 2, 12_000, horizon_months=6) > be


def test_compare_at_volume_puts_both_approaches_side_by_side():
    r = compare_at_volume(2_000_000, 1000, 100, 0, 10800, SIMPLE, horizon_months=12)
    assert r["cost_per_request_prompt"] == pytest.approx(0.001)
    assert r["monthly_tuned"] == pytest.approx(2_000_000 * 0.0001)
    assert r["total_tuned"] == pytest.approx(10800 + 12 * 200)
    assert r["break_even"] == pytest.approx(1_000_000) and r["payback_months"] == pytest.approx(6)
    assert r["cheaper"] == "fine-tuning"
    assert compare_at_volume(10_000, 1000, 100, 0, 10800, SIMPLE)["cheaper"] == "prompting"


def test_adapters_scale_better_than_full_copies():
    rows = per_use_case_cost([1, 10, 50], adapter_bytes=5e6, full_model_bytes=540e6)
    one, _, many = rows
    assert one["full_storage_gb"] == pytest.approx(0.54)
    assert many["adapter_storage_gb"] < many["full_storage_gb"] / 10
    assert many["adapter_monthly"] < many["full_monthly"] / 10
    assert many["full_deployments"] == 50 and many["adapter_deployments"] == 1
    # full copies grow linearly with the number of use cases
    assert many["full_monthly"] == pytest.approx(50 * one["full_monthly"])
    single = per_use_case_cost(3, 5e6, 540e6, months=2, full_train_cost=10, adapter_train_cost=1)
    assert single[0]["full_total"] == pytest.approx(30 + 2 * single[0]["full_monthly"])


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda: cost_per_request("100", 1), TypeError),
        (lambda: cost_per_request(True, 1), TypeError),
        (lambda: cost_per_request(-5, 1), ValueError),
        (lambda: cost_per_request([], 1), ValueError),
        (lambda: cost_per_request(100, 1, prices={"input_per_1k": 1}), TypeError),
        (lambda: Prices(input_per_1k=-1), ValueError),
        (lambda: Prices(engineer_hourly="lots"), TypeError),
        (lambda: Prices(currency=1), TypeError),
        (lambda: monthly_cost(float("nan"), 1, 1), ValueError),
        (lambda: break_even_requests(100, 10, 1, 100, horizon_months=0), ValueError),
        (lambda: per_use_case_cost(0, 1, 1), ValueError),
        (lambda: fine_tune_upfront_cost(None, 1), TypeError),
    ],
)
def test_bad_inputs_raise_clear_errors(call, error):
    with pytest.raises(error):
        call()


def test_error_message_names_the_argument():
    with pytest.raises(TypeError, match="tokens_in"):
        cost_per_request("many", 2)


def test_prices_describe_and_money():
    table = Prices().describe()
    assert "input_per_1k" in table.column("assumption")
    assert all(table.column("meaning"))
    p = Prices(currency="EUR ")
    assert p.money(1234.5) == "EUR 1,234" or p.money(1234.5) == "EUR 1,235"
    assert Prices().money(0.0004).startswith("$0.0004")
    assert Prices().money(-12.5) == "-$12.50"
    assert short_number(2_500_000) == "2.5M" and short_number(25_000, "$") == "$25k"


def test_plots_return_axes_with_marked_break_even():
    ax = plot_break_even(1000, 100, 0, 10800, SIMPLE, mark_volume=2e6)
    labels = [line.get_label() for line in ax.lines]
    assert "prompting" in labels and "fine-tuned" in labels
    xs = [line.get_xdata()[0] for line in ax.lines if line.get_linestyle() == ":"]
    assert xs and xs[0] == pytest.approx(1_000_000)
    plt.close(ax.figure)
    ax = plot_break_even(100, 100, 0, 10800, SIMPLE)
    assert "never" in ax.get_title()
    plt.close(ax.figure)
    ax = plot_per_use_case(per_use_case_cost([1, 5, 20], 5e6, 5e8))
    assert len(ax.lines) == 2
    plt.close(ax.figure)
