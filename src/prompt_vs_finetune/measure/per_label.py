"""Knowledge the base model cannot have: Pebblewire's internal routing queues.

The queue of a ticket (``KESTREL``, ``OWL-3``, ``LEDGER``...) follows company rules
(``QUEUE_RULES``) that exist nowhere on the internet, so a pretrained model has never
seen them. There are two ways to give it that knowledge: write the rules into the prompt,
or train the model on routed tickets until the rules are in its weights. Lesson 06
compares them on the same test tickets (``sweeps.compare``); this module holds the
small pieces around that comparison: accuracy per queue and the verdict on the claim.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from prompt_vs_finetune.ui.tables import Table

if TYPE_CHECKING:
    from prompt_vs_finetune.measure.evaluate import Evaluation

__all__ = ["per_label_accuracy", "per_label_table"]


def per_label_accuracy(result: Evaluation) -> dict[str, float | None]:
    """Share of each gold label's tickets answered right (None for a label with no tickets)."""
    out: dict[str, float | None] = {}
    pairs = list(zip(result.gold, result.predictions, strict=True))
    for label in result.labels:
        mine = [p for g, p in pairs if g == label]
        out[label] = sum(p == label for p in mine) / len(mine) if mine else None
    return out


def per_label_table(results: Mapping[str, Evaluation], labels: Sequence[str]) -> Table:
    """One row per label, one column per named evaluation: how often each got that label right."""
    per = {name: per_label_accuracy(r) for name, r in results.items()}
    rows = []
    for label in labels:
        n = sum(g == label for g in next(iter(results.values())).gold)
        rows.append({"label": label, "tickets": n, **{name: per[name][label] for name in per}})
    return Table(rows)
