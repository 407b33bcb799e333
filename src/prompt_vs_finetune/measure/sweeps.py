"""Tables of evaluations: a k-shot sweep, the same over several draws of examples, and
named (model, prompt) conditions side by side.

All are thin layers over ``evaluate``: every row is one stored evaluation, so a sweep in
one lesson and a single evaluation in another share their numbers.

``kshot_draws`` answers "how much of a k-shot accuracy is the particular examples?": each
k is scored with several seeded draws of examples (different examples, different order)
on the same queries; ``draw_summary`` gives the mean and range per k and ``plot_draws``
draws every draw as a dot, the mean as a line and the range as a band.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from prompt_vs_finetune.measure.evaluate import evaluate
from prompt_vs_finetune.prompting.fewshot import build_prompt
from prompt_vs_finetune.prompting.neighbours import NearestPrompts
from prompt_vs_finetune.ui.tables import Table

__all__ = [
    "DRAWS",
    "accuracy_per_token",
    "compare",
    "draw_row",
    "draw_summary",
    "kshot_draws",
    "kshot_sweep",
    "plot_draws",
]

#: How many seeded draws of examples ``kshot_draws`` scores per k by default.
DRAWS = 5


def kshot_sweep(
    lm: Any,
    task: Any,
    ks: Sequence[int] = (0, 1, 2, 4, 8),
    *,
    strategy: str = "balanced",
    order: str = "shuffled",
    split: str = "test",
    seed: int = 0,
    n: int | None = None,
    progress: bool = False,
) -> Table:
    """One row per k: accuracy with its 95% Wilson interval (low, high), macro-F1, mean
    tokens per request, seconds, n.

    The k examples come from the train split (``build_prompt`` with ``strategy``,
    ``order`` and ``seed``), the queries from ``split`` (all of it, or ``n`` of it).
    """
    rows = []
    for k in ks:
        prompt = build_prompt(task, k=k, strategy=strategy, order=order, seed=seed)
        r = evaluate(lm, task, prompt, split=split, n=n, seed=seed, progress=progress)
        rows.append(
            {
                "k": k,
                "accuracy": r.accuracy,
                "low": r.interval.low,
                "high": r.interval.high,
                "macro_f1": r.macro_f1,
                "tokens_per_request": r.mean_tokens,
                "seconds": r.seconds,
                "n": r.n,
            }
        )
    return Table(rows)


def kshot_draws(
    lm: Any,
    task: Any,
    ks: Sequence[int] = (0, 1, 2, 4, 8),
    *,
    draws: int = DRAWS,
    split: str = "dev",
    n: int | None = None,
    strategy: str = "balanced",
    order: str = "shuffled",
    calibrate: bool = False,
    per_ticket: bool = False,
    progress: bool = False,
) -> Table:
    """One row per (k, draw): ``draws`` seeded prompts per k, all scored on the same queries.

    Draw ``d`` is ``build_prompt(task, k, strategy=..., order=..., seed=d)``: other examples
    in another order. k=0 has no examples, so one draw. ``per_ticket=True`` scores
    ``NearestPrompts(task, k)`` instead (the examples follow from each ticket: one draw).
    The queries are ``split`` (all of it, or a balanced subset of ``n`` with seed 0).
    Columns: k, draw, accuracy, low and high (95% Wilson), tokens_per_request, seconds, n.
    ``table.results[(k, draw)]`` is the Evaluation, ``table.prompts[(k, draw)]`` the prompt.
    """
    rows, results, prompts = [], {}, {}
    for k in ks:
        for draw in range(1 if k == 0 or per_ticket else draws):
            prompt = (
                NearestPrompts(task, k)
                if per_ticket
                else build_prompt(task, k=k, strategy=strategy, order=order, seed=draw)
            )
            r = evaluate(
                lm, task, prompt, split=split, n=n, seed=0, calibrate=calibrate, progress=progress
            )
            results[(k, draw)], prompts[(k, draw)] = r, prompt
            rows.append(draw_row(k, draw, r))
    table = Table(rows)
    table.results, table.prompts = results, prompts
    return table


def draw_row(k: int, draw: int, r: Any) -> dict[str, Any]:
    """The row of a ``kshot_draws`` table for one Evaluation ``r``."""
    ci = r.interval
    return {"k": k, "draw": draw, "accuracy": r.accuracy, "low": ci.low, "high": ci.high,
            "tokens_per_request": r.mean_tokens, "seconds": r.seconds, "n": r.n}  # fmt: skip


def draw_summary(table: Sequence[dict[str, Any]]) -> Table:
    """Per k of a ``kshot_draws`` table: draws, mean, min, max and spread of the accuracy,
    mean tokens per request and seconds per query."""
    rows = []
    for k in dict.fromkeys(r["k"] for r in table):
        mine = [r for r in table if r["k"] == k]
        acc = [r["accuracy"] for r in mine]
        rows.append({
            "k": k, "draws": len(mine), "mean": float(np.mean(acc)), "min": min(acc),
            "max": max(acc), "spread": max(acc) - min(acc),
            "tokens_per_request": float(np.mean([r["tokens_per_request"] for r in mine])),
            "seconds_per_query": float(np.mean([r["seconds"] / r["n"] for r in mine])),
        })  # fmt: skip
    return Table(rows)


def plot_draws(
    table: Sequence[dict[str, Any]], *, ax: Any = None, label: str = "", color: str = "C0"
) -> Any:
    """Every draw as a dot, the mean per k as a line, the min-max range as a band."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(7, 3.8))
    summary = draw_summary(table)
    ks = summary.column("k")
    ax.fill_between(ks, summary.column("min"), summary.column("max"), color=color, alpha=0.15)
    ax.plot(ks, summary.column("mean"), "-", marker="_", markersize=14, color=color,
            label=f"{label} mean".strip())
    xs = [r["k"] + 0.08 * (r["draw"] - 2) for r in table]
    ax.plot(xs, [r["accuracy"] for r in table], "o", color=color, alpha=0.6, markersize=4)
    ax.set_xlabel("examples in the prompt (k)")
    ax.set_ylabel("accuracy")
    ax.grid(alpha=0.3)
    return ax


