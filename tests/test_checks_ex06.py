"""Every check of set 06 with a right answer, wrong answers, a wrong type and the placeholder."""

from __future__ import annotations

import dataclasses
import statistics

import pytest

from prompt_vs_finetune.checks import check, core, ex06
from prompt_vs_finetune.data import load_tickets
from prompt_vs_finetune.measure.consistency import TEMPERATURES
from prompt_vs_finetune.prompting.compression import CATEGORY_GUIDE
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


# --- 06.1: speed-up of the median request --------------------------------------------------

RIGHT_FOR_THE_FIRST_LISTS = statistics.median(ex06.PROMPTED_SECONDS) / statistics.median(
    ex06.TUNED_SECONDS
)


def test_06_1_right(capsys):
    def speedup(a, b):
        return statistics.median(a) / statistics.median(b)

    line = outcome(capsys, "06.1", speedup)
    assert line.startswith("✅ Solved:") and "faster" in line


@pytest.mark.parametrize(
    ("wrong", "says"),
    [
        (lambda a, b: statistics.mean(a) / statistics.mean(b), "ratio of the means"),
        (lambda a, b: statistics.median(b) / statistics.median(a), "upside down"),
        (lambda a, b: 2.0, "returned 2"),
        (lambda a, b: RIGHT_FOR_THE_FIRST_LISTS, "any lists"),
    ],
)
def test_06_1_wrong(capsys, wrong, says):
    line = outcome(capsys, "06.1", wrong)
    assert line.startswith("❌ Not yet:") and says in line


def test_06_1_wrong_type(capsys):
    assert "expected a function" in outcome(capsys, "06.1", 3.5)
    assert "expected a number" in outcome(capsys, "06.1", lambda a, b: "fast")


# --- 06.2: company context in a prompt -------------------------------------------------------


def test_06_2_right(capsys):
    tickets = load_tickets("category")
    line = outcome(capsys, "06.2", build_prompt(tickets, k=0, context=CATEGORY_GUIDE))
    assert line.startswith("✅ Solved:")


def test_06_2_too_few_right(capsys, monkeypatch):
    monkeypatch.setattr(ex06, "tickets_right", lambda prompt: 3)
    tickets = load_tickets("category")
    line = outcome(capsys, "06.2", build_prompt(tickets, k=0, context=CATEGORY_GUIDE))
    assert line.startswith("❌ Not yet: 3 of 24 right")


def test_06_2_needs_context_the_task_and_no_leaks(capsys):
    tickets = load_tickets("category")
    assert "no company context" in outcome(capsys, "06.2", build_prompt(tickets, k=2))
    queue = build_prompt(load_tickets("queue"), k=0, context="x")
    assert "category task" in outcome(capsys, "06.2", queue)
    leaky = dataclasses.replace(
        build_prompt(tickets, k=0, context=CATEGORY_GUIDE), examples=ex06.context_tickets()[:2]
    )
    assert "check tickets" in outcome(capsys, "06.2", leaky)


def test_06_2_wrong_type(capsys):
    assert "expected a FewShotPrompt" in outcome(capsys, "06.2", CATEGORY_GUIDE)


# --- 06.3: temperature ------------------------------------------------------------------------

FAKE = dict(zip(TEMPERATURES, [1.0, 0.9, 0.7, 0.55, 0.45, 0.4, 0.35, 0.3], strict=True))


@pytest.fixture
def fake_agreements(monkeypatch):
    monkeypatch.setattr(ex06, "temperature_agreements", lambda: FAKE)


def test_06_3_right_on_the_real_model(capsys):
    agreements = ex06.temperature_agreements()
    truth = max(t for t, a in agreements.items() if a >= ex06.AGREEMENT_TARGET)
    assert outcome(capsys, "06.3", truth).startswith("✅ Solved:")


@pytest.mark.usefixtures("fake_agreements")
@pytest.mark.parametrize(
    ("answer", "says"),
    [(0.75, "Solved"), (1.0, "too hot"), (0.25, "higher temperature"), (0.6, "not one of")],
)
def test_06_3_answers(capsys, answer, says):
    assert says in outcome(capsys, "06.3", answer)


def test_06_3_wrong_type(capsys):
    assert "expected a number" in outcome(capsys, "06.3", "0.5")


# --- all three: the placeholder -----------------------------------------------------------


@pytest.mark.parametrize("exercise_id", ["06.1", "06.2", "06.3"])
@pytest.mark.parametrize("placeholder", [..., None])
def test_placeholder_is_not_attempted(capsys, exercise_id, placeholder):
    assert outcome(capsys, exercise_id, placeholder).startswith("⏳ Not attempted yet: ")
