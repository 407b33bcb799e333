"""Plots of the cost model: total cost against volume (break-even), cost per use case."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from prompt_vs_finetune.economics.assumptions import (
    DEFAULT_ASSUMPTIONS,
    Assumptions,
    Prices,
    prices_of,
)
from prompt_vs_finetune.economics.costs import (
    UpfrontCost,
    break_even_requests,
    cost_per_request,
    cost_vs_volume,
)
from prompt_vs_finetune.ui.tables import Table

__all__ = ["new_axes", "plot_break_even", "plot_per_use_case", "short_number"]


def new_axes(ax: Any = None, figsize: tuple[float, float] = (6.5, 3.8)) -> Any:
    """``ax`` itself, or the Axes of a new pyplot figure when it is None."""
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=figsize)
    return ax


def short_number(value: float, prefix: str = "") -> str:
    """1234567 -> '1.2M', 25000 -> '25k', 0.004 -> '0.004' (for axis labels)."""
    size = abs(value)
    for limit, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")):
        if size >= limit:
            return f"{prefix}{value / limit:.3g}{suffix}"
    return f"{prefix}{value:.3g}"


def _short_log_axes(ax: Any, currency: str) -> None:
    """Log scales with plain labels (1k, 1M, $10k) and no minor ticks: readable and fast."""
    from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator

    ax.set_xscale("log")
    ax.set_yscale("log")
    for axis, prefix in ((ax.xaxis, ""), (ax.yaxis, currency)):
        axis.set_major_locator(LogLocator(base=10, numticks=8))
        axis.set_major_formatter(FuncFormatter(lambda v, _pos, pre=prefix: short_number(v, pre)))
        axis.set_minor_locator(NullLocator())


def _volumes_around(*anchors: float | None, n: int = 61) -> list[float]:
    """Log-spaced volumes three decades either side of the first anchor (1k-1B without one)."""
    marks = [v for v in anchors if v]
    if marks:
        centre = marks[0]
        low, high = min([centre / 1000, *marks]), max([centre * 1000, *marks])
    else:
        low, high = 1e3, 1e9
    low, high = math.log10(max(low, 1.0)), math.log10(max(high, 10.0))
    return [10 ** (low + (high - low) * i / (n - 1)) for i in range(n)]


def _mark_break_even(ax: Any, volume: float, cost: float) -> None:
    ax.axvline(volume, color="black", linestyle=":", linewidth=1)
    ax.plot([volume], [cost], "ko")
    ax.annotate(
        f"break-even\n{volume:,.0f} req/month",
        (volume, cost),
        textcoords="offset points",
        xytext=(6, -28),
        fontsize=8,
    )


def plot_break_even(
    prompt_tokens_in: float | Sequence[float],
    tuned_tokens_in: float | Sequence[float],
    tokens_out: float | Sequence[float],
    upfront_cost: float | UpfrontCost,
    prices: Prices | Assumptions | None = None,
    *,
    horizon_months: float = DEFAULT_ASSUMPTIONS.horizon_months,
    tuned_serving_overhead_per_month: float = 0.0,
    volumes: Sequence[float] | None = None,
    mark_volume: float | None = None,
    ax: Any = None,
) -> Any:
    """Total cost over the horizon against monthly volume, both approaches, log axes.

    The break-even volume (if any) gets a dotted vertical line and a dot;
    ``mark_volume`` (e.g. your own traffic) a grey dashed line. Lines are labelled
    ``prompting`` and ``fine-tuned``. Returns the Axes.
    """
    p = prices_of(prices)
    kwargs = {
        "horizon_months": horizon_months,
        "tuned_serving_overhead_per_month": tuned_serving_overhead_per_month,
    }
    args = (prompt_tokens_in, tuned_tokens_in, tokens_out, upfront_cost, p)
    be = break_even_requests(*args, **kwargs)
    if volumes is None:
        volumes = _volumes_around(be, mark_volume)
    rows = cost_vs_volume(volumes, *args, **kwargs)
    ax = new_axes(ax)
    xs = rows.column("requests_per_month")
    ax.plot(xs, rows.column("prompting"), label="prompting", color="tab:blue")
    ax.plot(xs, rows.column("fine_tuned"), label="fine-tuned", color="tab:orange")
    if be is not None and be > 0:
        cost = horizon_months * be * cost_per_request(prompt_tokens_in, tokens_out, p)
        _mark_break_even(ax, be, cost)
    if mark_volume:
        ax.axvline(mark_volume, color="grey", linestyle="--", linewidth=1, label="your volume")
    _short_log_axes(ax, p.currency)
    ax.set_xlabel("requests per month")
    ax.set_ylabel(f"total cost over {horizon_months:g} months ({p.currency})")
    title = "Break-even volume" if be is not None else "Fine-tuning never pays back here"
    ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    return ax


def plot_per_use_case(
    rows: Table, ax: Any = None, prices: Prices | Assumptions | None = None
) -> Any:
    """Draw ``per_use_case_cost`` rows: monthly cost of full copies vs adapters."""
    p = prices_of(prices)
    ax = new_axes(ax)
    n = [r["n_use_cases"] for r in rows]
    ax.plot(n, [r["full_monthly"] for r in rows], "o-", label="one full model per use case")
    ax.plot(n, [r["adapter_monthly"] for r in rows], "o-", label="shared base + LoRA adapters")
    ax.set_xlabel("number of use cases")
    ax.set_ylabel(f"monthly serving + storage ({p.currency})")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    return ax
