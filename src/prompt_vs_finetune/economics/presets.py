"""The two named scenarios side by side: what a fine-tune costs on this laptop and for a team.

The guide says a training run often costs thousands of dollars; the course's own fine-tune
costs cents of compute. Both are right, for different bills. ``upfront_by_preset`` puts
the two bills of ``assumptions.PRESETS`` side by side, item by item (training compute,
evaluation runs, engineering, data preparation), with how many times the team's figure is
the laptop's and each item's share of the difference; ``gap_sentence`` says it in words.
``side_by_side`` does the same for any items (lesson 10 uses it for the ROI inputs), and
``break_even_by_preset`` gives lesson 02's break-even under each scenario (claim C4).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from prompt_vs_finetune.economics.assumptions import PRESETS, Assumptions, Prices, prices_of
from prompt_vs_finetune.economics.costs import fine_tune_upfront_cost
from prompt_vs_finetune.economics.tokens import break_even_summary
from prompt_vs_finetune.ui.tables import Table

__all__ = [
    "MOST_OF_GAP",
    "PLACES",
    "break_even_by_preset",
    "break_even_place",
    "gap_sentence",
    "presets_or_default",
    "side_by_side",
    "upfront_by_preset",
]

#: ``gap_sentence`` names the biggest items until together they make this share of the gap.
MOST_OF_GAP = 0.9
#: Where a break-even volume can lie against the volumes a scenario considers, in words.
PLACES = {
    "inside": "inside the volumes considered: volume decides",
    "below": "below the volumes considered: it pays back at any of them",
    "above": "above the volumes considered: it pays back at none of them",
    "none": "none: a tuned request is not cheaper",
}


def presets_or_default(presets: Mapping[str, Assumptions] | None) -> dict[str, Assumptions]:
    """``presets`` as a dict, or the two named scenarios of ``assumptions.PRESETS``."""
    chosen = dict(PRESETS if presets is None else presets)
    if not chosen:
        raise ValueError("give at least one preset: {name: Assumptions(...)}")
    for name, a in chosen.items():
        if not isinstance(a, Assumptions):
            raise TypeError(f"preset {name!r} must be Assumptions, not {type(a).__name__}.")
    return chosen


def side_by_side(values: Mapping[str, Mapping[str, float]]) -> Table:
    """Items of a bill under two scenarios, plus a total row.

    ``values`` is ``{scenario: {item: amount}}`` with the same items, the cheaper scenario
    first. Columns: item, one per scenario, ``times`` (second / first; None when the first
    is 0) and ``share_of_gap`` (the item's part of the difference between the totals).
    """
    if len(values) != 2:
        raise ValueError(f"compare exactly two scenarios, not {len(values)}.")
    (a_name, a), (b_name, b) = values.items()
    if list(a) != list(b):
        raise ValueError(f"both scenarios need the same items: {list(a)} vs {list(b)}.")
    items = {**{k: (a[k], b[k]) for k in a}, "total": (sum(a.values()), sum(b.values()))}
    gap = items["total"][1] - items["total"][0]
    return Table(
        {"item": item, a_name: x, b_name: y, "times": y / x if x else None,
         "share_of_gap": (y - x) / gap if gap else None}
        for item, (x, y) in items.items()
    )  # fmt: skip


def upfront_by_preset(
    train_seconds: float, presets: Mapping[str, Assumptions] | None = None
) -> Table:
    """The fine-tune's upfront bill under each scenario, item by item (``side_by_side``)."""
    chosen = presets_or_default(presets)
    return side_by_side(
        {name: fine_tune_upfront_cost(train_seconds, a).parts() for name, a in chosen.items()}
    )


def _times(ratio: float | None) -> str:
    if ratio is None:
        return "infinitely many times"
    return f"{ratio:,.0f}x" if ratio >= 10 else f"{ratio:.1f}x"


def gap_sentence(
    table: Table, what: str = "the upfront bill", prices: Prices | Assumptions | None = None
) -> str:
    """What ``side_by_side`` rows say: how many times one total is the other, and which
    items make most (``MOST_OF_GAP``) of the difference. Amounts in ``prices``' currency."""
    money = prices_of(prices).money
    total = table[-1]
    a_name, b_name = (k for k in total if k not in ("item", "times", "share_of_gap"))
    named, share = [], 0.0
    for row in sorted(table[:-1], key=lambda r: -(r["share_of_gap"] or 0.0)):
        if share >= MOST_OF_GAP or not row["share_of_gap"] or row["share_of_gap"] <= 0:
            break
        named.append(row["item"])
        share += row["share_of_gap"]
    makers = " and ".join(named) if named else "no item"
    return (
        f"{what}: {b_name} {money(total[b_name])}, {a_name} {money(total[a_name])} "
        f"({_times(total['times'])} as much); {makers} make {share:.0%} of the difference."
    )


def break_even_by_preset(
    prompt_tokens_in: float,
    tuned_tokens_in: float,
    tokens_out: float,
    train_seconds: float,
    presets: Mapping[str, Assumptions] | None = None,
) -> dict[str, dict[str, Any]]:
    """``tokens.break_even_summary`` under each scenario, by name, with ``volume_range``:
    the smallest and largest monthly volume that scenario's tables consider."""
    out = {}
    for name, a in presets_or_default(presets).items():
        summary = break_even_summary(prompt_tokens_in, tuned_tokens_in, tokens_out,
                                     train_seconds, a)  # fmt: skip
        out[name] = {**summary, "volume_range": (min(a.volume_grid), max(a.volume_grid))}
    return out


def break_even_place(summary: dict[str, Any]) -> str:
    """Where a ``break_even_by_preset`` summary's break-even lies against its
    ``volume_range``: "inside", "below", "above", or "none" (a key of ``PLACES``)."""
    volume = summary["break_even"]
    if volume is None:
        return "none"
    low, high = summary["volume_range"]
    return "below" if volume < low else "above" if volume > high else "inside"
