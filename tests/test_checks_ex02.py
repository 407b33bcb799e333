"""Every check of set 02 with a right answer, a wrong answer, a wrong type and the placeholder.

Lesson 02's measured inputs (token counts and training seconds) are replaced by fixed
numbers, so no model is loaded; everything else is the cost model itself.
"""

from __future__ import annotations

import math

import pytest

from prompt_vs_finetune.checks import core, ex02
from prompt_vs_finetune.checks.predictions import predict
from prompt_vs_finetune.economics.assumptions import Prices
from prompt_vs_finetune.economics.costs import break_even_requests, cost_per_request
from tests.conftest import check_outcome as outcome

MEASURED = {"prompt_tokens_in": 500.0, "tuned_tokens_in": 80.0, "tokens_out": 2.0,
            "train_seconds": 900.0}  # fmt: skip


@pytest.fixture(autouse=True)
def progress_path(tmp_path, monkeypatch):
    monkeypatch.setenv(core.PROGRESS_ENV_VAR, str(tmp_path / "progress.json"))


@pytest.fixture(autouse=True)
def measured(monkeypatch):
    monkeypatch.setattr(ex02, "measured", lambda: dict(MEASURED))


def predicted(capsys, exercise_id, value) -> None:
    predict(exercise_id, value)
    capsys.readouterr()


# --- 02.2: the break-even rule ------------------------------------------------------------


def break_even(upfront, cost_prompt, cost_tuned, months=12):
    saving = cost_prompt - cost_tuned
    return None if saving <= 0 else upfront / months / saving


def test_02_2_right(capsys):
    assert outcome(capsys, "02.2", break_even).startswith("✅ Solved: your rule agrees")


def test_02_2_infinity_is_accepted_for_never(capsys):
    def with_inf(*args):
        value = break_even(*args)
        return math.inf if value is None else value

    assert outcome(capsys, "02.2", with_inf).startswith("✅ Solved:")


@pytest.mark.parametrize(
    ("wrong", "says"),
    [
        (lambda u, p, t, m: u / (p - t) if p > t else None, "divide by the months"),
        (lambda u, p, t, m: u / m / (p - t), "raised ZeroDivisionError"),
        (lambda u, p, t, m: u / m / abs(p - t) if p != t else None, "never pays back"),
        (lambda u, p, t, m: u / m / p, "the check expects"),
    ],
)
def test_02_2_wrong(capsys, wrong, says):
    line = outcome(capsys, "02.2", wrong)
    assert line.startswith("❌ Not yet:") and says in line


def test_02_2_wrong_type(capsys):
    assert outcome(capsys, "02.2", 4_000_000).startswith("❌ Not yet: expected a function")


# --- 02.4: predict, then measure, the bill of long answers --------------------------------


def cost(tokens_in, tokens_out=ex02.REPLY_TOKENS):
    return cost_per_request(tokens_in, tokens_out, Prices())


def test_02_4_asks_for_a_prediction_first(capsys):
    assert outcome(capsys, "02.4", 2.0).startswith("❌ Not yet: write your prediction down first")


def test_02_4_a_far_prediction_still_solves(capsys):
    predicted(capsys, "02.4", 6.25)
    line = outcome(capsys, "02.4", cost(500) / cost(80))
    assert line.startswith("✅ Solved: you predicted 6.25x; the measurement is 1.95x: too high")


def test_02_4_right_by_hand(capsys):
    predicted(capsys, "02.4", 2)
    by_hand = (500 * 0.5 + 120 * 1.5) / (80 * 0.5 + 120 * 1.5)  # prices per million tokens
    assert outcome(capsys, "02.4", by_hand).startswith("✅ Solved: you predicted 2.00x")


@pytest.mark.parametrize(
    ("wrong", "says"),
    [
        (500 / 80, "ratio of prompt tokens"),
        (cost(500, 2) / cost(80, 2), "ratio for a label answer"),
        (620 / 200, "output tokens cost as much as input tokens"),
        (cost(80) / cost(500), "divide the other way"),
        (3.0, "not the 8-shot request's cost"),
    ],
)
def test_02_4_wrong(capsys, wrong, says):
    predicted(capsys, "02.4", 3)
    line = outcome(capsys, "02.4", wrong)
    assert line.startswith("❌ Not yet:") and says in line


def test_02_4_wrong_type(capsys):
    predicted(capsys, "02.4", 3)
    assert outcome(capsys, "02.4", "2x").startswith("❌ Not yet: expected a number")


