"""The two named scenarios side by side (lessons 02, 09, 10) and lesson 09's serving model."""

from __future__ import annotations

import pytest

from prompt_vs_finetune.economics.assumptions import LAPTOP, PRESETS, TEAM, Assumptions, Prices
from prompt_vs_finetune.economics.costs import fine_tune_upfront_cost
from prompt_vs_finetune.economics.presets import (
    break_even_by_preset,
    break_even_place,
    gap_sentence,
    presets_or_default,
    side_by_side,
    upfront_by_preset,
)
from prompt_vs_finetune.economics.serving import (
    dedicated_monthly,
    flat_range,
    replicas,
    serving_summary,
    serving_table,
)


def test_side_by_side_by_hand():
    table = side_by_side({"cheap": {"a": 1.0, "b": 0.0}, "dear": {"a": 3.0, "b": 8.0}})
    assert table.column("item") == ["a", "b", "total"]
    assert table.column("times") == [3.0, None, 11.0]
    assert table.column("share_of_gap") == pytest.approx([0.2, 0.8, 1.0])
    assert gap_sentence(table, "the bill") == (
        "the bill: dear $11.00, cheap $1.00 (11x as much); b and a make 100% of the difference."
    )
    with pytest.raises(ValueError, match="same items"):
        side_by_side({"x": {"a": 1.0}, "y": {"b": 1.0}})
    with pytest.raises(ValueError, match="exactly two"):
        side_by_side({"x": {"a": 1.0}})


def test_upfront_by_preset_is_the_upfront_cost_of_each():
    table = upfront_by_preset(3600)
    total = table[-1]
    for name, a in PRESETS.items():
        assert total[name] == pytest.approx(fine_tune_upfront_cost(3600, a).total)
    # laptop: one hour at the 2-vCPU price, one evaluation of 0.02 h; no people
    assert total["this laptop"] == pytest.approx(0.10 + 0.02 * 0.10)
    people = [r for r in table if r["item"] in ("engineering", "data preparation")]
    assert sum(r["share_of_gap"] for r in people) > 0.9  # people's time makes the gap
    assert "engineering" in gap_sentence(table) and "data preparation" in gap_sentence(table)


def test_presets_or_default_checks_its_input():
    assert presets_or_default(None) == PRESETS
    with pytest.raises(TypeError):
        presets_or_default({"x": Prices()})
    with pytest.raises(ValueError):
        presets_or_default({})


def test_break_even_by_preset_and_where_it_lies():
    summaries = break_even_by_preset(508, 77, 2, 870)
    assert list(summaries) == list(PRESETS)
    laptop, team = summaries.values()
    assert laptop["break_even"] < 1_000 < team["break_even"] < 100_000_000
    assert team["volume_range"] == (1_000, 100_000_000)
    assert [break_even_place(s) for s in summaries.values()] == ["below", "inside"]
    assert break_even_place({**team, "break_even": 1e9}) == "above"
    assert break_even_place({**team, "break_even": None}) == "none"


def test_dedicated_serving_is_flat_below_capacity_and_steps_after():
    a = Assumptions(replica_requests_per_month=1_000)
    month = a.prices.deployment_per_month()
    assert [replicas(v, a) for v in (0, 1, 1_000, 1_001, 5_000)] == [1, 1, 1, 2, 5]
    assert dedicated_monthly(10, a) == dedicated_monthly(1_000, a) == month
    assert dedicated_monthly(1_001, a) == 2 * month
    assert flat_range(a) == {"up_to": 1_000, "monthly": month}
    rows = serving_table({"tuned_tokens_in": 100, "tokens_out": 0}, a, [10, 1_000, 3_000])
    assert rows.column("flat") == [True, True, False]
    assert rows.column("replicas") == [1, 1, 3]
    assert rows.column("per_token") == pytest.approx([10 * 0.00005, 0.05, 0.15])  # 100 tokens
    assert rows[0]["per_request_dedicated"] == pytest.approx(month / 10)


def test_the_presets_serve_differently():
    assert flat_range(TEAM)["up_to"] > flat_range(LAPTOP)["up_to"]
    assert flat_range(TEAM)["monthly"] > flat_range(LAPTOP)["monthly"]


def test_serving_summary_by_hand():
    a = Assumptions(replica_requests_per_month=1_000, volume_grid=(10, 1_000, 3_000),
                    prices=Prices(gpu_hourly=1.0))  # fmt: skip
    assert serving_summary({"tuned_tokens_in": 1000, "tokens_out": 0}, a) == (
        "dedicated, flat at $730 a month up to 1,000 requests; at 3,000 it needs 3 replicas "
        "($2,190); per token, $0.005000 a month at 10 requests and $1.50 at 3,000."
    )
