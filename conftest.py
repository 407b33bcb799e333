"""Repo-wide pytest setup for `make test`.

- Test runs never touch a learner's exercise progress: it goes to a temporary file.
- While nbval runs `solutions/` and `exercises/`, every cell's printed check outcomes are
  audited: solutions must be solved, unsolved exercises must say "not attempted yet".
- Every test and notebook cell is timed; the session ends by printing the ten slowest notebooks
  and cells and saving the run for the time ledger (``prompt_vs_finetune.store.timings``).
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


_TIMER = []  # the session's RunTimer (a list, so the hooks below share it)


def pytest_sessionstart(session):
    from prompt_vs_finetune.store.timings import RunTimer, store_is_empty

    _TIMER[:] = [RunTimer(cold=store_is_empty())]


def pytest_runtest_logreport(report):
    if _TIMER:
        _TIMER[0].add(report.nodeid, report.duration)


def pytest_terminal_summary(terminalreporter):
    if not _TIMER or not any(".ipynb::" in n for n in _TIMER[0].seconds):
        return
    for line in _TIMER[0].report():
        terminalreporter.write_line(line)
    terminalreporter.write_line(f"saved for the time ledger: {_TIMER[0].save()}")
