"""The claims ledger: the verdict on every claim of the guide, filled in if anything is missing.

Each lesson measures its claims and records a verdict in the results store
(``results.record_claim``). Lesson 11 shows them all. When it is run on its own (a fresh
machine, or a learner who skipped ahead) some verdicts are missing; ``ensure_claims``
then runs the lessons that own them, headless and in order, so the store fills, exactly
as if the learner had run them. Nothing is faked: a claim whose lesson cannot run stays
"not measured yet", and the reason is shown.

``verdict_for_c19`` judges the last claim, "start with prompting; fine-tune when
prompting is exhausted and the volume justifies it", from the decision tool's answers
on the case studies and on a few probing questions, plus the measured evidence the
advice rests on (C4, C16 and C18).
"""

from __future__ import annotations

import textwrap
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from prompt_vs_finetune.store.results import CLAIM_NOTEBOOKS, NOT_MEASURED, VERDICTS, ResultsStore
from prompt_vs_finetune.ui.tables import Table

__all__ = [
    "EVIDENCE_FOR_C19",
    "course_folder",
    "ensure_claims",
    "format_ledger",
    "notebooks_for",
    "probe_decisions",
    "verdict_counts",
    "verdict_for_c19",
]

#: Claims whose measured verdicts the advice of C19 rests on.
EVIDENCE_FOR_C19 = ("C4", "C16", "C18")


def notebooks_for(claim_ids: Iterable[str]) -> list[str]:
    """The lesson numbers ("01", "05", ...) that measure ``claim_ids``, sorted, no repeats."""
    numbers: set[str] = set()
    for claim in claim_ids:
        numbers.update(part.strip() for part in CLAIM_NOTEBOOKS[claim].split(","))
    return sorted(numbers)


def course_folder(start: Path | None = None) -> Path:
    """The folder of the lesson notebooks: ``start`` (default: the current folder) if it
    holds them, else its ``course/`` subfolder or a parent's."""
    start = Path.cwd() if start is None else Path(start)
    for folder in (start, *start.parents):
        for candidate in (folder, folder / "course"):
            if any(candidate.glob("00_*.ipynb")):
                return candidate
    return start


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
    missing = store.missing_claims()
    rows = []
    for number in notebooks_for(missing):
        owned = [c for c in missing if number in notebooks_for([c])]
        row = {"notebook": number, "claims": ", ".join(owned), "status": "", "seconds": None}
        paths = sorted(folder.glob(f"{number}_*.ipynb"))
        if number in skip:
            row["status"] = "skipped (this lesson)"
        elif not paths:
            row["status"] = f"no notebook {number}_*.ipynb in {folder}"
        else:
            if verbose:
                print(f"running {paths[0].name} for {row['claims']} ...", flush=True)
            start = time.perf_counter()
            try:
                runner(paths[0])
                row["status"] = "ran"
            except Exception as exc:  # noqa: BLE001 - a failing lesson must not stop the ledger
                first = str(exc).strip().splitlines()
                row["status"] = f"failed: {type(exc).__name__}: {first[-1] if first else ''}"[:200]
            row["seconds"] = round(time.perf_counter() - start, 1)
            if verbose:
                print(f"  {row['status']} ({row['seconds']} s)", flush=True)
        rows.append(row)
    return Table(rows)


def verdict_counts(ledger: Sequence[dict[str, Any]]) -> dict[str, int]:
    """How many claims have each verdict (every verdict listed, zeros kept)."""
    counts = dict.fromkeys((*VERDICTS, NOT_MEASURED), 0)
    for row in ledger:
        counts[row["verdict"]] = counts.get(row["verdict"], 0) + 1
    return counts


def format_ledger(ledger: Sequence[dict[str, Any]], width: int = 100) -> str:
    """The ledger as plain text, nothing cut: one block per claim, long lines wrapped."""
    blocks = []
    for row in ledger:
        where = f"(notebook {row['notebook']})"
        head = f"{row['claim']:>3} [{row['verdict']}] {where} {row['statement']}"
        lines = textwrap.wrap(head, width, subsequent_indent="    ")
        if row.get("measured"):
            lines += textwrap.wrap(
                f"measured: {row['measured']}", width, initial_indent="    ",
                subsequent_indent="      ",
            )  # fmt: skip
        blocks.append("\n".join(lines))
    return "\n".join(blocks)


def probe_decisions() -> Table:
    """Questions that test the advice itself, each with the answer the guide gives.

    A new team with no special needs; the same team with every resource but an untried
    prompt; exhausted prompting at low volume; exhausted prompting at high volume with
    skills, data and budget. Columns: situation, expected, recommended, agrees.
    """
    from prompt_vs_finetune.decision.advice import DecisionInputs, recommend

    able = {"ml_skills": True, "labelled_examples": 20_000, "upfront_budget": "high",
            "requirement_changes": "rarely"}  # fmt: skip
    probes = [
        ("new team, modest volume, no special needs", DecisionInputs(monthly_requests=50_000),
         "prompting"),
        ("every resource, high volume, prompting not yet tried hard",
         DecisionInputs(monthly_requests=5_000_000, **able), "prompting"),
        ("prompting exhausted, but low volume",
         DecisionInputs(monthly_requests=20_000, prompting_exhausted=True, **able), "prompting"),
        ("prompting exhausted, high volume, skills, data and budget",
         DecisionInputs(monthly_requests=5_000_000, prompting_exhausted=True, **able),
         "fine-tuning"),
    ]  # fmt: skip
    rows = []
    for situation, inputs, expected in probes:
        choice = recommend(inputs).choice
        rows.append(
            {"situation": situation, "expected": expected, "recommended": choice,
             "agrees": choice == expected}
        )  # fmt: skip
    return Table(rows)


def verdict_for_c19(
    case_rows: Sequence[dict[str, Any]],
    probe_rows: Sequence[dict[str, Any]],
    evidence: dict[str, str],
) -> tuple[str, str, dict[str, Any]]:
    """C19: (verdict, explanation, detail).

    ``case_rows`` is ``case_studies.case_table()``, ``probe_rows`` is
    ``probe_decisions()`` and ``evidence`` maps each of ``EVIDENCE_FOR_C19`` to its
    verdict in the ledger. The rule:

    * the decision tool must agree with every case study and every probe, otherwise
      "not at this scale" (the advice cannot even be applied consistently);
    * then "supported" when every piece of evidence is "supported", "partly" when some of
      it is only partly supported, not measured, or not seen at this scale.
    """
    cases_ok = sum(bool(r["agrees"]) for r in case_rows)
    probes_ok = sum(bool(r["agrees"]) for r in probe_rows)
    consistent = cases_ok == len(case_rows) and probes_ok == len(probe_rows)
    backed = [c for c in EVIDENCE_FOR_C19 if evidence.get(c) == "supported"]
    if not consistent:
        verdict = "not at this scale"
    elif len(backed) == len(EVIDENCE_FOR_C19):
        verdict = "supported"
    else:
        verdict = "partly"
    shown = ", ".join(f"{c} {evidence.get(c, NOT_MEASURED)}" for c in EVIDENCE_FOR_C19)
    explanation = (
        f"the decision tool agrees with {cases_ok}/{len(case_rows)} case studies and "
        f"{probes_ok}/{len(probe_rows)} probing questions; evidence: {shown}."
    )
    detail = {
        "cases_agree": cases_ok,
        "cases": len(case_rows),
        "probes_agree": probes_ok,
        "probes": len(probe_rows),
        "evidence": {c: evidence.get(c, NOT_MEASURED) for c in EVIDENCE_FOR_C19},
    }
    return verdict, explanation, detail
