"""Every check of set 04: a right answer other than the solution's, a wrong answer, a wrong
type and the placeholder; the prediction rules of 04.3 and the moving bar of 04.4.

The measurements are replaced by fixed ones (04.3, 04.4) and the runs by fixed curves
(04.5). Two slow tests score "hello" and the unchanged weak prompt with the real model.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from prompt_vs_finetune.checks import check, core, ex04, predict
from prompt_vs_finetune.data import load_tickets
from prompt_vs_finetune.finetune.diagnosis import RunCurves
from prompt_vs_finetune.prompting.fewshot import build_prompt
from prompt_vs_finetune.prompting.versions import TICKET_VERSIONS, PromptVersion
from tests.conftest import check_outcome as outcome


@pytest.fixture(autouse=True)
def progress_path(tmp_path, monkeypatch):
    monkeypatch.setenv(core.PROGRESS_ENV_VAR, str(tmp_path / "progress.json"))


def test_retired_ids_say_what_replaced_them(capsys):
    check("04.1", "Classify the ticket.")
    assert "no longer exists: Exercise 04.1" in capsys.readouterr().out
    check("04.2", {"A": "healthy"})
    assert "04.5" in capsys.readouterr().out


# --- 04.3: predict what calibration does to the weak prompt --------------------------------


@pytest.fixture
def fake_dev(monkeypatch, make_evaluation):
    """The weak prompt: 40 of 100 dev tickets; calibrated: 48 of 100."""
    monkeypatch.setattr(ex04, "dev_baseline", lambda: make_evaluation(100, 40))
    monkeypatch.setattr(ex04, "weak_calibrated", lambda: make_evaluation(100, 48))


def test_04_3_asks_for_a_prediction_first(capsys, fake_dev):
    assert outcome(capsys, "04.3", 0.48).startswith("❌ Not yet: write your prediction down")


def test_04_3_right(capsys, fake_dev):
    predict("04.3", 0.5)
    capsys.readouterr()
    line = outcome(capsys, "04.3", 48 / 100)
    assert line.startswith("✅ Solved: you predicted 0.50; the measurement is 0.48")
    assert "inside the interval" in line and "Without calibration it gets 0.40" in line


def test_04_3_a_far_prediction_still_solves(capsys, fake_dev):
    predict("04.3", 0.1)
    capsys.readouterr()
    line = outcome(capsys, "04.3", 0.48)
    assert line.startswith("✅ Solved: you predicted 0.10") and "too low" in line


@pytest.mark.parametrize(
    ("wrong", "says"),
    [(0.40, "without calibration"), (0.55, "is not the calibrated weak prompt's accuracy")],
)
def test_04_3_wrong(capsys, fake_dev, wrong, says):
    predict("04.3", 0.5)
    capsys.readouterr()
    line = outcome(capsys, "04.3", wrong)
    assert line.startswith("❌ Not yet:") and says in line


@pytest.mark.parametrize("wrong", ["0.48", [0.48]])
def test_04_3_wrong_type(capsys, fake_dev, wrong):
    assert outcome(capsys, "04.3", wrong).startswith("❌ Not yet: expected an accuracy")


# --- 04.4: beat the weak prompt by more than noise -----------------------------------------

IDS = [f"d{i}" for i in range(100)]


def scored(right: set[int], tokens: float = 80.0) -> SimpleNamespace:
    """An evaluation of the 100 dev tickets, right on the items in ``right``."""
    return SimpleNamespace(
        ids=IDS, gold=["a"] * 100, predictions=["a" if i in right else "b" for i in range(100)],
        mean_tokens=tokens,
    )  # fmt: skip


WEAK = set(range(40))


@pytest.fixture
def fake_on_dev(monkeypatch):
    """A prompt with examples or calibration gets the weak prompt's 40 and 22 more right."""

    def fake(prompt, *args, **kwargs):
        if getattr(prompt, "calibrate", False) or prompt.k:
            return scored(set(range(62)), 300.0)
        return scored(WEAK | {60, 61})  # two tickets ahead: noise

    monkeypatch.setattr(ex04, "on_dev", fake)
    monkeypatch.setattr(ex04, "baseline", lambda: scored(WEAK))


def test_04_4_right(capsys, fake_on_dev):
    line = outcome(capsys, "04.4", build_prompt(load_tickets(), k=4, seed=3))
    assert line.startswith("✅ Solved: yours 0.620 against the weak prompt 0.400")
    version = PromptVersion("mine", "definitions", instruction="Sort the ticket.", calibrate=True)
    assert outcome(capsys, "04.4", version).startswith("✅ Solved")


def test_04_4_a_small_lead_is_not_enough(capsys, fake_on_dev):
    line = outcome(capsys, "04.4", "Sort this ticket into its category.")
    assert line.startswith("❌ Not yet: yours 0.420") and "could be luck" in line


