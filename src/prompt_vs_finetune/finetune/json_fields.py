"""Extraction by a fine-tune, against few-shot prompting, on the same tickets (lesson 06).

The guide says few-shot prompting often competes with fine-tuning on extraction and
format conversion, not only on classification. Lesson 05 asked the base model for a
ticket's six fields (``TICKET_FIELDS``) as JSON with five prompt techniques
(``prompting.structured_output``). Here the course run ``"fields"`` (LoRA trained on the
training tickets' gold JSON, ``load_tickets("fields")``) answers the same tickets with
its own 0-shot prompt: a one-line instruction and the ticket. Its answers go through the
same generation (stopping once the JSON closes) and the same grading (``json_grading``).

``best_fewshot`` picks, of the techniques that show solved tickets, the one with the
higher mean field accuracy on these very tickets: a choice that can only flatter the
prompt. ``extraction_comparison`` pairs it with the fine-tune, ticket by ticket.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from prompt_vs_finetune.data import TICKET_FIELDS, load_tickets
from prompt_vs_finetune.measure.paired_table import paired_table
from prompt_vs_finetune.prompting.extraction import extract_json
from prompt_vs_finetune.prompting.fewshot import build_prompt
from prompt_vs_finetune.prompting.structured_output import measure_technique, stored_summary
from prompt_vs_finetune.store.results import cached
from prompt_vs_finetune.ui.tables import Table

__all__ = [
    "FEWSHOT_TECHNIQUES",
    "best_fewshot",
    "extraction_comparison",
    "per_ticket",
    "tuned_extraction",
]

KIND = "extraction-finetuned"
#: Lesson 05's techniques that show solved tickets in the prompt.
FEWSHOT_TECHNIQUES = ("example", "fewshot")


def tuned_extraction(
    lm: Any, examples: Sequence[Any], *, max_new_tokens: int = 96, progress: bool = False
) -> dict[str, Any]:
    """``summarize_extraction`` of a model fine-tuned on "fields", read with its 0-shot
    prompt, cached in the results store (with a short record per ticket, as lesson 05's)."""
    prompt = build_prompt(load_tickets("fields"), k=0)
    inputs = {
        "model": lm.name,
        "prompt": prompt.key(),
        "ids": [ex.id for ex in examples],
        "max_new_tokens": max_new_tokens,
    }

    def compute() -> dict[str, Any]:
        records = extract_json(
            lm, examples, prompt.render, chat=False, max_new_tokens=max_new_tokens,
            progress=progress,
        )  # fmt: skip
        return stored_summary(records)

    return cached(KIND, inputs, compute)


def best_fewshot(lm: Any, examples: Sequence[Any], **options: Any) -> tuple[str, dict[str, Any]]:
    """The few-shot technique with the higher mean field accuracy on ``examples``, and its
    stored summary (``options`` as for ``measure_technique``; lesson 05 measured both)."""
    measured = {t: measure_technique(lm, examples, t, **options) for t in FEWSHOT_TECHNIQUES}
    best = max(measured, key=lambda t: measured[t]["mean_field_accuracy"])
    return best, measured[best]


def per_ticket(summary: dict[str, Any]) -> dict[str, list[float]]:
    """Per ticket: valid JSON (1/0), every field right (1/0) and the share of fields right."""
    records = summary["records"]
    return {
        "valid JSON": [float(r["failure"] not in ("no_json", "invalid_json")) for r in records],
        "every field right": [float(r["failure"] == "ok") for r in records],
        "share of fields right": [r["n_correct"] / len(TICKET_FIELDS) for r in records],
    }


def extraction_comparison(prompted: dict[str, Any], tuned: dict[str, Any]) -> Table:
    """Few-shot prompt against fine-tune on the same tickets, one row per ``per_ticket``
    measure: each with its 95% interval, the paired difference and its test. (Tokens per
    request are in each summary: ``mean_tokens_in``.)"""
    if [r["id"] for r in prompted["records"]] != [r["id"] for r in tuned["records"]]:
        raise ValueError("the two summaries answer different tickets (or in another order)")
    return paired_table(per_ticket(prompted), per_ticket(tuned))
