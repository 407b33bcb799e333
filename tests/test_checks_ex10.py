"""Set 10: each check with a right answer other than the solution's, a wrong answer, a wrong
type and the placeholder; the predict check without and with a prediction; the design check
against two baselines. Measured inputs and prompt versions are fixed dicts (no model, no store)."""

from __future__ import annotations

import pytest

from prompt_vs_finetune.checks import check, core, ex10, predict
from prompt_vs_finetune.economics.roi import crossover_month, payback_month, roi_curves
from prompt_vs_finetune.economics.roi_inputs import roi_inputs
from tests.conftest import check_outcome as outcome

MEASURED = {"tokens_out": 2.0, "train_seconds": 870.0}
VERSIONS = {
    "names": [f"v{i}" for i in range(1, 9)],
    "changes": ["an edit"] * 8,
    "accuracies": [0.5, 0.4, 0.65, 0.667, 0.7, 0.55, 0.5, 0.7],
    "tokens": [70.0, 80.0, 70.0, 176.0, 412.0, 533.0, 745.0, 425.0],
    "tuned_accuracy": 0.717,
    "tuned_tokens": 80.0,
    "split": "dev",
    "n": 60,
}
INPUTS = roi_inputs(MEASURED, VERSIONS)


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    monkeypatch.setenv(core.PROGRESS_ENV_VAR, str(tmp_path / "progress.json"))
    monkeypatch.setattr(ex10, "_measured", lambda: MEASURED)
    monkeypatch.setattr(ex10, "_versions", lambda: VERSIONS)


def record(capsys, exercise_id, guess) -> None:
    predict(exercise_id, guess)
    capsys.readouterr()


def rows_at(volume: float, inputs=INPUTS):
    return roi_curves(**{**inputs, "volume_per_month": volume})


# --- 10.4 ---------------------------------------------------------------------------------

TEN = ex10.SCALE * INPUTS["volume_per_month"]


def month_by_hand(rows) -> int:
    behind = False
    for row in rows:
        if row["fine_tuning"] < row["prompting"]:
            behind = True
        elif behind:
            return row["month"]
    return -1


def test_10_4_asks_for_a_prediction_first(capsys):
    line = outcome(capsys, "10.4", month_by_hand(rows_at(TEN)))
    assert line.startswith("❌ Not yet: write your prediction down first")


def test_10_4_right_by_hand_with_a_guess_far_off(capsys):
    record(capsys, "10.4", 2)
    truth = month_by_hand(rows_at(TEN))
    assert truth == crossover_month(rows_at(TEN)) and truth > 2
    line = outcome(capsys, "10.4", truth)
    assert line.startswith("✅ Solved: you predicted 2;") and "too low" in line
    assert "month of building" in line


@pytest.mark.parametrize(
    ("answer", "says"),
    [
        (crossover_month(rows_at(INPUTS["volume_per_month"])), "the lesson's volume"),
        (payback_month(rows_at(TEN), "fine_tuning"), "pays back its own cost"),
        (40, "not the month"),
    ],
)
def test_10_4_wrong(capsys, answer, says):
    record(capsys, "10.4", 5)
    line = outcome(capsys, "10.4", answer)
    assert line.startswith("❌ Not yet:") and says in line


def test_10_4_wrong_type_and_placeholder(capsys):
    assert outcome(capsys, "10.4", 13.0).startswith("❌ Not yet: expected a whole number")
    assert outcome(capsys, "10.4", ...).startswith("⏳ Not attempted yet")


# --- 10.5 ---------------------------------------------------------------------------------


def volume_root(inputs) -> float:
    """The volume where the final margin is zero, by bisection (the solution solves a line)."""
    low, high = inputs["volume_per_month"], 1e9
    for _ in range(200):
        mid = (low + high) / 2
        low, high = (mid, high) if ex10.margin({**inputs, "volume_per_month": mid}) < 0 else (
            low, mid)  # fmt: skip
    return high


def test_10_5_right_with_another_lever(capsys):
    assert ex10.decision(INPUTS) == "prompting"
    line = outcome(capsys, "10.5", {"volume_per_month": volume_root(INPUTS) * 1.01})
    assert line.startswith("✅ Solved: volume_per_month from") and "choosing wrong" in line


def test_10_5_the_bar_moves_with_the_baseline(capsys, monkeypatch):
    answer = {"volume_per_month": volume_root(INPUTS) * 1.01}
    monkeypatch.setattr(ex10, "baseline", lambda: INPUTS)
    assert outcome(capsys, "10.5", answer).startswith("✅ Solved")
    cheaper = {**INPUTS, "opportunity_cost_per_month": 1000.0}
    monkeypatch.setattr(ex10, "baseline", lambda: cheaper)
    line = outcome(capsys, "10.5", answer)
    assert line.startswith("❌ Not yet:") and "a smaller change does too" in line


@pytest.mark.parametrize(
    ("answer", "says"),
    [
        ({"volume_per_month": 2_000_000.0}, "prompting still ends ahead"),
        ({"volume_per_month": 100_000.0}, "the other way"),
        ({"fine_tune_upfront": 0.0}, "no value of fine_tune_upfront"),
        ({"months": 36}, "not one of the inputs"),
        ({"accuracy_tuned": 1.5}, "between 0 and 1"),
        ({"volume_per_month": 9e6, "accuracy_tuned": 0.8}, "exactly one input"),
    ],
)
def test_10_5_wrong(capsys, answer, says):
    line = outcome(capsys, "10.5", answer)
    assert line.startswith("❌ Not yet:") and says in line


def test_10_5_wrong_type_and_placeholder(capsys):
    assert outcome(capsys, "10.5", ["volume_per_month", 5e6]).startswith("❌ Not yet: expected")
    assert outcome(capsys, "10.5", ...).startswith("⏳ Not attempted yet")


# --- 10.6 ---------------------------------------------------------------------------------


def test_10_6_right_in_other_words(capsys):
    margins = ex10.end_margins()
    worst, best = margins["prompting at its best"], margins["fine-tuning at its best"]
    assert worst < 0 < best
    line = outcome(capsys, "10.6", ("can't tell", round(worst)))
    assert line.startswith("✅ Solved: fine-tuning's final margin") and "inconclusive" in line


@pytest.mark.parametrize(
    ("word", "end", "says"),
    [
        ("supported", "prompting at its best", "one point of the range"),
        ("inconclusive", "fine-tuning at its best", "the evidence is the one at"),
        ("too small", "prompting at its best", "not the model's size"),
    ],
)
def test_10_6_wrong(capsys, word, end, says):
    line = outcome(capsys, "10.6", (word, ex10.end_margins()[end]))
    assert line.startswith("❌ Not yet:") and says in line


def test_10_6_wrong_number(capsys):
    line = outcome(capsys, "10.6", ("inconclusive", 1234.0))
    assert line.startswith("❌ Not yet: that is not the final margin")


def test_10_6_wrong_type_and_placeholder(capsys):
    assert outcome(capsys, "10.6", "inconclusive").startswith("❌ Not yet: answer with a pair")
    assert outcome(capsys, "10.6", ...).startswith("⏳ Not attempted yet")


def test_the_old_ids_say_what_replaced_them(capsys):
    for old in ("10.1", "10.2", "10.3"):
        check(old, 1)
        assert "no longer exists" in capsys.readouterr().out
