"""Hybrids: a fine-tune and a prompt together, and a cascade of a cheap and a costly path.

Lesson 07 measures two of the guide's hybrid patterns:

* **Fine-tune for the domain, prompt for the instance** (C13): a 2x2 table, weights
  (base or fine-tuned) against prompt context (without or with). ``two_by_two`` lays the
  four measured accuracies out; ``verdict_for_c13`` asks whether the combination beats
  both single approaches.
* **The waterfall** (C15): every request goes to a cheap path first; when its
  confidence (from the label log-probabilities) is low, the request goes on to a costly
  path. ``cascade_inputs`` turns two stored scorings (``comparisons.label_scores``) of the
  same tickets into the arguments of ``cascade.cascade_sweep``, with the measured prompt
  tokens per request as the cost of each path; ``verdict_for_c15`` reads the sweep.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from prompt_vs_finetune.hybrid.cascade import cheapest_meeting
from prompt_vs_finetune.ui.tables import Table

__all__ = [
    "cascade_inputs",
    "plot_two_by_two",
    "two_by_two",
    "verdict_for_c13",
    "verdict_for_c15",
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


def verdict_for_c13(
    neither: float,
    prompt_only: float,
    tune_only: float,
    both: float,
    *,
    margin: float = 0.05,
) -> tuple[str, str]:
    """Does fine-tune + prompt context beat either alone? From the four cells of the 2x2.

    "not at this scale" when no cell beats ``neither`` (base model, no context) by more
    than ``2 * margin`` (nothing was learned or used, so there is nothing to combine), or
    when the combination is worse than the better single approach by more than
    ``margin``; "supported" when it beats the better single approach by more than
    ``margin``; "partly" when it matches it (within ``margin``).
    """
    best_single = max(prompt_only, tune_only)
    which = "the fine-tune alone" if tune_only >= prompt_only else "the prompt alone"
    numbers = (
        f"neither {neither:.3f}, prompt only {prompt_only:.3f}, fine-tune only {tune_only:.3f}, "
        f"both {both:.3f}"
    )
    if max(prompt_only, tune_only, both) - neither <= 2 * margin:
        return (
            "not at this scale",
            f"no cell is clearly above the base model without context (all within "
            f"{2 * margin:.2f}): {numbers}",
        )
    if both > best_single + margin:
        return "supported", f"the combination beats {which} by {both - best_single:+.3f}: {numbers}"
    if both >= best_single - margin:
        return "partly", f"the combination only matches {which}: {numbers}"
    return "not at this scale", f"the combination is worse than {which}: {numbers}"


def cascade_inputs(cheap: Mapping[str, Any], strong: Mapping[str, Any]) -> dict[str, Any]:
    """Arguments for ``cascade.cascade_sweep`` from two ``label_scores`` results.

    Both must score the same tickets in the same order (checked by their ids). The cost
    of each path is its measured mean prompt tokens per request.
    """
    if list(cheap["ids"]) != list(strong["ids"]):
        raise ValueError("the cheap and the strong path must be scored on the same tickets")
    return {
        "cheap_logprobs": np.asarray(cheap["logprobs"], dtype=float),
        "cheap_preds": list(cheap["predictions"]),
        "strong_preds": list(strong["predictions"]),
        "gold": list(cheap["gold"]),
        "cost_cheap": float(cheap["mean_tokens"]),
        "cost_strong": float(strong["mean_tokens"]),
    }


def verdict_for_c15(
    rows: Sequence[dict[str, Any]],
    *,
    tolerance: float = 0.02,
    max_share: float = 0.5,
) -> tuple[str, str, dict[str, Any] | None]:
    """Does a cascade keep the costly path's accuracy while sending it few requests?

    ``rows`` is a ``cascade_sweep`` that includes threshold 0 (nothing escalated: the cheap
    path alone) and threshold 1 (everything escalated: the costly path's accuracy). The
    chosen row is the cheapest whose accuracy is within ``tolerance`` of the costly path.

    * "not at this scale" when the costly path is not more accurate than the cheap one by
      more than ``tolerance`` (there is nothing to escalate for), or when only escalating
      (nearly) everything keeps its accuracy, or when that costs more than the costly path;
    * "supported" when the chosen row escalates at most ``max_share`` of the requests and
      costs less than sending everything to the costly path;
    * "partly" when it saves cost but escalates more than ``max_share``.

    Returns (verdict, why, chosen row or None).
    """
    by_threshold = {r["threshold"]: r for r in rows}
    if 0.0 not in by_threshold or 1.0 not in by_threshold:
        raise ValueError("the sweep needs thresholds 0 (cheap path alone) and 1 (costly path)")
    cheap, strong = by_threshold[0.0], by_threshold[1.0]
    ends = f"cheap path alone {cheap['accuracy']:.3f}, costly path alone {strong['accuracy']:.3f}"
    if strong["accuracy"] <= cheap["accuracy"] + tolerance:
        return (
            "not at this scale",
            f"the costly path is not more accurate than the cheap one ({ends})",
            None,
        )
    chosen = cheapest_meeting(rows, strong["accuracy"] - tolerance)
    assert chosen is not None  # threshold 1 itself meets it
    alone = strong["cost_per_request"] - cheap["cost_per_request"]  # no cheap call first
    numbers = (
        f"threshold {chosen['threshold']:.2f}: {chosen['share_escalated']:.0%} escalated, "
        f"accuracy {chosen['accuracy']:.3f} ({ends}); "
        f"cost {chosen['cost_per_request']:.0f} per request, {alone:.0f} for the costly path alone"
    )
    saves = (chosen["saving_vs_strong"] or 0) > 0 and chosen["share_escalated"] < 1
    if saves and chosen["share_escalated"] <= max_share:
        return "supported", f"the cheap path handled most requests: {numbers}", chosen
    if saves:
        return "partly", f"the cascade saves, but escalates many requests: {numbers}", chosen
    why = f"keeping the costly path's accuracy meant escalating too much to save: {numbers}"
    return "not at this scale", why, chosen