@pytest.mark.parametrize(
    ("wrong", "says"),
    [
        (TICKET_VERSIONS[4], "lesson 04's v5 as it stands"),
        (build_prompt(load_tickets(), k=30, pool="dev"), "shows dev tickets as examples"),
        ("   ", "the instruction is empty"),
    ],
)
def test_04_4_refused(capsys, fake_on_dev, wrong, says):
    line = outcome(capsys, "04.4", wrong)
    assert line.startswith("❌ Not yet:") and says in line


@pytest.mark.parametrize("wrong", [42, ["Classify the ticket."]])
def test_04_4_wrong_type(capsys, fake_on_dev, wrong):
    assert outcome(capsys, "04.4", wrong).startswith("❌ Not yet: expected an instruction")


def test_04_4_the_bar_moves_with_the_weak_prompt(capsys, fake_on_dev, monkeypatch):
    better = build_prompt(load_tickets(), k=4, seed=3)
    assert outcome(capsys, "04.4", better).startswith("✅ Solved")
    stronger = WEAK | set(range(62, 78))  # 56 right, 16 of them where yours is wrong
    monkeypatch.setattr(ex04, "baseline", lambda: scored(stronger))
    line = outcome(capsys, "04.4", better)
    assert line.startswith("❌ Not yet: yours 0.620 against the weak prompt 0.560")


@pytest.mark.parametrize("prompt", ["hello", TICKET_VERSIONS[1], load_tickets().instruction])
def test_04_4_hello_and_the_weak_prompt_fail_on_the_real_model(capsys, prompt):
    assert outcome(capsys, "04.4", prompt).startswith("❌ Not yet: yours")


# --- 04.5: three runs, each with the step where dev accuracy peaked ------------------------

CURVES = {
    "A": RunCurves(  # over-fitting: memorised, dev falls back from step 30
        [4.0, 3.0, 1.0, 0.2] + [0.001] * 16,
        [(0, 0.40), (10, 0.45), (20, 0.60), (30, 0.70), (40, 0.62), (50, 0.60)],
    ),
    "B": RunCurves([4.0, 16.0, 22.0, 12.0] + [2.5] * 16, [(0, 0.40), (20, 0.17)]),  # diverged
    "C": RunCurves([4.0, 3.5, 2.0, 1.0] + [0.4] * 16, [(0, 0.40), (20, 0.65), (40, 0.75)]),
}


@pytest.fixture
def fake_runs(monkeypatch):
    monkeypatch.setattr(ex04, "mystery_runs", lambda: CURVES)


def test_04_5_right(capsys, fake_runs):
    answer = {"a": ("overfit", 30), "B": ["Wrecked", 0], " c ": ("fine", 40)}
    line = outcome(capsys, "04.5", answer)
    assert line.startswith("✅ Solved: A overfitting (best dev accuracy at step 30: stop there)")
    assert "B diverged (best dev accuracy at step 0: the model before training" in line


@pytest.mark.parametrize(
    ("wrong", "says"),
    [
        (
            {"A": ("healthy", 30), "B": ("diverged", 0), "C": ("healthy", 40)},
            "run A is not healthy",
        ),
        (
            {"A": ("overfitting", 50), "B": ("diverged", 0), "C": ("healthy", 40)},
            "run A is overfitting, but its dev accuracy peaked at another",
        ),
        ({"A": ("overfitting", 30), "B": ("diverged", 0)}, "no reading for run C"),
        ({"A": ("sad", 30), "B": ("diverged", 0), "C": ("healthy", 40)}, "'sad' is not one"),
    ],
)
def test_04_5_wrong(capsys, fake_runs, wrong, says):
    line = outcome(capsys, "04.5", wrong)
    assert line.startswith("❌ Not yet:") and says in line


@pytest.mark.parametrize(
    ("wrong", "says"),
    [
        ("overfitting", "expected a dict"),
        ({"A": "overfitting", "B": "diverged", "C": "healthy"}, "answer with a pair"),
        ({"A": ("overfitting", "30"), "B": ("diverged", 0), "C": ("healthy", 40)}, "expected"),
    ],
)
def test_04_5_wrong_type(capsys, fake_runs, wrong, says):
    line = outcome(capsys, "04.5", wrong)
    assert line.startswith("❌ Not yet:") and says in line


def test_mystery_runs_reads_the_three_course_runs(monkeypatch):
    monkeypatch.setattr(ex04, "course_run_curves", lambda name: name)
    assert ex04.mystery_runs() == {"A": "overfit", "B": "wrecked", "C": "category"}


# --- all: the placeholder -----------------------------------------------------------------


@pytest.mark.parametrize("exercise_id", ["04.3", "04.4", "04.5"])
@pytest.mark.parametrize("placeholder", [..., None])
def test_placeholder_is_not_attempted(capsys, exercise_id, placeholder):
    assert outcome(capsys, exercise_id, placeholder).startswith("⏳ Not attempted yet: ")
