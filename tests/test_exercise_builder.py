"""Exercises generated from solutions: tags, stubs, stripping, drift detection."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from prompt_vs_finetune.cli import exercise_builder as eb

REPO = Path(__file__).resolve().parents[1]
NAME = "07_demo.ipynb"

EXERCISE_SOURCE = """x = 1
# BEGIN SOLUTION
# STUB: answer = ...  # your code here
answer = x + 1
# END SOLUTION
check("07.1", answer)"""


def solution_notebook() -> nbformat.NotebookNode:
    answer = new_code_cell(EXERCISE_SOURCE, id="answer", metadata={"tags": ["exercise"]})
    answer.execution_count = 3
    answer.outputs = [new_output("stream", name="stdout", text="✅ Solved: yes\n")]
    demo = new_code_cell("print(1)", id="demo", metadata={"tags": ["nbval-skip"], "scrolled": True})
    demo.execution_count = 1
    demo.outputs = [new_output("stream", name="stdout", text="1\n")]
    return new_notebook(
        cells=[
            new_markdown_cell("# Demo", id="title", metadata={"collapsed": False}),
            demo,
            answer,
            new_markdown_cell("Why it works: ...", id="why", metadata={"tags": ["solution"]}),
            new_code_cell("print(answer)", id="secret", metadata={"tags": ["solution"]}),
        ],
        metadata={
            "kernelspec": {"name": "prompt-vs-finetune", "display_name": "P", "language": "python"},
            "language_info": {"name": "python", "version": "3.11.9"},
            "widgets": {"state": {}},
        },
    )


@pytest.fixture
def course(tmp_path) -> Path:
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "solutions").mkdir()
    nbformat.write(solution_notebook(), tmp_path / "solutions" / NAME)
    return tmp_path


def exercise_path(course: Path) -> Path:
    return course / "exercises" / NAME


# --- stubs --------------------------------------------------------------------------------


def test_stub_replaces_the_block():
    assert (
        eb.stub_source(EXERCISE_SOURCE)
        == 'x = 1\nanswer = ...  # your code here\ncheck("07.1", answer)'
    )


def test_default_stub_keeps_the_block_indentation():
    source = "def f():\n    # BEGIN SOLUTION\n    return 2\n    # END SOLUTION"
    assert eb.stub_source(source) == "def f():\n    answer = ..."


def test_multi_line_stub_keeps_extra_indentation_and_several_blocks():
    source = (
        "# BEGIN SOLUTION\n# STUB: def f(x):\n# STUB:     return ...\ndef f(x):\n    return x\n"
        "# END SOLUTION\ny = 2\n# BEGIN SOLUTION\n# STUB: z = None\nz = 3\n# END SOLUTION"
    )
    assert eb.stub_source(source) == "def f(x):\n    return ...\ny = 2\nz = None"


@pytest.mark.parametrize(
    ("source", "problem"),
    [
        ("# BEGIN SOLUTION\nx = 1", "without # END"),
        ("x = 1\n# END SOLUTION", "without # BEGIN"),
        ("# BEGIN SOLUTION\n# BEGIN SOLUTION\n# END SOLUTION", "inside another"),
        ("# STUB: x = ...\nx = 1", "outside a solution block"),
    ],
)
def test_malformed_blocks_are_errors(source, problem):
    with pytest.raises(eb.ExerciseFormatError, match=problem):
        eb.stub_source(source, "here")


# --- one notebook -------------------------------------------------------------------------


def test_tags_outputs_and_metadata():
    exercise = eb.build_exercise(solution_notebook(), NAME)
    ids = [cell.id for cell in exercise.cells]
    assert ids == [eb.NOTE_ID, "title", "demo", "answer"]  # solution-tagged cells removed
    note = exercise.cells[0].source
    assert "Generated" in note and f"solutions/{NAME}" in note and "make workspace" in note
    answer = exercise.cells[3]
    assert answer.source == eb.stub_source(EXERCISE_SOURCE)
    assert "x + 1" not in eb.render(exercise)
    for cell in exercise.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
    assert exercise.cells[1].metadata == {}  # "collapsed" dropped
    assert exercise.cells[2].metadata == {"tags": ["nbval-skip"]}  # tags kept, "scrolled" dropped
    assert exercise.cells[3].metadata == {"tags": ["exercise"]}
    assert exercise.metadata == {
        "kernelspec": {"name": "prompt-vs-finetune", "display_name": "P", "language": "python"},
        "language_info": {"name": "python"},
    }


def test_exercise_cell_without_block_is_an_error():
    solution = solution_notebook()
    solution.cells[2].source = "answer = 2"
    with pytest.raises(eb.ExerciseFormatError, match=f"{NAME}, cell 2: tagged 'exercise'"):
        eb.build_exercise(solution, NAME)


def test_markers_in_an_untagged_cell_are_an_error():
    solution = solution_notebook()
    solution.cells[2].metadata = {}
    with pytest.raises(eb.ExerciseFormatError, match="not tagged 'exercise'"):
        eb.build_exercise(solution, NAME)


def test_render_is_deterministic_and_stable_json():
    first = eb.render(eb.build_exercise(solution_notebook(), NAME))
    assert first == eb.render(eb.build_exercise(solution_notebook(), NAME))
    assert first.endswith("}\n") and first.startswith('{\n "cells": [\n  {\n')


# --- the commands -------------------------------------------------------------------------


def test_build_then_check_passes(course, capsys):
    assert eb.main_build(course) == 0
    assert exercise_path(course).exists()
    assert eb.main_check(course) == 0
    assert "match" in capsys.readouterr().out


def test_build_is_idempotent(course, capsys):
    eb.main_build(course)
    before = exercise_path(course).read_bytes()
    capsys.readouterr()
    assert eb.main_build(course) == 0
    assert "wrote" not in capsys.readouterr().out
    assert exercise_path(course).read_bytes() == before


def test_hand_edit_is_stale_until_rebuilt(course, capsys):
    eb.main_build(course)
    path = exercise_path(course)
    notebook = nbformat.read(path, as_version=4)
    notebook.cells[1].source += "\nedited by hand"
    nbformat.write(notebook, path)
    capsys.readouterr()
    assert eb.main_check(course) == 1
    out = capsys.readouterr().out
    assert f"stale: exercises/{NAME}" in out and "run `make exercises`" in out
    assert eb.main_build(course) == 0
    assert eb.main_check(course) == 0


def test_solution_edit_makes_the_exercise_stale(course, capsys):
    eb.main_build(course)
    notebook = solution_notebook()
    notebook.cells[0].source = "# Demo, revised"
    nbformat.write(notebook, course / "solutions" / NAME)
    assert eb.main_check(course) == 1
    assert f"stale: exercises/{NAME}" in capsys.readouterr().out


def test_json_layout_alone_is_not_stale(course):
    eb.main_build(course)
    path = exercise_path(course)
    path.write_text(json.dumps(json.loads(path.read_text()), indent=4))
    assert eb.main_check(course) == 0


def test_missing_and_extra_are_named(course, capsys):
    (course / "exercises").mkdir()
    extra = course / "exercises" / "08_gone.ipynb"
    nbformat.write(new_notebook(), extra)
    assert eb.main_check(course) == 1
    out = capsys.readouterr().out
    assert f"missing: exercises/{NAME}" in out
    assert "extra: exercises/08_gone.ipynb has no solutions/08_gone.ipynb" in out
    assert eb.main_build(course) == 0
    assert not extra.exists() and "removed exercises/08_gone.ipynb" in capsys.readouterr().out


def test_format_error_is_reported_not_raised(course, capsys):
    notebook = solution_notebook()
    notebook.cells[2].source = "answer = 2"
    nbformat.write(notebook, course / "solutions" / NAME)
    assert eb.main_build(course) == 1
    assert eb.main_check(course) == 1
    assert "tagged 'exercise' but has no # BEGIN SOLUTION" in capsys.readouterr().out


def test_course_root_is_found_from_a_subfolder(course):
    (course / "solutions" / "deep").mkdir()
    assert eb.course_root(course / "solutions" / "deep") == course


# --- stripped notebooks -------------------------------------------------------------------


def test_check_stripped_names_notebooks_with_outputs(course, capsys):
    eb.main_build(course)
    assert eb.main_check_stripped(("exercises",), root=course) == 0
    assert eb.main_check_stripped(root=course) == 1  # the solution was saved with outputs
    out = capsys.readouterr().out
    assert f"solutions/{NAME}: 2 cell(s) with outputs, 2 with execution counts" in out
    assert "nbstripout" in out and "exercises/" not in out.split("counts:")[1]


def test_check_stripped_ignores_checkpoints_and_reports_broken_files(course, capsys):
    checkpoints = course / "exercises" / ".ipynb_checkpoints"
    checkpoints.mkdir(parents=True)
    nbformat.write(solution_notebook(), checkpoints / NAME)
    assert eb.main_check_stripped(("exercises", "missing-folder"), root=course) == 0
    (course / "exercises" / "broken.ipynb").write_text("{")
    assert eb.main_check_stripped(("exercises",), root=course) == 1
    assert "broken.ipynb: not a readable notebook" in capsys.readouterr().out


def test_the_repository_exercises_match_their_solutions():
    assert eb.main_check(REPO) == 0, "run `make exercises`"
