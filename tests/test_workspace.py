"""The learner's workspace copy: copies what is missing, never overwrites."""

from __future__ import annotations

from pathlib import Path

import pytest

from prompt_vs_finetune.cli import workspace


@pytest.fixture
def course(tmp_path) -> Path:
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "solutions").mkdir()
    exercises = tmp_path / "exercises"
    exercises.mkdir()
    for name in ("00_a.ipynb", "01_b.ipynb"):
        (exercises / name).write_text(f'{{"generated": "{name}"}}')
    return tmp_path


def test_copies_every_exercise(course, capsys):
    assert workspace.main(course) == 0
    for name in ("00_a.ipynb", "01_b.ipynb"):
        copy = course / "workspace" / name
        assert copy.read_text() == (course / "exercises" / name).read_text()
    out = capsys.readouterr().out
    assert "copied   workspace/00_a.ipynb" in out and "2 copied, 0 kept" in out


def test_never_overwrites_and_reports_skipped(course, capsys):
    mine = course / "workspace" / "00_a.ipynb"
    mine.parent.mkdir()
    mine.write_text("my work")
    assert workspace.main(course) == 0
    assert mine.read_text() == "my work"
    assert (course / "workspace" / "01_b.ipynb").exists()
    out = capsys.readouterr().out
    assert "skipped  workspace/00_a.ipynb" in out and "copied   workspace/01_b.ipynb" in out
    (course / "exercises" / "00_a.ipynb").write_text("regenerated")
    assert workspace.main(course) == 0  # a second run keeps both copies
    assert mine.read_text() == "my work"
    assert "0 copied, 2 kept" in capsys.readouterr().out


def test_copy_exercises_returns_copied_and_skipped(course):
    target = course / "elsewhere"
    copied, skipped = workspace.copy_exercises(course / "exercises", target)
    assert [p.name for p in copied] == ["00_a.ipynb", "01_b.ipynb"] and skipped == []
    copied, skipped = workspace.copy_exercises(course / "exercises", target)
    assert copied == [] and [p.name for p in skipped] == ["00_a.ipynb", "01_b.ipynb"]


def test_no_exercises_is_a_clear_error(tmp_path, capsys):
    assert workspace.main(tmp_path) == 1
    assert "make exercises" in capsys.readouterr().out
    assert not (tmp_path / "workspace").exists()
