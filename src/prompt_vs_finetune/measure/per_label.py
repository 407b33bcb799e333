"""Knowledge the base model cannot have: Pebblewire's internal routing queues.

The queue of a ticket (``KESTREL``, ``OWL-3``, ``LEDGER``...) follows company rules
(``QUEUE_RULES``) that exist nowhere on the internet, so a pretrained model has never
seen them. There are two ways to give it that knowledge: write the rules into the prompt,
or train the model on routed tickets until the rules are in its weights. Lesson 06
compares them on the same test tickets (``comparisons.compare``); this module holds the
small pieces around that comparison: accuracy per queue and the verdict on the claim.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from prompt_vs_finetune.ui.tables import Table

__all__ = ["per_label_accuracy", "per_label_table", "verdict_for_c10"]


def per_label_accuracy(result: Mapping[str, Any]) -> dict[str, float | None]:
    """Share of each gold label's tickets answered right (None for a label with no tickets).

    ``result`` is a stored scoring (``comparisons.label_scores``): labels, gold, predictions.
    """
    out: dict[str, float | None] = {}
    pairs = list(zip(result["gold"], result["predictions"], strict=True))
    for label in result["labels"]:
        mine = [p for g, p in pairs if g == label]
        out[label] = sum(p == label for p in mine) / len(mine) if mine else None
    return out


def per_label_table(results: Mapping[str, Mapping[str, Any]], labels: Sequence[str]) -> Table:
    """One row per label, one column per named scoring: how often each got that label right."""
    per = {name: per_label_accuracy(r) for name, r in results.items()}
    rows = []
    for label in labels:
        n = sum(g == label for g in next(iter(results.values()))["gold"])
        rows.append({"label": label, "tickets": n, **{name: per[name][label] for name in per}})
    return Table(rows)


def verdict_for_c10(
    base_accuracy: float,
    prompted_accuracy: float,
    tuned_accuracy: float,
    *,
    margin: float = 0.05,
) -> tuple[str, str]:
    """Did the fine-tune teach knowledge the base model lacks, beyond what the prompt gives?

    ``base_accuracy``: the base model with the instruction only; ``prompted_accuracy``: the
    best prompt that *states* the knowledge (rules, examples); ``tuned_accuracy``: the
    fine-tuned model with the instruction only.

    "not at this scale" when the fine-tune gains less than ``2 * margin`` over the base
    model; "supported" when it gains that much and also beats the best prompt by more than
    ``margin``; "partly" when it learned the knowledge but a prompt got as far.
    """
    numbers = (
        f"base {base_accuracy:.3f}, best prompt with the rules {prompted_accuracy:.3f}, "
        f"fine-tuned {tuned_accuracy:.3f}"
    )
    if tuned_accuracy - base_accuracy < 2 * margin:
        return "not at this scale", f"the fine-tune did not learn the company's routing: {numbers}"
    if tuned_accuracy > prompted_accuracy + margin:
        return (
            "supported",
            f"the fine-tune learned routing that neither the base model nor the rules in the "
            f"prompt delivered: {numbers}",
        )
    return "partly", f"the fine-tune learned the routing, but a prompt got as far: {numbers}"
