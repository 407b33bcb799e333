"""The claims ledger: the verdict on every claim of the guide, filled in if anything is missing.

Each lesson measures the claims it owns and records their verdicts (``claims.record``).
``ledger_table`` reads the registry and the recorded verdicts; lesson 11 shows them all.
When it is run on its own (a fresh machine, or a learner who skipped ahead) some verdicts
are missing; ``ensure_claims`` then runs the lessons that own them, headless and in
order, so the store fills, exactly as if the learner had run them. Nothing is faked: a
claim whose lesson cannot run stays "not measured yet", and the reason is shown.

Each row shows what the verdict rests on: for a *sampled* claim (an accuracy, a rate or an
agreement measured on items or cases) the effect, its 95% interval, the test with its
p-value and n; for a *computed* claim (a cost, a size or a curve derived from measured
inputs) the range of the inputs over which it was checked.
"""

from __future__ import annotations

import contextlib
import textwrap
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from prompt_vs_finetune.claims.registry import REGISTRY, claim
from prompt_vs_finetune.claims.verdict import NOT_MEASURED, STATUSES, Verdict
from prompt_vs_finetune.claims.verdicts import missing_claims, recorded_all
from prompt_vs_finetune.store.results import ResultsStore
from prompt_vs_finetune.ui.tables import Table

__all__ = [
    "course_folder",
    "ensure_claims",
    "format_ledger",
    "ledger_rows",
    "ledger_table",
    "lesson_lock",
    "notebooks_for",
    "status_counts",
]


def _interval(verdict: Verdict) -> str:
    if verdict.interval is None:
        return ""
    low, high = verdict.interval
    return f"[{low:.3f}, {high:.3f}]"


def ledger_rows(found: Mapping[str, Verdict | None], claim_ids: Sequence[str] = ()) -> Table:
    """The ledger from verdicts by claim id: one row per claim (all, or ``claim_ids``).

    Columns: claim, statement (the claim in the course's words), lesson (the owner),
    status, effect, interval (95%, of a sampled claim's effect), test (a sampled claim's
    test with its p-value; for a computed claim, the range over which it was checked), n
    (items or cases) and sentence. A claim with no verdict has status "not measured yet".
    """
    rows = []
    for key in [claim(c).id for c in claim_ids] or list(REGISTRY):
        declared, verdict = REGISTRY[key], found.get(key)
        rows.append({
            "claim": key,
            "statement": declared.text,
            "lesson": declared.owner,
            "status": verdict.status if verdict else NOT_MEASURED,
            "effect": verdict.effect if verdict else "",
            "interval": _interval(verdict) if verdict else "",
            "test": verdict.test if verdict else "",
            "n": verdict.n if verdict else None,
            "sentence": verdict.sentence if verdict else "",
        })  # fmt: skip
    return Table(rows)


def ledger_table(*claim_ids: str, store: ResultsStore | None = None) -> Table:
    """The ledger of the verdicts recorded in the results store (see ``ledger_rows``)."""
    return ledger_rows(recorded_all(store), claim_ids)


def notebooks_for(claim_ids: Iterable[str]) -> list[str]:
    """The lessons ("01", "06", ...) that own ``claim_ids``, sorted, no repeats."""
    return sorted({REGISTRY[key].owner for key in claim_ids})


def course_folder(start: Path | None = None) -> Path:
    """The folder of the lesson notebooks: ``start`` (default: the current folder) if it
    holds them, else its ``course/`` subfolder or a parent's."""
    start = Path.cwd() if start is None else Path(start)
    for folder in (start, *start.parents):
        for candidate in (folder, folder / "course"):
            if any(candidate.glob("00_*.ipynb")):
                return candidate
    return start


def lesson_lock(number: str) -> contextlib.AbstractContextManager[None]:
    """A lock held while lesson ``number`` runs headless or under `make test`: a second
    process that wants to run it waits, then finds its verdicts recorded."""
    from prompt_vs_finetune.store.cachefiles import exclusive
    from prompt_vs_finetune.store.paths import cache_dir

    return exclusive(cache_dir(), f"lesson-{number}")


def _run_notebook(path: Path) -> float:
    from prompt_vs_finetune.cli.prewarm import run_notebook

    return run_notebook(path)


