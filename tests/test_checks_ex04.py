"""Checks of set 04 with a right answer, a wrong answer, a wrong type and the placeholder.

The model is replaced by fixed scores (04.1) and the runs by fixed curves (04.2): the
solution notebook runs the real ones.
"""

from __future__ import annotations

import pytest

from prompt_vs_finetune.checks import check, core, ex04, prompt_answers
from prompt_vs_finetune.prompting.versions import TICKET_VERSIONS


@pytest.fixture(autouse=True)
def progress_path(tmp_path, monkeypatch):
    monkeypatch.setenv(core.PROGRESS_ENV_VAR, str(tmp_path / "progress.json"))


@pytest.fixture
def fake_scores(monkeypatch, make_evaluation):
    """Accuracy by prompt: 7/16 without examples or calibration, 12/16 with either."""
    monkeypatch.setattr(prompt_answers, "default_model", lambda: None)

    def fake(lm, task, prompt, *, examples, calibrate=False):
        correct = 12 if prompt.k or calibrate else 7
        return make_evaluation(len(examples), correct, 90.0 + 50 * prompt.k)

    monkeypatch.setattr(prompt_answers, "evaluate", fake)


def outcome(capsys, exercise_id, answer) -> str:
    assert check(exercise_id, answer) is None
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def test_fixed_tickets_are_fixed():
    a, b = ex04.fixed_tickets(), ex04.fixed_tickets()
    assert len(a) == 16 and [e.id for e in a] == [e.id for e in b]


def test_04_1_right(capsys, fake_scores):
    line = outcome(capsys, "04.1", TICKET_VERSIONS[1].edit("mine", "examples", k=6))
    assert line.startswith("✅ Solved: 12 of 16 right") and "weak prompt gets 7 of 16" in line
    assert outcome(capsys, "04.1", TICKET_VERSIONS[2]).startswith("✅ Solved: 12 of 16")


def test_04_1_wrong(capsys, fake_scores):
    line = outcome(capsys, "04.1", "Classify the ticket.")
    assert line.startswith("❌ Not yet: 7 of 16 right") and "at least 10" in line


def test_04_1_leak_and_wrong_type(capsys, fake_scores):
    from prompt_vs_finetune.data import load_tickets
    from prompt_vs_finetune.prompting.fewshot import build_prompt

    leaky = build_prompt(load_tickets(), k=100, pool="dev")
    assert "scored on" in outcome(capsys, "04.1", leaky)
    line = outcome(capsys, "04.1", 42)
    assert line.startswith("❌ Not yet: expected an instruction (a string)")


@pytest.fixture
def fake_runs(monkeypatch):
    monkeypatch.setattr(ex04, "course_run_curves", lambda name: name)


def test_04_2_right(capsys):
    line = outcome(capsys, "04.2", {"A": "overfitting", "b": "Diverged", "C": "healthy"})
    assert line.startswith("✅ Solved: all three runs read correctly")
    assert outcome(capsys, "04.2", ["overfit", "wrecked", "fine"]).startswith("✅ Solved")


@pytest.mark.parametrize(
    ("answer", "says"),
    [
        (
            {"A": "healthy", "B": "diverged", "C": "overfitting"},
            "1 of 3 right; look again at run A, C",
        ),
        ({"A": "overfitting", "B": "diverged"}, "no diagnosis for run C"),
        ({"A": "sad", "B": "diverged", "C": "healthy"}, "A='sad'"),
        (["healthy"], "give one diagnosis per run"),
    ],
)
def test_04_2_wrong(capsys, answer, says):
    line = outcome(capsys, "04.2", answer)
    assert line.startswith("❌ Not yet:") and says in line


def test_04_2_wrong_type(capsys):
    assert outcome(capsys, "04.2", "overfitting").startswith("❌ Not yet: expected a dict")


def test_mystery_runs(fake_runs):
    assert ex04.mystery_runs() == {"A": "overfit", "B": "wrecked", "C": "category"}


@pytest.mark.parametrize("exercise_id", ["04.1", "04.2"])
@pytest.mark.parametrize("placeholder", [..., None])
def test_placeholder_is_not_attempted(capsys, exercise_id, placeholder):
    assert outcome(capsys, exercise_id, placeholder).startswith("⏳ Not attempted yet: ")
