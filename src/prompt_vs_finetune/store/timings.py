"""The time ledger: how long each notebook took in a real `make test` run.

`make test` times every test and notebook cell (the repository's ``conftest.py`` calls
:class:`RunTimer`), prints the ten slowest notebooks and cells, and writes the run to
``cache_dir()/timings/last_run.json``, marked *cold* when the results store was empty at the
start. ``python -m prompt_vs_finetune timings --adopt`` copies that run into the ledger shipped
with the course (``time_ledger.json`` here), under ``cold`` or ``warm``; each lesson's header
prints its time from the ledger (:func:`lesson_time`) and ``timings --readme`` writes the
README's timing table from it. Nothing here is typed by hand.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

LEDGER_PATH = Path(__file__).with_name("time_ledger.json")
README_START = "<!-- timing table: written by `python -m prompt_vs_finetune timings --readme` -->"
README_END = "<!-- end of timing table -->"
_NOTEBOOK = re.compile(r"^(?P<path>[^:]+\.ipynb)::")


def last_run_path() -> Path:
    """Where `make test` leaves the times of its latest run (inside the course cache)."""
    from prompt_vs_finetune.store.paths import cache_subdir

    return cache_subdir("timings") / "last_run.json"


def store_is_empty() -> bool:
    """True when the results store holds nothing yet: a run starting now is a cold run."""
    from prompt_vs_finetune.store.results import default_path

    path = default_path()
    return not path.exists() or path.stat().st_size < 64


def _setup_seconds() -> float | None:
    """Seconds the Makefile's set-up of this virtual environment took (None: not recorded)."""
    path = Path(sys.prefix) / ".setup-seconds"
    try:
        return float(path.read_text())
    except (OSError, ValueError):
        return None


@dataclass
class RunTimer:
    """Seconds per test item (setup, call and teardown together) of one pytest session."""

    cold: bool
    workers: int = 1
    started: float = field(default_factory=time.perf_counter)
    started_at: float = field(default_factory=time.time)
    seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))

    def add(self, nodeid: str, seconds: float) -> None:
        """Count ``seconds`` for the test item ``nodeid``."""
        self.seconds[nodeid] += seconds

    def summary(self) -> dict[str, Any]:
        """The run as a ledger entry: phases, seconds per notebook, the slowest cells."""
        notebooks: dict[str, float] = defaultdict(float)
        test_files: dict[str, float] = defaultdict(float)
        for nodeid, seconds in self.seconds.items():
            match = _NOTEBOOK.match(nodeid)
            if match:
                notebooks[match["path"]] += seconds
            else:
                test_files[nodeid.split("::")[0]] += seconds
        unit = sum(test_files.values())
        cells = sorted(
            ((n, s) for n, s in self.seconds.items() if _NOTEBOOK.match(n)), key=lambda x: -x[1]
        )
        return {
            "date": date.today().isoformat(),
            "cold": self.cold,
            "load_average": [round(x, 2) for x in os.getloadavg()],
            "cpus": os.cpu_count(),
            "workers": self.workers,
            "setup_s": _setup_seconds(),
            "wall_s": round(time.perf_counter() - self.started, 1),
            "tests_s": round(unit, 1),
            "notebooks_s": round(sum(notebooks.values()), 1),
            "notebooks": {k: round(v, 1) for k, v in sorted(notebooks.items())},
            "test_files": {k: round(v, 1) for k, v in sorted(test_files.items())},
            "slowest_cells": {k: round(v, 1) for k, v in cells[:30]},
            "built": self.builds(),
        }

    def builds(self) -> dict[str, list[str]]:
        """What this run built into the cache: converted models, fine-tune checkpoints."""
        from prompt_vs_finetune.store.cachefiles import builds_since
        from prompt_vs_finetune.store.paths import cache_subdir

        return {
            folder: [e["name"] for e in builds_since(cache_subdir(folder), self.started_at)]
            for folder in ("models", "checkpoints")
        }

    def report(self, n: int = 10) -> list[str]:
        """Lines naming the ``n`` slowest notebooks and cells of this run."""
        entry = self.summary()
        kind = "cold cache" if self.cold else "warm cache"
        lines = [f"time ledger ({kind}): {entry['wall_s']:.0f} s in pytest, "
                 f"{entry['tests_s']:.0f} s library tests, {entry['notebooks_s']:.0f} s notebooks"]
        slow_books = sorted(entry["notebooks"].items(), key=lambda x: -x[1])[:n]
        lines += ["slowest notebooks:"] + [f"  {s:7.1f} s  {p}" for p, s in slow_books]
        slow_cells = list(entry["slowest_cells"].items())[:n]
        lines += ["slowest cells:"] + [f"  {s:7.1f} s  {p}" for p, s in slow_cells]
        for folder, names in entry["built"].items():
            twice = sorted({n for n in names if names.count(n) > 1})
            lines.append(f"built into the cache ({folder}): {len(names)}, "
                         + (f"TWICE: {', '.join(twice)}" if twice else "each once"))
        return lines

    def save(self, path: Path | None = None) -> Path:
        """Write the run to ``path`` (default: :func:`last_run_path`)."""
        path = path or last_run_path()
        path.write_text(json.dumps(self.summary(), indent=1) + "\n")
        return path


