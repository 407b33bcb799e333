"""Hybrids: a fine-tune and a prompt together, and a cascade of a cheap and a costly path.

Lesson 07 measures two of the guide's hybrid patterns:

* **Fine-tune for the domain, prompt for the instance** (C13): a 2x2 table, weights
  (base or fine-tuned) against prompt context (without or with). ``two_by_two`` lays the
  four measured accuracies out; the rule of C13 in ``claims`` asks whether the
  combination beats both single approaches.
* **The waterfall** (C15): every request goes to a cheap path first; when its
  confidence (from the label log-probabilities) is low, the request goes on to a costly
  path. ``cascade_inputs`` turns two evaluations (``measure.evaluate``) of the
  same tickets into the arguments of ``cascade.cascade_sweep``, with the measured prompt
  tokens per request as the cost of each path; the rule of C15 in ``claims`` reads the
  sweep.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from prompt_vs_finetune.ui.tables import Table

if TYPE_CHECKING:
    from prompt_vs_finetune.measure.evaluate import Evaluation

__all__ = [
    "cascade_inputs",
    "plot_two_by_two",
    "two_by_two",
]


def two_by_two(
    cells: Mapping[tuple[str, str], float],
    rows: Sequence[str],
    columns: Sequence[str],
    *,
    row_name: str = "weights",
) -> Table:
    """A 2x2 (or larger) table of accuracies: ``cells[(row, column)]``, one table row per row."""
    missing = [(r, c) for r in rows for c in columns if (r, c) not in cells]
    if missing:
        raise ValueError(f"missing cells: {missing}")
    return Table(
        [{row_name: r, **{c: float(cells[(r, c)]) for c in columns}} for r in rows],
        [row_name, *columns],
    )


def plot_two_by_two(
    table: Sequence[dict[str, Any]], ax: Any = None, *, chance: float | None = None
):
    """Grouped bars: one group per row of the table, one bar per column; returns the Axes."""
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(6, 3.5))
    row_name = next(iter(table[0]))
    columns = [c for c in table[0] if c != row_name]
    width = 0.8 / len(columns)
    for j, column in enumerate(columns):
        xs = [i - 0.4 + width * (j + 0.5) for i in range(len(table))]
        values = [r[column] for r in table]
        bars = ax.bar(xs, values, width, label=column)
        ax.bar_label(bars, labels=[f"{v:.0%}" for v in values], fontsize=8)
    if chance is not None:
        ax.axhline(chance, color="gray", linestyle=":", label="chance")
    ax.set_xticks(range(len(table)))
    ax.set_xticklabels([r[row_name] for r in table])
    ax.set_ylabel("accuracy")
    ax.set_ylim(0, 1.08)
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3, axis="y")
    return ax


def cascade_inputs(cheap: Evaluation, strong: Evaluation) -> dict[str, Any]:
    """Arguments for ``cascade.cascade_sweep`` from two evaluations (``measure.evaluate``).

    Both must score the same tickets in the same order (checked by their ids). The cost
    of each path is its measured mean prompt tokens per request.
    """
    if list(cheap.ids) != list(strong.ids):
        raise ValueError("the cheap and the strong path must be scored on the same tickets")
    return {
        "cheap_logprobs": np.asarray(cheap.logprobs, dtype=float),
        "cheap_preds": list(cheap.predictions),
        "strong_preds": list(strong.predictions),
        "gold": list(cheap.gold),
        "cost_cheap": float(cheap.mean_tokens),
        "cost_strong": float(strong.mean_tokens),
    }
