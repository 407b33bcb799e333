"""Checks of set 08 with a right answer, a wrong answer, a wrong type and the placeholder.

The measured versions, the scores and the over-fitting run are replaced by fixed values;
the solution notebook runs the real ones.
"""

from __future__ import annotations

import pytest

from prompt_vs_finetune.checks import check, core, ex08, prompt_answers
from prompt_vs_finetune.finetune.diagnosis import RunCurves
from prompt_vs_finetune.prompting.versions import TICKET_VERSIONS
from prompt_vs_finetune.ui.tables import Table

ACCS = [0.40, 0.50, 0.45, 0.58, 0.59, 0.65, 0.66, 0.66, 0.60]  # last rise >= 0.02: v6


@pytest.fixture(autouse=True)
def progress_path(tmp_path, monkeypatch):
    monkeypatch.setenv(core.PROGRESS_ENV_VAR, str(tmp_path / "progress.json"))


def outcome(capsys, exercise_id, answer) -> str:
    assert check(exercise_id, answer) is None
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


@pytest.fixture
def fake_versions(monkeypatch):
    rows, best = [], None
    for i, acc in enumerate(ACCS):
        improvement = None if best is None else max(0.0, acc - best)
        best = acc if best is None else max(best, acc)
        rows.append({"version": f"v{i + 1}", "change": f"edit {i + 1}", "accuracy": acc,
                     "improvement": improvement})  # fmt: skip
    monkeypatch.setattr(ex08, "version_table", lambda: Table(rows))


def test_plateau_version():
    assert ex08.plateau_version(ACCS) == 7
    assert ex08.plateau_version([0.1, 0.2, 0.3]) == 0


@pytest.mark.parametrize("answer", [7, "v7", " V7 "])
def test_08_1_right(capsys, fake_versions, answer):
    line = outcome(capsys, "08.1", answer)
    assert line.startswith("✅ Solved: v6 (edit 6) was the last edit") and "+0.060" in line


@pytest.mark.parametrize(
    ("answer", "says"),
    [(8, "plateau starts earlier"), (4, "v4, v6 still raised"), (1, "v2, v4, v6 still"),
     (12, "v1 to v9")],
)  # fmt: skip
def test_08_1_wrong(capsys, fake_versions, answer, says):
    line = outcome(capsys, "08.1", answer)
    assert line.startswith("❌ Not yet:") and says in line


@pytest.mark.parametrize("wrong", [4.0, "four", True])
def test_08_1_wrong_type(capsys, fake_versions, wrong):
    assert outcome(capsys, "08.1", wrong).startswith("❌ Not yet: expected a version number")


@pytest.fixture
def fake_scores(monkeypatch, make_evaluation):
    """v1 gets 10/24; instructions naming 'billing' 15/24; examples cost 60 tokens each."""
    monkeypatch.setattr(prompt_answers, "default_model", lambda: None)

    def fake(lm, task, prompt, *, examples, calibrate=False):
        correct = 15 if "billing" in prompt.instruction or calibrate else 10
        return make_evaluation(len(examples), correct, 80.0 + 60 * prompt.k)

    monkeypatch.setattr(prompt_answers, "evaluate", fake)


def test_08_2_right(capsys, fake_scores):
    line = outcome(capsys, "08.2", TICKET_VERSIONS[1])
    assert line == (
        "✅ Solved: your prompt gets 15 of 24 right in 80 tokens per ticket; v1 gets 10."
    )


@pytest.mark.parametrize(
    ("answer", "says"),
    [("Say what the message is.", "must get more right than v1"),
     (TICKET_VERSIONS[4], "the budget is 200")],
)  # fmt: skip
def test_08_2_wrong(capsys, fake_scores, answer, says):
    line = outcome(capsys, "08.2", answer)
    assert line.startswith("❌ Not yet:") and says in line


def test_08_2_calibration_counts(capsys, fake_scores):
    assert outcome(capsys, "08.2", TICKET_VERSIONS[2]).startswith("✅ Solved: your prompt gets 15")


def test_08_2_wrong_type(capsys, fake_scores):
    assert outcome(capsys, "08.2", 3).startswith("❌ Not yet: expected an instruction")


@pytest.fixture
def fake_overfit(monkeypatch):
    curves = RunCurves([1.0, 0.1, 0.0], [(0, 0.3), (10, 0.6), (20, 0.7), (30, 0.7), (40, 0.6)])
    monkeypatch.setattr(ex08, "course_run_curves", lambda name: curves)


@pytest.mark.parametrize("answer", [20, 30])
def test_08_3_right(capsys, fake_overfit, answer):
    line = outcome(capsys, "08.3", answer)
    assert line.startswith(f"✅ Solved: at step {answer} dev accuracy was 0.70")


@pytest.mark.parametrize(
    ("answer", "says"), [(40, "where training ended"), (10, "was higher"), (25, "evaluated at")]
)
def test_08_3_wrong(capsys, fake_overfit, answer, says):
    line = outcome(capsys, "08.3", answer)
    assert line.startswith("❌ Not yet:") and says in line


def test_08_3_wrong_type(capsys, fake_overfit):
    assert outcome(capsys, "08.3", "20").startswith("❌ Not yet: expected a step number")


@pytest.mark.parametrize("exercise_id", ["08.1", "08.2", "08.3"])
@pytest.mark.parametrize("placeholder", [..., None])
def test_placeholder_is_not_attempted(capsys, exercise_id, placeholder):
    assert outcome(capsys, exercise_id, placeholder).startswith("⏳ Not attempted yet: ")