def run_order(paths: list[str], ledger: dict[str, Any] | None = None) -> list[str]:
    """The order `make test` hands files to its workers, longest first by the ledger's cold
    run so that no worker is left with a long file at the end: the lessons and the library
    test files (a lesson the ledger does not know counts as long); then the solution and
    exercise notebooks, which read what their lesson stored; lesson 11 last, because it
    reads the verdicts of all the others."""
    ledger = load_ledger() if ledger is None else ledger
    cold = ledger.get("cold", {})
    seconds = {**cold.get("notebooks", {}), **cold.get("test_files", {})}

    def key(path: str) -> tuple[int, float, str]:
        folder, name = Path(path).parent.name, Path(path).name
        if folder == "course" and name.startswith("11_"):
            return (2, 0.0, path)
        if path.endswith(".ipynb") and folder != "course":
            return (1, -seconds.get(path, 0.0), path)
        unknown = 1e6 if folder == "course" else 0.0
        return (0, -seconds.get(path, unknown), path)

    return sorted(paths, key=key)


def load_ledger(path: Path = LEDGER_PATH) -> dict[str, Any]:
    """The shipped ledger: ``{"cold": entry, "warm": entry}`` (either may be missing)."""
    return json.loads(path.read_text()) if path.exists() else {}


def adopt(run: Path | None = None, path: Path = LEDGER_PATH) -> str:
    """Copy the last run into the ledger under ``cold`` or ``warm``; return which."""
    entry = json.loads((run or last_run_path()).read_text())
    lessons = [p for p in entry["notebooks"] if p.startswith("course/")]
    if len(lessons) < 2:
        raise ValueError("the last run timed fewer than two lessons; run `make test` first")
    ledger = load_ledger(path)
    which = "cold" if entry["cold"] else "warm"
    ledger[which] = entry
    path.write_text(json.dumps(ledger, indent=1) + "\n")
    return which


def _at_once(entry: dict[str, Any]) -> str:
    """How the run's notebooks shared the machine (a lesson alone in JupyterLab is faster)."""
    workers = entry.get("workers", 1)
    if workers <= 1:
        return "one notebook at a time"
    return f"{workers} notebooks at a time with one share of the CPUs each"


def _minutes(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds < 90 else f"{seconds / 60:.1f} minutes"


def lesson_time(lesson: str, ledger: dict[str, Any] | None = None) -> str:
    """One sentence: the lesson's measured time with a warm and with a cold cache.

    ``lesson`` is the notebook's name with or without folder and suffix
    (``"05_where_prompting_fits"``)."""
    ledger = load_ledger() if ledger is None else ledger
    name = Path(lesson).stem
    found = {}
    for which in ("warm", "cold"):
        entry = ledger.get(which, {})
        times = {Path(p).stem: s for p, s in entry.get("notebooks", {}).items()
                 if p.startswith("course/")}
        if name in times:
            found[which] = (times[name], entry["date"])
    if not found:
        return f"Time to run: not in the time ledger yet ({name} is new; run `make test`)."
    parts = [f"{_minutes(s)} with a {which} cache (measured {day}, {_at_once(ledger[which])})"
             for which, (s, day) in found.items()]
    return "Time to run on a 2-core CPU, from the course's time ledger: " + "; ".join(parts) + "."


def readme_table(ledger: dict[str, Any] | None = None) -> str:
    """The README's timing table, from the ledger's cold and warm runs."""
    ledger = load_ledger() if ledger is None else ledger
    runs = [(which, ledger[which]) for which in ("cold", "warm") if which in ledger]
    if not runs:
        return "The time ledger is empty: run `make test`, then `timings --adopt`.\n"
    head = "| what | " + " | ".join(f"{w} cache ({e['date']})" for w, e in runs) + " |"
    rows = [head, "|---|" + "---|" * len(runs)]

    def row(label: str, values: list[float | None]) -> None:
        cells = ["-" if v is None else _minutes(v) for v in values]
        rows.append(f"| {label} | " + " | ".join(cells) + " |")

    row("set-up of the virtual environment (`make setup`)", [e.get("setup_s") for _, e in runs])
    row("`make test`, all of pytest", [e["wall_s"] for _, e in runs])
    summed = ", summed over the workers" if any(e.get("workers", 1) > 1 for _, e in runs) else ""
    row(f"library tests{summed}", [e["tests_s"] for _, e in runs])
    row(f"every notebook{summed}", [e["notebooks_s"] for _, e in runs])
    books = sorted({p for _, e in runs for p in e["notebooks"] if p.startswith("course/")})
    for book in books:
        row(f"lesson `{Path(book).stem}`", [e["notebooks"].get(book) for _, e in runs])
    loads = "; ".join(f"{w}: load average {e['load_average'][0]} on {e['cpus']} CPUs, "
                      f"{_at_once(e)}" for w, e in runs)
    return "\n".join(rows) + f"\n\nMachine load when measured ({loads}).\n"


def write_readme(readme: Path, ledger: dict[str, Any] | None = None) -> bool:
    """Put :func:`readme_table` between the README's markers; True when the file changed."""
    text = readme.read_text()
    start, end = text.index(README_START) + len(README_START), text.index(README_END)
    new = text[:start] + "\n" + readme_table(ledger) + text[end:]
    if new != text:
        readme.write_text(new)
    return new != text
