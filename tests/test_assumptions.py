"""Assumptions: every default once, with a meaning and a source; every cost function reads it."""

from __future__ import annotations

from dataclasses import fields, replace

import pytest

from prompt_vs_finetune.economics import scaling
from prompt_vs_finetune.economics.assumptions import (
    DEFAULT_ASSUMPTIONS,
    LAPTOP,
    PRESETS,
    TEAM,
    Assumptions,
    Prices,
    as_assumptions,
    compare_presets,
    preset_name,
    prices_of,
)
from prompt_vs_finetune.economics.tokens import break_even_summary

SOURCES = ("course assumption", "the guide", "this course", "compute only", "LoRA on a shared",
           "cloud price list")
MEASURED = {
    "prompt_tokens_in": 800.0,
    "tuned_tokens_in": 60.0,
    "tokens_out": 2.0,
    "train_seconds": 70.0,
    "adapter_bytes": {"a": 4e6},
    "full_model_bytes": 1e9,
}


@pytest.mark.parametrize("preset", list(PRESETS))
def test_every_assumption_has_a_meaning_and_a_source(preset):
    table = PRESETS[preset].describe()
    names = table.column("assumption")
    expected = [f"prices.{f.name}" for f in fields(Prices)]
    expected += [f.name for f in fields(Assumptions) if f.name not in ("prices", "notes")]
    assert names == expected
    assert all(table.column("meaning"))
    # the kind of source, or a typical figure of a kind of public source, never "your edit"
    assert all(s.startswith(SOURCES) or s.endswith("(typical)") for s in table.column("source"))
    # short enough to print whole in a Table cell
    assert max(len(text) for text in table.column("meaning") + table.column("source")) <= 40
    assert Prices().describe().column("assumption")[0] == "input_per_1k"


def test_the_presets():
    assert list(PRESETS) == ["this laptop", "a team on rented GPUs"]
    assert TEAM == Assumptions() and PRESETS["a team on rented GPUs"] is DEFAULT_ASSUMPTIONS
    assert LAPTOP.people_hours == 0 and LAPTOP.compute_scale == 1 and LAPTOP.training_runs == 1
    assert LAPTOP.prices.gpu_hourly < TEAM.prices.gpu_hourly
    assert preset_name(LAPTOP) == "this laptop" and preset_name(None) == "a team on rented GPUs"
    edited = replace(LAPTOP, engineer_hours=8)
    assert preset_name(edited) == "your assumptions"
    sources = dict(zip(edited.describe().column("assumption"), edited.describe().column("source"),
                       strict=True))  # fmt: skip
    assert sources["engineer_hours"] == "your edit"
    assert sources["compute_scale"] == "this course: the run as timed here"
    table = compare_presets()
    assert "engineer_hours" in table.column("assumption")
    assert "horizon_months" not in table.column("assumption")  # the same in both
    assert set(table[0]) == {"assumption", *PRESETS, *(f"source: {n}" for n in PRESETS)}


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
        ({"replica_requests_per_month": 0}, ValueError),
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
