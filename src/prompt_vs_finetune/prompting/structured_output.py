"""Structured output by prompting alone: measure JSON per prompt technique (claim C8).

``extraction`` asks and ``json_grading`` grades; this module runs both through the results
store (one stored summary per technique and set of tickets, so reruns are instant). The
rule of C8 in ``claims`` turns the measured rates into a verdict on the guide's claim that
output format and structure, such as JSON, can be reached by prompting without training.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from prompt_vs_finetune.prompting.extraction import TECHNIQUES, extract_json
from prompt_vs_finetune.prompting.json_grading import summarize_extraction
from prompt_vs_finetune.store.results import cached
from prompt_vs_finetune.ui.tables import Table

__all__ = [
    "KIND",
    "measure_technique",
    "measure_techniques",
]

KIND = "extraction-technique"
KEEP = ("id", "failure", "problems", "n_correct", "raw", "tokens_in", "tokens_out")


def measure_technique(
    lm: Any,
    examples: Sequence[Any],
    technique: str,
    *,
    max_new_tokens: int = 96,
    k: int = 3,
    seed: int = 0,
    progress: bool = False,
) -> dict[str, Any]:
    """``summarize_extraction`` of one technique on ``examples``, cached in the results store.

    The result also keeps a short record per example (``records``: id, failure, problems,
    n_correct, raw answer, tokens) so a lesson can show what went wrong.
    """
    if technique not in TECHNIQUES:
        raise ValueError(f"Unknown technique {technique!r}; choose one of {', '.join(TECHNIQUES)}.")
    inputs = {
        "model": lm.name,
        "technique": technique,
        "ids": [ex.id for ex in examples],
        "max_new_tokens": max_new_tokens,
        "k": k,
        "seed": seed,
    }

    def compute() -> dict[str, Any]:
        records = extract_json(
            lm, examples, technique, max_new_tokens=max_new_tokens, k=k, seed=seed,
            progress=progress,
        )  # fmt: skip
        return stored_summary(records)

    return cached(KIND, inputs, compute)


def stored_summary(records: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """What the store keeps of an extraction run: its summary and each record's ``KEEP``."""
    summary = summarize_extraction(records)
    summary["records"] = [{key: r[key] for key in KEEP} for r in records]
    return summary


def measure_techniques(
    lm: Any,
    examples: Sequence[Any],
    techniques: Sequence[str] = TECHNIQUES,
    **options: Any,
) -> Table:
    """One row per technique: JSON valid, schema valid, mean field accuracy, all fields
    right, the null baseline, the failure counts, tokens in and seconds."""
    rows = []
    for technique in techniques:
        s = measure_technique(lm, examples, technique, **options)
        rows.append(
            {
                "technique": technique,
                "json_valid": s["json_valid"],
                "schema_valid": s["schema_valid"],
                "field_accuracy": s["mean_field_accuracy"],
                "all_correct": s["all_correct"],
                "null_baseline": s["null_baseline"],
                "failures": {k: v for k, v in s["failures"].items() if v},
                "tokens_in": s["mean_tokens_in"],
                "seconds": s["seconds"],
            }
        )
    return Table(rows)
