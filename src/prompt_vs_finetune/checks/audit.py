"""Audit the check outcomes a notebook printed (used by `make test` through nbval).

A solution notebook must print only "Solved" outcomes and an unsolved exercise notebook only
"Not attempted yet", one per `check(...)` call.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from prompt_vs_finetune.checks.core import NOT_ATTEMPTED, NOT_YET, SOLVED

OUTCOMES = (SOLVED, NOT_YET, NOT_ATTEMPTED)
EXPECTED = {"solutions": SOLVED, "exercises": NOT_ATTEMPTED}
_CHECK_CALL = re.compile(r"^\s*check\(", re.MULTILINE)


def outcome_lines(outputs: Iterable[Mapping[str, Any]]) -> list[str]:
    """The outcome lines found in a cell's stream outputs."""
    lines: list[str] = []
    for output in outputs:
        if output.get("output_type") == "stream":
            text = output.get("text", "")
            text = "".join(text) if isinstance(text, list) else text
            lines += [line for line in text.splitlines() if line.startswith(OUTCOMES)]
    return lines


def audit_cell(folder: str, source: str, outputs: Iterable[Mapping[str, Any]]) -> list[str]:
    """Problems with one executed cell of a notebook in ``folder`` ("solutions"/"exercises")."""
    expected = EXPECTED.get(folder)
    if expected is None:
        return []
    lines = outcome_lines(outputs)
    problems = [
        f"expected '{expected}...', got: {line}" for line in lines if not line.startswith(expected)
    ]
    calls = len(_CHECK_CALL.findall(source))
    if calls != len(lines):
        problems.append(f"{calls} check() call(s) but {len(lines)} outcome line(s) printed")
    return problems
