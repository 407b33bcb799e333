"""Set 09: each check with a right answer other than the solution's, a wrong answer, a wrong
type and the placeholder; the predict check without and with a prediction; the design check
against two baselines. The measured inputs are a fixed dict, so no model or store is used."""

from __future__ import annotations

import math

import pytest

from prompt_vs_finetune.checks import check, core, ex09, predict
from prompt_vs_finetune.economics.assumptions import DEFAULT_ASSUMPTIONS, PRESETS
from prompt_vs_finetune.economics.costs import cost_per_request
from prompt_vs_finetune.economics.scaling import upfront, use_case_table
from tests.conftest import check_outcome as outcome

MEASURED = {
    "prompt_tokens_in": 508.0,
    "tuned_tokens_in": 77.0,
    "tokens_out": 2.0,
    "train_seconds": 870.0,
    "prompt_update_seconds": 0.0014,
    "adapter_bytes": {"category": 929_368, "queue": 929_368, "priority": 929_368},
    "full_model_bytes": 538_090_408,
}
TEAM = PRESETS[ex09.SERVING_PRESET]
LAPTOP = PRESETS[ex09.ADAPTER_PRESET]


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    monkeypatch.setenv(core.PROGRESS_ENV_VAR, str(tmp_path / "progress.json"))
    monkeypatch.setattr(ex09, "_measured", lambda: MEASURED)


def record(capsys, exercise_id, guess) -> None:
    predict(exercise_id, guess)
    capsys.readouterr()


# --- 09.4 ---------------------------------------------------------------------------------


def ratio_by_hand(volume: float) -> float:
    a = DEFAULT_ASSUMPTIONS
    c_prompt = cost_per_request(508.0, 2.0, a.prices)
    c_tuned = cost_per_request(77.0, 2.0, a.prices, tuned=True)
    months = a.horizon_months
    return months * volume * c_prompt / (upfront(MEASURED, a).total + months * volume * c_tuned)


HUNDRED = ex09.SCALE * DEFAULT_ASSUMPTIONS.high_volume


def test_09_4_asks_for_a_prediction_first(capsys):
    line = outcome(capsys, "09.4", ratio_by_hand(HUNDRED))
    assert line.startswith("❌ Not yet: write your prediction down first")


def test_09_4_right_by_hand_with_a_guess_far_off(capsys):
    record(capsys, "09.4", 100.0)
    line = outcome(capsys, "09.4", ratio_by_hand(HUNDRED) * 1.005)
    assert line.startswith("✅ Solved: you predicted 100.00x") and "too high" in line
    assert "ceiling it never passes" in line


@pytest.mark.parametrize(
    ("answer", "says"),
    [
        (cost_per_request(508.0, 2.0) / cost_per_request(77.0, 2.0, tuned=True), "left out"),
        (ex09.SCALE * ratio_by_hand(DEFAULT_ASSUMPTIONS.high_volume), "a hundred times"),
        (1 / ratio_by_hand(HUNDRED), "upside down"),
        (1.0, "not the ratio of the two totals"),
    ],
)
def test_09_4_wrong(capsys, answer, says):
    record(capsys, "09.4", 3.0)
    line = outcome(capsys, "09.4", answer)
    assert line.startswith("❌ Not yet:") and says in line


def test_09_4_wrong_type_and_placeholder(capsys):
    assert outcome(capsys, "09.4", "5x").startswith("❌ Not yet: expected a number")
    assert outcome(capsys, "09.4", ...).startswith("⏳ Not attempted yet")


# --- 09.5 ---------------------------------------------------------------------------------

MONTH = TEAM.prices.deployment_per_month()


def test_09_5_right(capsys):
    crossing = MONTH / cost_per_request(508.0, 2.0, TEAM.prices)
    assert outcome(capsys, "09.5", crossing * 1.01).startswith("✅ Solved: from about")


def test_09_5_never_when_prompting_is_cheap(capsys, monkeypatch):
    monkeypatch.setattr(ex09, "baseline", lambda: 1e-6)
    assert outcome(capsys, "09.5", math.inf).startswith("✅ Solved: one deployment's month")


def test_09_5_the_bar_moves_with_the_baseline(capsys, monkeypatch):
    answer = MONTH / 2e-4
    monkeypatch.setattr(ex09, "baseline", lambda: 2e-4)
    assert outcome(capsys, "09.5", answer).startswith("✅ Solved")
    monkeypatch.setattr(ex09, "baseline", lambda: 4e-4)
    line = outcome(capsys, "09.5", answer)
    assert line.startswith("❌ Not yet:") and "already is" in line


@pytest.mark.parametrize(
    ("answer", "says"),
    [
        (TEAM.replica_requests_per_month, "one deployment is full"),
        (MONTH / cost_per_request(77.0, 2.0, TEAM.prices, tuned=True), "own per-token bill"),
        (1_000_000, "prompting is still cheaper"),
        (math.inf, "does win"),
    ],
)
def test_09_5_wrong(capsys, answer, says):
    line = outcome(capsys, "09.5", answer)
    assert line.startswith("❌ Not yet:") and says in line


def test_09_5_wrong_type_and_placeholder(capsys):
    assert outcome(capsys, "09.5", "7M").startswith("❌ Not yet: expected a number")
    assert outcome(capsys, "09.5", None).startswith("⏳ Not attempted yet")


# --- 09.6 ---------------------------------------------------------------------------------


def test_09_6_right_in_other_words(capsys):
    line = outcome(capsys, "09.6", ("Machines", LAPTOP.prices.deployment_per_month()))
    assert line.startswith("✅ Solved: one more use case saves")


@pytest.mark.parametrize(
    ("answer", "says"),
    [
        (("storage", 73.01), "the saving comes from deployments"),
        (("deployments", use_case_table(MEASURED, LAPTOP)[-1]["monthly_saving"]), "all 50"),
        (("deployments", 1825.0), "does not save"),
        (("compute time", 73.0), "not one of the diagnoses"),
    ],
)
def test_09_6_wrong(capsys, answer, says):
    line = outcome(capsys, "09.6", answer)
    assert line.startswith("❌ Not yet:") and says in line


def test_09_6_wrong_type_and_placeholder(capsys):
    assert outcome(capsys, "09.6", "deployments").startswith("❌ Not yet: answer with a pair")
    assert outcome(capsys, "09.6", ("deployments", "73")).startswith("❌ Not yet: expected")
    assert outcome(capsys, "09.6", ...).startswith("⏳ Not attempted yet")


def test_the_old_ids_say_what_replaced_them(capsys):
    for old, new in (("09.1", "09.6"), ("09.2", "09.4"), ("09.3", "09.5")):
        check(old, 1)
        assert "no longer exists" in capsys.readouterr().out and new in core.RETIRED[old]