def accuracy_per_token(table: Sequence[dict[str, Any]], *, per: int = 1000) -> Table:
    """Each row of a sweep with ``gain_per_1k_tokens``: what the extra tokens bought.

    ``gain_per_1k_tokens`` is the accuracy gained over the k=0 row divided by the extra
    prompt tokens it costs (per ``per`` tokens); None for k=0 itself.
    """
    rows = [dict(r) for r in table]
    base = next((r for r in rows if r["k"] == 0), None)
    if base is None:
        raise ValueError("the table needs a k=0 row to measure gains against")
    for r in rows:
        extra = r["tokens_per_request"] - base["tokens_per_request"]
        r["extra_tokens"] = extra
        r["gain_per_1k_tokens"] = (
            None if r["k"] == 0 or extra <= 0 else (r["accuracy"] - base["accuracy"]) / extra * per
        )
    return Table(rows)


def compare(
    conditions: Mapping[str, tuple[Any, ...]],
    task: Any,
    *,
    split: str = "test",
    n: int | None = None,
    seed: int = 0,
) -> Table:
    """Evaluate each named ``(model, prompt)`` or ``(model, prompt, instance)`` condition on
    the same tickets; one row each.

    Columns: condition, accuracy, macro_f1, tokens (mean prompt tokens per request), n.
    Each condition's ``Evaluation`` is on the table as ``table.results[name]``.
    """
    rows, results = [], {}
    for name, (lm, prompt, *instance) in conditions.items():
        inst = instance[0] if instance else None
        r = evaluate(lm, task, prompt, split=split, n=n, seed=seed, instance=inst)
        results[name] = r
        rows.append(
            {
                "condition": name,
                "accuracy": r.accuracy,
                "macro_f1": r.macro_f1,
                "tokens": r.mean_tokens,
                "n": r.n,
            }
        )
    table = Table(rows)
    table.results = results
    return table