# --- 02.5: a token budget for the prompt ---------------------------------------------------


def budget(m=MEASURED, a=ex02.TEAM) -> float:
    """The break-even prompt length found the other way: bisect on break_even_requests."""
    upfront = ex02.fine_tune_upfront_cost(m["train_seconds"], a)
    low, high = m["tuned_tokens_in"], 100_000.0
    for _ in range(60):
        mid = (low + high) / 2
        volume = break_even_requests(mid, m["tuned_tokens_in"], m["tokens_out"], upfront, a,
                                     horizon_months=a.horizon_months)  # fmt: skip
        low, high = (mid, high) if volume is None or volume > a.high_volume else (low, mid)
    return low


def test_02_5_right_by_bisection(capsys):
    line = outcome(capsys, "02.5", budget())
    assert line.startswith(f"✅ Solved: up to {budget():,.0f} tokens a request")


def test_02_5_the_bar_moves_with_the_measurements(capsys, monkeypatch):
    answer = budget()
    cheaper_run = {**MEASURED, "tuned_tokens_in": 120.0}  # a longer tuned prompt
    monkeypatch.setattr(ex02, "measured", lambda: cheaper_run)
    assert outcome(capsys, "02.5", budget(cheaper_run)).startswith("✅ Solved")
    assert outcome(capsys, "02.5", answer).startswith("❌ Not yet")


@pytest.mark.parametrize(
    ("wrong", "says"),
    [
        (lambda: 80.0, "as if fine-tuning cost nothing"),
        (lambda: ex02.token_budget(MEASURED, ex02.TEAM, ex02.TEAM.high_volume / 12), "one month"),
        (lambda: budget() * 1.05, "prompting is dearer than"),
        (lambda: 500.0, "prompting is still cheaper than"),
    ],
)
def test_02_5_wrong(capsys, wrong, says):
    line = outcome(capsys, "02.5", wrong())
    assert line.startswith("❌ Not yet:") and says in line


def test_02_5_wrong_type(capsys):
    assert outcome(capsys, "02.5", "2000").startswith("❌ Not yet: expected a number")


# --- 02.6: the break-even with a machine of its own -----------------------------------------


def own_machine_volume(m=MEASURED) -> float:
    return ex02.own_machine(m)["break_even"]


@pytest.mark.parametrize("word", ["volume decides", "Depends on volume", "inside"])
def test_02_6_right(capsys, word):
    line = outcome(capsys, "02.6", (word, round(own_machine_volume(), -3)))
    assert line.startswith("✅ Solved: inside the volumes considered: volume decides.")


def test_02_6_never_when_the_tuned_request_is_not_cheaper(capsys, monkeypatch):
    monkeypatch.setattr(ex02, "measured", lambda: {**MEASURED, "tuned_tokens_in": 500.0})
    line = outcome(capsys, "02.6", ("never", 0))
    assert line.startswith("✅ Solved: none: a tuned request is not cheaper")


@pytest.mark.parametrize(
    ("wrong", "says"),
    [
        (("pays back at any volume", 1e5), "does not fall where 'pays back at any volume'"),
        (("volume decides", 1e6), "is not where the dotted line crosses"),
        (("overfitting", 1e5), "not one of the diagnoses here"),
    ],
)
def test_02_6_wrong(capsys, wrong, says):
    line = outcome(capsys, "02.6", wrong)
    assert line.startswith("❌ Not yet:") and says in line


@pytest.mark.parametrize("wrong", ["volume decides", ("volume decides", "340k"), (1, 2, 3)])
def test_02_6_wrong_type(capsys, wrong):
    assert outcome(capsys, "02.6", wrong).startswith("❌ Not yet:")


# --- all: the placeholder, and the retired ids --------------------------------------------


@pytest.mark.parametrize("exercise_id", ["02.2", "02.4", "02.5", "02.6"])
@pytest.mark.parametrize("placeholder", [..., None])
def test_placeholder_is_not_attempted(capsys, exercise_id, placeholder):
    assert outcome(capsys, exercise_id, placeholder).startswith("⏳ Not attempted yet: ")


@pytest.mark.parametrize(("old", "new"), [("02.1", "02.4"), ("02.3", "02.5")])
def test_retired_ids_say_what_replaced_them(capsys, old, new):
    line = outcome(capsys, old, 3)
    assert "no longer exists" in line and new in line
