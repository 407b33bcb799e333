"""Repo-wide pytest setup for `make test`.

- Test runs never touch a learner's exercise progress: it goes to a temporary file.
- While nbval runs `solutions/` and `exercises/`, every cell's printed check outcomes are
  audited: solutions must be solved, unsolved exercises must say "not attempted yet".
- Every test and notebook cell is timed; the session ends by printing the ten slowest notebooks
  and cells and saving the run for the time ledger (``prompt_vs_finetune.store.timings``).
- Under pytest-xdist (``make test`` runs ``-n auto --dist loadfile``): each worker gets an equal
  share of the CPUs as torch threads (the notebooks' kernels inherit it); notebooks are handed out
  slowest lesson first by the time ledger, lesson 11 (which reads every lesson's verdicts) last;
  and a lesson notebook holds its lesson's lock while it runs, so that lesson 11 waits for it
  instead of running it a second time (``claims.ledger.lesson_lock``).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

os.environ["PROMPT_VS_FINETUNE_PROGRESS"] = str(
    Path(tempfile.mkdtemp(prefix="pvf-test-progress-")) / "progress.json"
)
_WORKERS = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
if _WORKERS > 1:  # one share of the CPUs per worker, set before anything imports torch
    for _var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(_var, str(max(1, (os.cpu_count() or 1) // _WORKERS)))
_IS_WORKER = "PYTEST_XDIST_WORKER" in os.environ


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


def pytest_collection_modifyitems(items):
    """Slowest lesson first (by the time ledger), then the rest; lesson 11 last."""
    from prompt_vs_finetune.store.timings import run_order

    order = run_order(sorted({str(item.path.relative_to(item.config.rootpath)) for item in items}))
    rank = {path: i for i, path in enumerate(order)}
    items.sort(key=lambda item: rank[str(item.path.relative_to(item.config.rootpath))])


_LESSON_LOCK = {}  # the lesson notebook this process is running: {"NN": held lock}


def _lesson(item) -> str | None:
    """ "05" for a cell of course/05_*.ipynb, else None."""
    path = Path(str(item.fspath))
    is_lesson = path.suffix == ".ipynb" and path.parent.name == "course"
    return path.name[:2] if is_lesson and path.name[:2].isdigit() else None


def pytest_runtest_setup(item):
    number = _lesson(item)
    if number and number not in _LESSON_LOCK:
        from prompt_vs_finetune.claims.ledger import lesson_lock

        lock = lesson_lock(number)
        lock.__enter__()
        _LESSON_LOCK[number] = lock


def pytest_runtest_teardown(item, nextitem):
    number = _lesson(item)
    if number in _LESSON_LOCK and (nextitem is None or _lesson(nextitem) != number):
        _LESSON_LOCK.pop(number).__exit__(None, None, None)


_TIMER = []  # the session's RunTimer (a list, so the hooks below share it)


def pytest_sessionstart(session):
    from prompt_vs_finetune.store.timings import RunTimer, store_is_empty

    if not _IS_WORKER:  # under xdist the controller times every worker's reports
        workers = getattr(session.config.option, "numprocesses", None)
        workers = workers if isinstance(workers, int) and workers > 1 else 1
        _TIMER[:] = [RunTimer(cold=store_is_empty(), workers=workers)]


def pytest_runtest_logreport(report):
    if _TIMER:
        _TIMER[0].add(report.nodeid, report.duration)


def pytest_terminal_summary(terminalreporter):
    if not _TIMER or not any(".ipynb::" in n for n in _TIMER[0].seconds):
        return
    for line in _TIMER[0].report():
        terminalreporter.write_line(line)
    terminalreporter.write_line(f"saved for the time ledger: {_TIMER[0].save()}")
