"""Recorded verdicts: the "claims" section of the results store, read and written here.

A lesson records a claim it owns with one call, ``record("C9", prompt, tuned,
notebook="06")``: the claim's rule turns the measurements into a ``Verdict``, which is
stored and returned. Recording a claim from any other notebook raises
``NotOwnerError``. A verdict stored under another ``RESULTS_VERSION`` counts as missing,
so the ledger never shows a verdict measured by older code. Each course model has its own
section (``section_name``), so the ledger never shows a verdict measured on another model.
"""

from __future__ import annotations

import time
from typing import Any

from prompt_vs_finetune.claims.registry import REGISTRY, claim
from prompt_vs_finetune.claims.verdict import NOT_MEASURED, Verdict
from prompt_vs_finetune.model.choice import DEFAULT_MODEL, configured_name
from prompt_vs_finetune.store import results
from prompt_vs_finetune.store.results import ResultsStore

__all__ = [
    "SECTION",
    "NotOwnerError",
    "missing_claims",
    "record",
    "recorded",
    "recorded_all",
    "section_name",
    "statuses",
]

#: The section of the results store file that holds the default model's verdicts.
SECTION = "claims"
_FIELDS = ("claim", "status", "effect", "numbers", "sentence", "interval", "test", "n")


class NotOwnerError(ValueError):
    """A notebook tried to record a claim that another lesson owns."""


def _store(store: ResultsStore | None) -> ResultsStore:
    return store if store is not None else ResultsStore(verbose=False)


def section_name() -> str:
    """The store section of the course model's verdicts: ``SECTION`` for the default model
    (where they always were), ``claims@<model name>`` for any other."""
    model = configured_name()
    return SECTION if model == DEFAULT_MODEL else f"{SECTION}@{model}"


def record(
    claim_id: str,
    *measurements: Any,
    notebook: str,
    store: ResultsStore | None = None,
    **options: Any,
) -> Verdict:
    """Judge ``claim_id`` on ``measurements`` with its rule, store the verdict, return it.

    ``notebook`` is the recording lesson ("06"); it must be the claim's owner. The other
    arguments go to the claim's rule (see ``REGISTRY[claim_id].rule``).
    """
    declared = claim(claim_id)
    if notebook != declared.owner:
        raise NotOwnerError(
            f"{declared.id} is recorded by lesson {declared.owner}, its owner, not by "
            f"notebook {notebook!r}. Show the comparison with claims.judge() instead."
        )
    verdict = declared.rule(*measurements, **options)
    entry = {
        **{name: getattr(verdict, name) for name in _FIELDS},
        "lesson": declared.owner,
        "results_version": results.RESULTS_VERSION,
        "saved_at": time.strftime("%Y-%m-%d %H:%M:%S"),
    }
    _store(store).put_entry(section_name(), declared.id, entry)
    return verdict


def _current(entry: Any) -> Verdict | None:
    """The verdict in a stored entry; None when it is from another version or damaged."""
    if not isinstance(entry, dict) or entry.get("results_version") != results.RESULTS_VERSION:
        return None
    try:
        fields = {name: entry[name] for name in _FIELDS}
        if fields["interval"] is not None:
            fields["interval"] = tuple(fields["interval"])
        return Verdict(**fields)
    except (KeyError, TypeError, ValueError):
        return None


def recorded(claim_id: str, store: ResultsStore | None = None) -> Verdict | None:
    """The recorded verdict on ``claim_id``, or None when it is missing or out of date."""
    return _current(_store(store).section(section_name()).get(claim(claim_id).id))


def recorded_all(store: ResultsStore | None = None) -> dict[str, Verdict | None]:
    """Every claim's recorded verdict (None where missing), in claim order."""
    entries = _store(store).section(section_name())
    return {key: _current(entries.get(key)) for key in REGISTRY}


def statuses(store: ResultsStore | None = None) -> dict[str, str]:
    """Every claim's recorded status ("not measured yet" when missing), in claim order."""
    return {key: v.status if v else NOT_MEASURED for key, v in recorded_all(store).items()}


def missing_claims(store: ResultsStore | None = None) -> list[str]:
    """Claim ids with no current recorded verdict, in claim order."""
    return [key for key, v in recorded_all(store).items() if v is None]
