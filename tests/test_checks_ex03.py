"""Every check of set 03 with a right answer, a wrong answer, a wrong type and the placeholder.

03.3 scores 24 tickets with the real course model; 03.2's fine-tune is replaced by a fixed list.
"""

from __future__ import annotations

import math

import pytest

from prompt_vs_finetune.checks import check, core, ex03
from prompt_vs_finetune.data import load_tickets
from prompt_vs_finetune.finetune.diagnosis import diverged
from prompt_vs_finetune.finetune.risk import mislabeled
from prompt_vs_finetune.prompting.fewshot import build_prompt


@pytest.fixture(autouse=True)
def progress_path(tmp_path, monkeypatch):
    monkeypatch.setenv(core.PROGRESS_ENV_VAR, str(tmp_path / "progress.json"))


def outcome(capsys, exercise_id, answer) -> str:
    assert check(exercise_id, answer) is None
    out = capsys.readouterr().out.strip().splitlines()
    lines = [line for line in out if not line.startswith("results store:")]
    assert len(lines) == 1, lines
    return lines[0]


# --- 03.1: a divergence detector -----------------------------------------------------------


def is_diverging(losses):
    if not all(math.isfinite(x) for x in losses):
        return True
    if max(losses) > 2 * losses[0]:
        return True
    return sum(losses[-5:]) / 5 > 0.8 * sum(losses[:5]) / 5


def test_03_1_series_cover_both_answers():
    verdicts = {diverged(losses) for _, losses in ex03.loss_series(seed=3)}
    assert verdicts == {True, False}


def test_03_1_right(capsys):
    assert outcome(capsys, "03.1", is_diverging).startswith("✅ Solved: your detector agrees")


@pytest.mark.parametrize(
    ("wrong", "says"),
    [
        (lambda losses: losses[-1] > losses[0], "curve"),  # ignores nan, judges single steps
        (
            lambda losses: max(losses) > 1.5 * losses[0] or not all(map(math.isfinite, losses)),
            "bumpy but healthy",
        ),  # too touchy
        (lambda losses: sum(losses[-5:]) / 5 > sum(losses[:5]) / 5, "nan curve"),
        (
            lambda losses: (
                not all(map(math.isfinite, losses))
                or max(losses) > 2 * losses[0]
                or sum(losses[-5:]) / 5 > sum(losses[:5]) / 5
            ),
            "hardly falling",
        ),  # the older rule: ended worse than it began
        (lambda losses: 1, "return True or False"),
        (lambda losses: losses.foo, "raised AttributeError"),
    ],
)
def test_03_1_wrong(capsys, wrong, says):
    line = outcome(capsys, "03.1", wrong)
    assert line.startswith("❌ Not yet:") and says in line


def test_03_1_wrong_type(capsys):
    assert outcome(capsys, "03.1", True).startswith("❌ Not yet: expected a function")


# --- 03.2: what the wrecked fine-tune forgot ---------------------------------------------------

FORGOT = ("What is the capital of Italy?", "What colour is snow?")


@pytest.fixture
def fake_forgotten(monkeypatch):
    monkeypatch.setattr(ex03, "_forgotten_by_wrecked", lambda: FORGOT)


def test_03_2_right_in_any_order(capsys, fake_forgotten):
    line = outcome(capsys, "03.2", list(reversed(FORGOT)))
    assert line.startswith("✅ Solved: the wrecked fine-tune forgot 2")


@pytest.mark.parametrize(
    ("wrong", "says"),
    [
        ([FORGOT[0]], "1 forgotten questions are missing"),
        ([*FORGOT, "What is 1 + 1?"], "were not forgotten"),
        ([1, 2], "as text"),
    ],
)
def test_03_2_wrong(capsys, fake_forgotten, wrong, says):
    line = outcome(capsys, "03.2", wrong)
    assert line.startswith("❌ Not yet:") and says in line


def test_03_2_wrong_type(capsys, fake_forgotten):
    assert outcome(capsys, "03.2", "What colour is snow?").startswith(
        "❌ Not yet: expected a list of questions"
    )


# --- 03.3: roll back a bad prompt -------------------------------------------------------------


@pytest.fixture(scope="module")
def good():
    return build_prompt(load_tickets("category"), k=8, seed=0)


def test_03_3_rollback_solves(capsys, good):
    line = outcome(capsys, "03.3", good)
    assert line.startswith("✅ Solved:") and "checked in" in line


def test_03_3_bad_prompt_does_not(capsys, good):
    line = outcome(capsys, "03.3", mislabeled(good))
    assert line.startswith("❌ Not yet:") and "the good prompt scored" in line


def test_03_3_wrong_type(capsys):
    assert outcome(capsys, "03.3", "good").startswith("❌ Not yet: expected a FewShotPrompt")


# --- all: the placeholder -----------------------------------------------------------------


@pytest.mark.parametrize("exercise_id", ["03.1", "03.2", "03.3"])
@pytest.mark.parametrize("placeholder", [..., None])
def test_placeholder_is_not_attempted(capsys, exercise_id, placeholder):
    assert outcome(capsys, exercise_id, placeholder).startswith("⏳ Not attempted yet: ")
