"""Reading a training run: the loss curve and the dev-accuracy curve, one call each.

Pass one ``FineTuneRun``, a list of them, or a dict ``{label: run}``; several runs are
drawn on the same axes with a legend, which is how a learner compares a healthy run
with an over-trained or a wrecked one.
"""

from __future__ import annotations

import math
from typing import Any

__all__ = ["plot_dev_accuracy", "plot_loss"]


def _labelled(run_or_runs: Any) -> list[tuple[str, Any]]:
    if isinstance(run_or_runs, dict):
        return list(run_or_runs.items())
    runs = list(run_or_runs) if isinstance(run_or_runs, list | tuple) else [run_or_runs]
    if not runs:
        raise ValueError("no runs to plot")
    for run in runs:
        if not hasattr(run, "losses") or not hasattr(run, "dev_curve"):
            raise TypeError(
                f"expected FineTuneRun objects (from fine_tune), not {type(run).__name__}"
            )
    return [(run.label, run) for run in runs]


def _axes(ax: Any) -> Any:
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(6, 3.5))
    return ax


def _smooth(values: list[float], window: int) -> list[float]:
    """Trailing moving average that skips NaN (a skipped, diverged step)."""
    out = []
    for i in range(len(values)):
        chunk = [v for v in values[max(0, i - window + 1) : i + 1] if math.isfinite(v)]
        out.append(sum(chunk) / len(chunk) if chunk else float("nan"))
    return out


def plot_loss(run_or_runs: Any, ax: Any = None, *, smooth: int = 1, log: bool = False):
    """Training loss per step (``smooth`` > 1: moving average over that many steps).

    Steps whose loss was not finite (a diverged run) are marked with an x at the top.
    Returns the matplotlib Axes.
    """
    ax = _axes(ax)
    for label, run in _labelled(run_or_runs):
        steps = list(range(1, len(run.losses) + 1))
        values = _smooth(run.losses, smooth) if smooth > 1 else list(run.losses)
        (line,) = ax.plot(steps, values, label=label)
        bad = [s for s, v in zip(steps, run.losses, strict=True) if not math.isfinite(v)]
        if bad:
            top = max((v for v in run.losses if math.isfinite(v)), default=1.0)
            ax.plot(bad, [top] * len(bad), "x", color=line.get_color())
    ax.set_xlabel("training step")
    ax.set_ylabel("loss on the answer tokens")
    if log:
        ax.set_yscale("log")
    ax.set_title("Training loss")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    return ax


def plot_dev_accuracy(
    run_or_runs: Any, ax: Any = None, *, reference: dict[str, float] | None = None
):
    """Dev accuracy at each evaluation (step 0: before training); returns the Axes.

    An early-stopped run (``best_step`` set) has its kept evaluation circled.
    ``reference`` adds horizontal lines, for example ``{"8-shot prompt": 0.62}``.
    """
    ax = _axes(ax)
    for label, run in _labelled(run_or_runs):
        steps = [s for s, _ in run.dev_curve]
        (line,) = ax.plot(steps, [a for _, a in run.dev_curve], "o-", label=label)
        best = getattr(run, "best_step", None)
        if best is not None:
            kept = dict(run.dev_curve)[best]
            ax.plot([best], [kept], "o", ms=12, mfc="none", color=line.get_color())
    for i, (name, value) in enumerate((reference or {}).items()):
        ax.axhline(value, linestyle="--", color=f"C{7 + i}", label=name)
    ax.set_xlabel("training step")
    ax.set_ylabel("dev accuracy")
    ax.set_ylim(0, 1)
    ax.set_title("Dev accuracy during training")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    return ax