def ensure_claims(
    *,
    skip: Sequence[str] = ("11",),
    folder: Path | None = None,
    store: ResultsStore | None = None,
    runner: Callable[[Path], float] = _run_notebook,
    verbose: bool = True,
) -> Table:
    """Run the lessons whose claims have no verdict yet, so that the ledger is complete.

    Lessons listed in ``skip`` are never run (by default this one, lesson 11). Each
    lesson runs headless in ``folder`` (default: ``course_folder()``) with ``runner``
    (default: nbclient, outputs discarded) and may take a minute or two, more when it has
    to train a fine-tune. A lesson that fails or is missing is reported, not raised.

    Returns one row per lesson it considered: notebook, claims, status, seconds.
    An empty table means every claim already had a verdict.
    """
    store = store if store is not None else ResultsStore(verbose=False)
    folder = course_folder(folder)
    missing = missing_claims(store)
    rows = []
    for number in notebooks_for(missing):
        owned = [c for c in missing if REGISTRY[c].owner == number]
        row = {"notebook": number, "claims": ", ".join(owned), "status": "", "seconds": None}
        paths = sorted(folder.glob(f"{number}_*.ipynb"))
        if number in skip:
            row["status"] = "skipped (this lesson)"
        elif not paths:
            row["status"] = f"no notebook {number}_*.ipynb in {folder}"
        else:
            row.update(_run_lesson(number, paths[0], owned, store, runner, verbose))
        rows.append(row)
    return Table(rows)


def _run_lesson(
    number: str,
    path: Path,
    owned: list[str],
    store: ResultsStore,
    runner: Callable[[Path], float],
    verbose: bool,
) -> dict[str, Any]:
    """Run one lesson for its ``owned`` claims, unless another process recorded them while
    this one waited for the lesson's lock; return the row's status and seconds."""
    start = time.perf_counter()
    with lesson_lock(number):
        if not set(owned) & set(missing_claims(store)):
            return {"status": "recorded by another run meanwhile", "seconds": None}
        if verbose:
            print(f"running {path.name} for {', '.join(owned)} ...", flush=True)
        try:
            runner(path)
            status = "ran"
        except Exception as exc:  # noqa: BLE001 - a failing lesson must not stop the ledger
            first = str(exc).strip().splitlines()
            status = f"failed: {type(exc).__name__}: {first[-1] if first else ''}"[:200]
    seconds = round(time.perf_counter() - start, 1)
    if verbose:
        print(f"  {status} ({seconds} s)", flush=True)
    return {"status": status, "seconds": seconds}


def status_counts(ledger: Sequence[dict[str, Any]]) -> dict[str, int]:
    """How many claims have each status (every status listed, zeros kept)."""
    counts = dict.fromkeys((*STATUSES, NOT_MEASURED), 0)
    for row in ledger:
        counts[row["status"]] = counts.get(row["status"], 0) + 1
    return counts


def _evidence(row: dict[str, Any]) -> str:
    """What a row's verdict rests on, in one line (empty when it has nothing to show)."""
    effect = row.get("effect")
    shown = f"{effect:.3f}" if isinstance(effect, float) else str(effect or "")
    if row.get("interval"):
        n = f"; n={row['n']}" if row.get("n") is not None else ""
        return f"effect {shown}, 95% interval {row['interval']}; {row.get('test', '')}{n}"
    if row.get("test"):
        return f"effect {shown}; checked over {row['test']}"
    return f"effect {shown}" if shown else ""


def format_ledger(ledger: Sequence[dict[str, Any]], width: int = 100) -> str:
    """The ledger as plain text, nothing cut: one block per claim, long lines wrapped.

    Each block: the claim with its status and owner lesson, what the verdict rests on
    (``evidence``) and the verdict's sentence (``measured``).
    """
    blocks = []
    for row in ledger:
        where = f"(lesson {row['lesson']})"
        head = f"{row['claim']:>3} [{row['status']}] {where} {row['statement']}"
        lines = textwrap.wrap(head, width, subsequent_indent="    ")
        for label, text in (("evidence", _evidence(row)), ("measured", row.get("sentence"))):
            if text:
                lines += textwrap.wrap(
                    f"{label}: {text}", width, initial_indent="    ", subsequent_indent="      "
                )
        blocks.append("\n".join(lines))
    return "\n".join(blocks)
