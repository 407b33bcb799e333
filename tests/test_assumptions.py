"""Assumptions: every default once, with a meaning and a source; every cost function reads it."""

from __future__ import annotations

from dataclasses import fields, replace

import pytest

from prompt_vs_finetune.economics import scaling
from prompt_vs_finetune.economics.assumptions import (
    DEFAULT_ASSUMPTIONS,
    Assumptions,
    Prices,
    as_assumptions,
    prices_of,
)
from prompt_vs_finetune.economics.tokens import break_even_summary

SOURCES = ("course assumption", "the guide", "public price list")
MEASURED = {
    "prompt_tokens_in": 800.0,
    "tuned_tokens_in": 60.0,
    "tokens_out": 2.0,
    "train_seconds": 70.0,
    "adapter_bytes": {"a": 4e6},
    "full_model_bytes": 1e9,
}


def test_every_assumption_has_a_meaning_and_a_source():
    table = Assumptions().describe()
    names = table.column("assumption")
    expected = [f"prices.{f.name}" for f in fields(Prices)]
    expected += [f.name for f in fields(Assumptions) if f.name != "prices"]
    assert names == expected
    assert all(table.column("meaning"))
    assert all(source.startswith(SOURCES) for source in table.column("source"))
    # short enough to print whole in a Table cell
    assert max(len(text) for text in table.column("meaning") + table.column("source")) <= 40
    assert Prices().describe().column("assumption")[0] == "input_per_1k"


def test_as_assumptions_and_prices_of():
    prices = Prices(input_per_1k=0.003)
    assert as_assumptions(None) is DEFAULT_ASSUMPTIONS
    assert as_assumptions(prices).prices is prices
    assert as_assumptions(prices).engineer_hours == DEFAULT_ASSUMPTIONS.engineer_hours
    a = Assumptions(prices, horizon_months=24)
    assert as_assumptions(a) is a and prices_of(a) is prices and prices_of(prices) is prices
    assert prices_of(None) == Prices()
    with pytest.raises(TypeError):
        as_assumptions({"engineer_hours": 3})
    with pytest.raises(TypeError):
        prices_of("cheap")


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"engineer_hours": -1}, ValueError),
        ({"horizon_months": "a year"}, TypeError),
        ({"volume_grid": (1_000, 0)}, ValueError),
        ({"prices": {"input_per_1k": 1}}, TypeError),
    ],
)
def test_bad_assumptions_raise(change, error):
    with pytest.raises(error):
        Assumptions(**change)


def test_cost_functions_follow_the_assumptions():
    base = scaling.break_even_volume(MEASURED)
    assert scaling.break_even_volume(MEASURED, Assumptions(horizon_months=24)) < base
    more_people = Assumptions(engineer_hours=400)
    assert scaling.upfront(MEASURED, more_people).engineering == pytest.approx(400 * 100)
    assert scaling.break_even_volume(MEASURED, more_people) > base
    dear = replace(DEFAULT_ASSUMPTIONS, prices=Prices(input_per_1k=0.005))
    assert scaling.break_even_volume(MEASURED, dear) < base
    summary = break_even_summary(800, 60, 2, 70, Assumptions(horizon_months=6))
    assert summary["horizon_months"] == 6
    assert summary["break_even"] == pytest.approx(2 * base)
    rows = scaling.volume_table(MEASURED)
    assert rows.column("requests_per_month") == list(DEFAULT_ASSUMPTIONS.volume_grid)
