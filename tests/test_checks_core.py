"""The check framework: three outcomes, hints, solutions, progress; it never raises."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from prompt_vs_finetune import checks
from prompt_vs_finetune.checks import core


@pytest.fixture(autouse=True)
def progress_path(tmp_path, monkeypatch):
    path = tmp_path / "progress.json"
    monkeypatch.setenv(core.PROGRESS_ENV_VAR, str(path))
    return path


@pytest.fixture
def demo():
    """Register a throwaway exercise "demo.1" (an int equal to 42), removed afterwards."""
    saved_exercises, saved_hints = dict(core.EXERCISES), dict(core._hints_shown)

    @core.exercise(
        "demo.1",
        kind="design",
        title="The answer",
        task="set `answer` to the answer.",
        hints=["It is a whole number.", "It is six times seven."],
        solution="answer = 42",
    )
    def _demo(answer):
        core.require(answer, int)
        if answer == 13:
            raise RuntimeError("thirteen is unlucky")
        if answer == 7:
            raise core.NotYet("seven is a prime, try again")
        return answer == 42, "42 it is." if answer == 42 else f"{answer} is not it."

    yield "demo.1"
    core.EXERCISES.clear()
    core.EXERCISES.update(saved_exercises)
    core._hints_shown.clear()
    core._hints_shown.update(saved_hints)


def outcome(capsys, exercise_id, answer) -> str:
    """Run a check, assert it returns None and prints exactly one line; return that line."""
    assert checks.check(exercise_id, answer) is None
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def test_public_api_imports():
    from prompt_vs_finetune.checks import check, hint, progress, solution  # noqa: F401


def test_right_answer_is_solved(capsys, demo):
    assert outcome(capsys, demo, 42) == "✅ Solved: 42 it is."


def test_numpy_integer_is_accepted(capsys, demo):
    assert outcome(capsys, demo, np.int64(42)).startswith("✅ Solved")


def test_wrong_answer_is_not_yet(capsys, demo):
    assert outcome(capsys, demo, 41) == "❌ Not yet: 41 is not it."


@pytest.mark.parametrize("answer", ["42", 42.0, True, [42], {"a": 42}])
def test_wrong_type_names_the_expected_type(capsys, demo, answer):
    line = outcome(capsys, demo, answer)
    assert line.startswith("❌ Not yet: expected a whole number (an int)")
    assert type(answer).__name__ in line


@pytest.mark.parametrize("placeholder", [..., None])
def test_placeholder_is_not_attempted(capsys, demo, placeholder, progress_path):
    assert outcome(capsys, demo, placeholder) == "⏳ Not attempted yet: set `answer` to the answer."
    assert not progress_path.exists()


def test_notyet_raised_by_checker_is_its_message(capsys, demo):
    assert outcome(capsys, demo, 7) == "❌ Not yet: seven is a prime, try again"


def test_checker_exception_is_reported_not_raised(capsys, demo):
    line = outcome(capsys, demo, 13)
    assert line.startswith("❌ Not yet:")
    assert "RuntimeError: thirteen is unlucky" in line


def test_checker_returning_garbage_is_not_yet(capsys, demo):
    core.EXERCISES[demo] = core.Exercise(
        demo, "t", "task", ("h",), "s", lambda answer: "not a tuple of two"
    )
    assert outcome(capsys, demo, 1).startswith("❌ Not yet:")


@pytest.mark.parametrize("call", [checks.check, checks.hint, checks.solution])
def test_unknown_id_lists_valid_ids(capsys, demo, call):
    args = ("nope", 1) if call is checks.check else ("nope",)
    assert call(*args) is None
    out = capsys.readouterr().out
    assert "Unknown exercise 'nope'" in out
    assert "demo.1" in out and "00.4" in out


def test_hints_progress_then_repeat_the_last(capsys, demo):
    shown = []
    for _ in range(3):
        checks.hint(demo)
        shown.append(capsys.readouterr().out.strip())
    assert shown == [
        "💡 Hint 1 of 2 for demo.1: It is a whole number.",
        "💡 Hint 2 of 2 for demo.1: It is six times seven.",
        "💡 Hint 2 of 2 for demo.1: It is six times seven.",
    ]


def test_solution_prints_the_solution(capsys, demo):
    checks.solution(demo)
    assert "answer = 42" in capsys.readouterr().out


def test_progress_records_attempts_and_solved_sticks(capsys, demo, progress_path):
    checks.check(demo, 1)
    assert json.loads(progress_path.read_text())[demo]["state"] == "attempted"
    checks.check(demo, 42)
    checks.check(demo, 1)  # a later wrong answer does not undo a solve
    entry = json.loads(progress_path.read_text())[demo]
    assert entry["state"] == "solved" and entry["attempts"] == 3


def test_progress_table_lists_every_exercise(capsys, demo):
    checks.check(demo, 42)
    capsys.readouterr()
    table = core.progress_table()
    states = {row[0]: row[2] for row in table.rows}
    assert set(states) == set(core.EXERCISES)
    assert states[demo] == "solved"
    assert states["00.4"] == "not attempted"
    assert "<table>" in table._repr_html_() and "✅ solved" in table._repr_html_()
    checks.progress()  # outside IPython: plain text
    out = capsys.readouterr().out
    assert re.search(r"demo\.1 The answer\s+solved", out)
    assert f"Solved 1 of {len(core.EXERCISES)} exercises." in out


def test_corrupt_progress_file_is_ignored(capsys, demo, progress_path):
    progress_path.write_text("{not json")
    assert outcome(capsys, demo, 42).startswith("✅ Solved")
    assert json.loads(progress_path.read_text())[demo]["state"] == "solved"


def test_unwritable_progress_does_not_break_a_check(capsys, demo, tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv(core.PROGRESS_ENV_VAR, str(blocker / "progress.json"))
    assert outcome(capsys, demo, 42).startswith("✅ Solved")


def test_answered():
    assert not checks.answered(...) and not checks.answered(None)
    assert checks.answered(0) and checks.answered("") and checks.answered([])


def test_duplicate_id_is_refused(demo):
    with pytest.raises(ValueError, match="twice"):
        core.exercise("demo.1", title="t", task="t", hints=["h"], solution="s", kind="design")(
            lambda a: (True, "")
        )


def test_every_registered_exercise_is_complete():
    """Holds for every set, present and future: ids NN.k from module exNN, 2+ hints."""
    assert core.EXERCISES, "no exercise registered"
    for exercise_id, ex in core.EXERCISES.items():
        assert re.fullmatch(r"\d\d\.\d+", exercise_id), exercise_id
        module = ex.checker.__module__.rsplit(".", 1)[-1]
        assert module == f"ex{exercise_id[:2]}", f"{exercise_id} is registered in {module}"
        assert ex.title and ex.task and ex.solution, exercise_id
        assert len(ex.hints) >= 2, f"{exercise_id} needs at least two hints"


def test_every_set_has_each_kind_of_exercise():
    """Issue rule: 3-4 exercises a set, at least one predict, one design and one read."""
    sets: dict[str, list[str]] = {}
    for ex in core.EXERCISES.values():
        sets.setdefault(ex.id[:2], []).append(ex.kind)
    assert sorted(sets) == [f"{n:02d}" for n in range(12)]
    for number, kinds in sets.items():
        assert 3 <= len(kinds) <= 4, f"set {number} has {len(kinds)} exercises"
        assert set(core.REQUIRED_KINDS) <= set(kinds), f"set {number} has kinds {sorted(kinds)}"


def test_retired_ids_are_not_reused_and_say_what_replaced_them():
    assert core.RETIRED, "no retired ids: the rewrite retired the look-ups"
    for old, replacement in core.RETIRED.items():
        assert old not in core.EXERCISES, old
        named = re.findall(r"\d\d\.\d+", replacement)
        known = core.EXERCISES.keys() | core.RETIRED.keys()
        assert named and all(new in known for new in named), (old, replacement)
