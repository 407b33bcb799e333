"""Repo-wide pytest setup for `make test`.

- Test runs never touch a learner's exercise progress: it goes to a temporary file.
- While nbval runs `solutions/` and `exercises/`, every cell's printed check outcomes are
  audited: solutions must be solved, unsolved exercises must say "not attempted yet".
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

os.environ["PROMPT_VS_FINETUNE_PROGRESS"] = str(
    Path(tempfile.mkdtemp(prefix="pvf-test-progress-")) / "progress.json"
)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    result = yield
    outputs = getattr(item, "test_outputs", None)
    cell = getattr(item, "cell", None)
    if outputs is not None and cell is not None:
        from prompt_vs_finetune.checks.audit import audit_cell

        problems = audit_cell(Path(str(item.fspath)).parent.name, cell.source, outputs)
        if problems:
            raise AssertionError("; ".join(problems))
    return result
