"""The rule of claim C8 (lesson 05): measurements in, a ``Verdict`` out."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

import numpy as np
from scipy import stats

from prompt_vs_finetune.claims.evidence import Part, against, verdict_of
from prompt_vs_finetune.claims.verdict import CONTRADICTED, INCONCLUSIVE, SUPPORTED, Verdict
from prompt_vs_finetune.measure.intervals import LEVEL, rate

__all__ = ["JSON_BAR", "SCHEMA_BAR", "rule_c8"]


#: C8's bars: valid JSON for more than 90% of the tickets, every key with the right type
#: (schema valid) for more than 80%.
JSON_BAR, SCHEMA_BAR = 0.9, 0.8


def _tickets_to_clear(value: float, bar: float, limit: int = 100_000) -> int | None:
    """About how many tickets a rate of ``value`` needs before its Wilson interval clears
    ``bar`` (None when it equals the bar or needs more than ``limit``)."""
    if value == bar:
        return None
    z = stats.norm.ppf(1 - (1 - LEVEL) / 2)
    n = np.arange(1, limit + 1)
    centre = (value + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(value * (1 - value) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    clear = centre - half > bar if value > bar else centre + half < bar
    hits = np.flatnonzero(clear)
    return int(n[hits[0]]) if hits.size else None


def _c8_parts(row: dict[str, Any]) -> list[Part]:
    """One technique's two rates against their bars, each with its Wilson interval."""
    if "n" in row:
        n = int(row["n"])
    elif "failures" in row:
        n = int(sum(row["failures"].values()))
    else:
        raise ValueError("each technique row needs n (tickets asked) or its failure counts")
    parts = []
    for field, bar, what in (("json_valid", JSON_BAR, "JSON valid"),
                             ("schema_valid", SCHEMA_BAR, "schema valid")):  # fmt: skip
        measured = rate(round(row[field] * n), n)
        part = against(f"{what}, {row['technique']!r} (bar {bar:.2f})", measured, bar)
        if part.status == INCONCLUSIVE:
            part = dataclasses.replace(part, settle=_tickets_to_clear(measured.value, bar))
        parts.append(part)
    return parts


def rule_c8(rows: Sequence[dict[str, Any]]) -> Verdict:
    """Is JSON reachable by prompting alone? One row per prompt technique.

    Each row holds the technique's ``json_valid`` and ``schema_valid`` rates on the same
    tickets, and ``n`` (or its ``failures`` counts, which add up to n). A technique reaches
    JSON when valid JSON exceeds ``JSON_BAR`` and schema-valid answers exceed
    ``SCHEMA_BAR``, each judged on its 95% Wilson interval (``claims.evidence.against``):
    supported when both lower ends clear their bar, contradicted when an upper end lies
    below its bar. The claim is supported when some technique is, contradicted when every
    technique is, inconclusive otherwise (the sentence then says about how many tickets
    would settle it). The best technique is picked on the same tickets, which flatters it
    a little. Field accuracy is reported: the claim is about format, not values.
    """
    rows = list(rows)
    if not rows:
        raise ValueError("no technique rows to judge")
    rank = {SUPPORTED: 2, INCONCLUSIVE: 1, CONTRADICTED: 0}
    judged = [(verdict_of("C8", _c8_parts(r)), r) for r in rows]
    verdict, best = max(judged, key=lambda vr: (rank[vr[0].status], vr[1]["schema_valid"],
                                                vr[1]["json_valid"], vr[1]["field_accuracy"]))
    parts = _c8_parts(best)
    note = (
        f"Judged on {best['technique']!r}, the best of the {len(rows)} techniques tried; its "
        f"mean field accuracy ({best['field_accuracy']:.0%}) is about the values, which the "
        f"claim does not cover."
    )
    keys = ("technique", "json_valid", "schema_valid", "field_accuracy")
    numbers = {"techniques": [{k: r[k] for k in keys} for r in rows], "best": best["technique"],
               "bars": {"json_valid": JSON_BAR, "schema_valid": SCHEMA_BAR}}  # fmt: skip
    return verdict_of("C8", parts, numbers=numbers, note=note)
