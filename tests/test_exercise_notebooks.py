"""Solution and exercise notebooks: coverage of the checks, and the outcome audit.

The notebooks themselves run under nbval in `make test`; the repo's conftest.py audits their
printed outcomes cell by cell with `checks.audit` (tested here on recorded outputs).
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

from prompt_vs_finetune.checks import core
from prompt_vs_finetune.checks.audit import audit_cell
from prompt_vs_finetune.cli.exercise_builder import EXERCISES, NOTEBOOK_NAME, SOLUTIONS

REPO = Path(__file__).resolve().parents[1]
SOLUTION_NOTEBOOKS = sorted(
    p for p in (REPO / SOLUTIONS).glob("*.ipynb") if NOTEBOOK_NAME.fullmatch(p.name)
)


def test_every_registered_exercise_is_checked_in_a_solution_notebook():
    checked = set()
    for path in SOLUTION_NOTEBOOKS:
        for cell in nbformat.read(path, as_version=4).cells:
            checked |= set(re.findall(r"""check\(\s*["'](\d\d\.\d+)["']""", cell.source))
    assert set(core.EXERCISES) <= checked, sorted(set(core.EXERCISES) - checked)
    assert checked <= set(core.EXERCISES), sorted(checked - set(core.EXERCISES))


def _stream(text):
    return [{"output_type": "stream", "name": "stdout", "text": text}]


def test_audit_accepts_solved_solutions_and_unattempted_exercises():
    source = 'answer = 3\ncheck("00.1", answer)'
    assert audit_cell("solutions", source, _stream(f"{core.SOLVED}: well done\n")) == []
    assert audit_cell("exercises", source, _stream(f"{core.NOT_ATTEMPTED}: fill it in\n")) == []
    assert audit_cell("course", source, []) == []  # lessons are not audited


def test_audit_flags_wrong_outcomes_and_missing_lines():
    source = 'check("00.1", answer)'
    assert audit_cell("solutions", source, _stream(f"{core.NOT_YET}: try again\n"))
    assert audit_cell("exercises", source, _stream(f"{core.SOLVED}: ok\n"))
    assert audit_cell("solutions", source, [])  # a check that printed nothing


def test_every_solution_notebook_has_its_exercise_twin():
    for path in SOLUTION_NOTEBOOKS:
        assert (REPO / EXERCISES / path.name).exists(), f"run `make exercises` for {path.name}"
