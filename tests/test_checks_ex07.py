"""Every check of set 07 with a right answer, wrong answers, a wrong type and the placeholder."""

from __future__ import annotations

import dataclasses

import pytest

from prompt_vs_finetune.checks import check, core, ex07
from prompt_vs_finetune.data import load_tickets
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


# --- 07.1: cheapest threshold meeting a target ----------------------------------------


def pick_threshold(rows, target):
    good = [r for r in rows if r["accuracy"] >= target]
    return min(good, key=lambda r: r["cost_per_request"])["threshold"] if good else None


def most_accurate(rows, target):
    good = [r for r in rows if r["accuracy"] >= target]
    return max(good, key=lambda r: r["accuracy"])["threshold"] if good else None


def first_row(rows, target):
    return rows[0]["threshold"]


def whole_row(rows, target):
    good = [r for r in rows if r["accuracy"] >= target]
    return min(good, key=lambda r: r["cost_per_request"]) if good else None


def test_07_1_right(capsys):
    assert outcome(capsys, "07.1", pick_threshold).startswith("✅ Solved:")


@pytest.mark.parametrize(
    ("wrong", "says"),
    [
        (most_accurate, "another row meets it for less"),
        (first_row, "below the target"),
        (whole_row, "whole row"),
        (lambda rows, target: None, "returned None"),
        (lambda rows, target: 0.33, "not a threshold of the sweep"),
    ],
)
def test_07_1_wrong(capsys, wrong, says):
    line = outcome(capsys, "07.1", wrong)
    assert line.startswith("❌ Not yet:") and says in line


def test_07_1_unreachable_target_must_give_none(capsys):
    def never_none(rows, target):
        return min(rows, key=lambda r: r["cost_per_request"])["threshold"] if rows else 0.0

    def right_until_last(rows, target):
        return pick_threshold(rows, target) if target < 0.9 else 1.0

    assert "the answer there is None" in outcome(capsys, "07.1", right_until_last)
    assert outcome(capsys, "07.1", never_none).startswith("❌ Not yet:")


def test_07_1_wrong_type(capsys):
    assert "expected a function" in outcome(capsys, "07.1", 0.5)
    assert "expected a threshold" in outcome(capsys, "07.1", lambda rows, target: "0.4")


# --- 07.2: compress a long prompt ------------------------------------------------------


def test_07_2_right(capsys):
    tickets = load_tickets("category")
    line = outcome(capsys, "07.2", build_prompt(tickets, k=2))
    assert line.startswith("✅ Solved:") and "x fewer), 13 of 24 right" in line


def test_07_2_the_long_prompt_is_too_long(capsys):
    line = outcome(capsys, "07.2", ex07.long_prompt())
    assert line.startswith("❌ Not yet:") and "fewer than" in line


def test_07_2_short_but_wrong(capsys, monkeypatch):
    monkeypatch.setattr(ex07, "measure", lambda prompt: (60.0, 3))
    tickets = load_tickets("category")
    line = outcome(capsys, "07.2", build_prompt(tickets, k=0, instruction=""))
    assert line.startswith("❌ Not yet:") and "only 3 of 24" in line


def test_07_2_rejects_other_tasks_and_leaks(capsys):
    queue = build_prompt(load_tickets("queue"), k=0)
    assert "category task" in outcome(capsys, "07.2", queue)
    tickets = load_tickets("category")
    leaky = dataclasses.replace(build_prompt(tickets, k=0), examples=ex07.compress_tickets()[:2])
    assert "check tickets" in outcome(capsys, "07.2", leaky)


def test_07_2_wrong_type(capsys):
    assert "expected a FewShotPrompt" in outcome(capsys, "07.2", "Classify the ticket.")


# --- both: the placeholder ---------------------------------------------------------------


@pytest.mark.parametrize("exercise_id", ["07.1", "07.2"])
@pytest.mark.parametrize("placeholder", [..., None])
def test_placeholder_is_not_attempted(capsys, exercise_id, placeholder):
    assert outcome(capsys, exercise_id, placeholder).startswith("⏳ Not attempted yet: ")
