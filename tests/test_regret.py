"""The cost of choosing wrong (economics.regret): values computed by hand on a toy scenario."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from prompt_vs_finetune.economics.assumptions import LAPTOP, TEAM, Assumptions, Prices
from prompt_vs_finetune.economics.regret import (
    EITHER,
    KEPT,
    NEEDLESS,
    RegretInputs,
    Span,
    crossover,
    mistakes,
    mistakes_table,
    summary,
)

# $1 per 1k input tokens, output and machines free, $10 an hour of people: a fine-tune costs
# U = (40 + 40) h x $10 = $800 and 80 / 40 = 2 person-weeks. A 1000-token prompt against a
# 0-token tuned input saves s = $1 a request; H = 10 months; a right answer is worth $0.50.
TOY = Assumptions(
    prices=Prices(input_per_1k=1.0, output_per_1k=0.0, engineer_hourly=10.0, gpu_hourly=0.0),
    engineer_hours=40.0, data_prep_hours=40.0, hours_per_week=40.0, horizon_months=10.0,
    value_per_correct_answer=0.5,
)  # fmt: skip
# d = fine-tune minus prompt: 0.2, with the 95% interval [0.1, 0.3]
INPUTS = RegretInputs(1000.0, 0.0, 0.0, 3600.0, Span(0.1, 0.2, 0.3))


def test_person_weeks_come_from_the_hours_in_the_assumptions():
    assert TOY.people_weeks == 2.0
    assert Assumptions(hours_per_week=20.0).people_weeks == 120 / 20
    assert TEAM.people_weeks == 3.0 and LAPTOP.people_weeks == 0.0
    with pytest.raises(ValueError, match="hours_per_week"):
        Assumptions(hours_per_week=0.0)


def test_both_mistakes_at_a_low_volume():
    m = mistakes(10, INPUTS, TOY)
    assert m.upfront == pytest.approx(800) and m.person_weeks == 2.0
    assert m.saving == pytest.approx(10 * 10 * 1.0)  # H x V x s
    assert m.break_even == pytest.approx(800 / (10 * 1.0))
    assert m.fine_tuned_needlessly == pytest.approx(700)  # U - H x V x s
    assert m.wrong_per_month == pytest.approx((1, 2, 3))  # V x d
    # H x V x s - U + H x value x V x d = -700 + 50 d
    assert m.kept_prompting == pytest.approx((-695, -690, -685))
    assert m.costlier == NEEDLESS


def test_at_a_high_volume_keeping_prompting_is_costlier():
    m = mistakes(100, INPUTS, TOY)
    assert m.fine_tuned_needlessly == pytest.approx(-200)  # the fine-tune pays for itself
    assert m.kept_prompting == pytest.approx((250, 300, 350))  # 200 + 500 d
    assert m.costlier == KEPT


def test_the_crossover_carries_the_range_of_d():
    v = crossover(INPUTS, TOY)  # 2U / (2 H s + H value d) = 1600 / (20 + 5 d)
    assert v == pytest.approx((1600 / 20.5, 1600 / 21, 1600 / 21.5))
    at_d = mistakes(v.at_d, INPUTS, TOY)
    assert at_d.kept_prompting.at_d == pytest.approx(at_d.fine_tuned_needlessly)
    # between the ends of the range the answer depends on where d lies in its interval
    m = mistakes(77, INPUTS, TOY)
    assert m.fine_tuned_needlessly == pytest.approx(30)
    assert m.kept_prompting == pytest.approx((8.5, 47, 85.5))  # -30 + 385 d
    assert m.costlier == EITHER


def test_no_crossover_when_nothing_is_gained():
    same_tokens = RegretInputs(1000.0, 1000.0, 0.0, 3600.0, Span(-0.1, 0.0, 0.1))
    assert crossover(same_tokens, TOY) == (None, None, pytest.approx(1600 / 0.5))


def test_from_pair_reads_the_measured_pair():
    pair = SimpleNamespace(
        comparison=SimpleNamespace(difference=0.2, low=0.1, high=0.3),
        prompt=SimpleNamespace(tokens=1000.0), tuned=SimpleNamespace(tokens=0.0),
        task=SimpleNamespace(run="category"),
    )  # fmt: skip
    measured = {"tokens_out": 0.0, "train_seconds_by_run": {"category": 3600.0}}
    assert RegretInputs.from_pair(pair, measured) == INPUTS


def test_table_and_summary_print_the_range():
    rows = mistakes_table(INPUTS, [10, 100], {"toy": TOY})
    assert rows.column("costlier") == [NEEDLESS, KEPT]
    assert rows[0]["fine-tuned needlessly"] == "$700"
    assert rows[0]["kept prompting"] == "-$690 [-$695 .. -$685]"
    assert rows[0]["wrong answers a month"] == "2 [1 .. 3]"
    (line,) = summary(INPUTS, {"toy": TOY})
    assert line == (
        "toy: a needless fine-tune costs $800 and 2.0 person-weeks; its shorter requests repay "
        "that from 80 requests a month. Keeping prompting is the costlier mistake above 76.2 "
        "requests a month (74.4 to 78 over d's 95% interval)."
    )


def test_the_presets_by_default():
    rows = mistakes_table(INPUTS, [10])
    assert rows.column("scenario") == ["this laptop", "a team on rented GPUs"]
    # the laptop's bill is cents: its crossover lies far below the team's
    assert crossover(INPUTS, LAPTOP).at_d < crossover(INPUTS, TEAM).at_d
