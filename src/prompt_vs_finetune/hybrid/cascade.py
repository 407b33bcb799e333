"""The waterfall (cascade): a cheap model answers first, unsure cases go to a strong one.

Every request goes through the cheap model (a prompted small model). When its
*confidence* is below a threshold, the request is escalated to the strong model (a
fine-tuned or larger model), whose answer replaces the cheap one. So

    cost per request = cost_cheap + share_escalated x cost_strong
    accuracy         = cheap answers on kept cases + strong answers on escalated cases

Confidence comes from the cheap model's label log-probabilities (``LabelScores.logprobs``,
shape [n_examples, n_labels]): a softmax over the labels turns them into probabilities
that sum to 1, then either

* ``"max"``: the probability of the best label, or
* ``"margin"``: best minus second-best probability (how clearly it won).

Threshold conventions: a request is escalated when its confidence is *below* the
threshold, so threshold 0 escalates nothing; threshold 1 (or more) escalates everything,
even a case where the cheap model was certain.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from prompt_vs_finetune.economics.plots import new_axes
from prompt_vs_finetune.economics.validate import check_number
from prompt_vs_finetune.ui.tables import Table

__all__ = [
    "cascade_at",
    "cascade_correct",
    "cascade_sweep",
    "cheapest_meeting",
    "confidence",
    "label_probabilities",
    "plot_cascade",
]

KINDS = ("max", "margin")


def _logprobs(cheap: Any) -> np.ndarray:
    """The log-prob array from an array or a LabelScores-like object."""
    array = getattr(cheap, "logprobs", cheap)
    try:
        array = np.asarray(array, dtype=float)
    except (TypeError, ValueError) as error:
        raise TypeError(
            "cheap_logprobs must be an array of label log-probabilities [n_examples, n_labels] "
            f"or a LabelScores; got {type(cheap).__name__}."
        ) from error
    if array.ndim != 2 or array.shape[1] < 1:
        raise ValueError(
            f"cheap_logprobs must have shape [n_examples, n_labels], not {array.shape}."
        )
    if np.isnan(array).any():
        raise ValueError("cheap_logprobs contains NaN.")
    if not np.isfinite(array.max(axis=1)).all():
        raise ValueError("Every row of cheap_logprobs needs at least one finite log-probability.")
    return array


def label_probabilities(logprobs: Any) -> np.ndarray:
    """Softmax over the labels of each row: probabilities that sum to 1 per example."""
    array = _logprobs(logprobs)
    z = np.exp(array - array.max(axis=1, keepdims=True))
    return z / z.sum(axis=1, keepdims=True)


def confidence(logprobs: Any, kind: str = "max") -> np.ndarray:
    """Confidence per example: ``"max"`` probability or ``"margin"`` (top-1 minus top-2)."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}.")
    probs = label_probabilities(logprobs)
    if kind == "max":
        return probs.max(axis=1)
    if probs.shape[1] == 1:
        return np.ones(len(probs))
    top2 = np.sort(probs, axis=1)[:, -2:]
    return top2[:, 1] - top2[:, 0]


def _answers(name: str, values: Any, n: int) -> list:
    if isinstance(values, str | bytes) or not hasattr(values, "__len__"):
        raise TypeError(f"{name} must be a list of answers, not {type(values).__name__}.")
    values = list(values)
    if len(values) != n:
        raise ValueError(f"{name} has {len(values)} answers but there are {n} examples.")
    return values


class _Inputs:
    """Checked inputs shared by ``cascade_at`` and ``cascade_sweep``."""

    def __init__(
        self, cheap_logprobs, cheap_preds, strong_preds, gold, cost_cheap, cost_strong, kind
    ):
        self.conf = confidence(cheap_logprobs, kind)
        n = len(self.conf)
        if n == 0:
            raise ValueError("No examples: cheap_logprobs has 0 rows.")
        if cheap_preds is None:
            cheap_preds = getattr(cheap_logprobs, "predictions", None)
            if cheap_preds is None:
                raise ValueError("cheap_preds is None and cheap_logprobs has no .predictions.")
        cheap = _answers("cheap_preds", cheap_preds, n)
        strong = _answers("strong_preds", getattr(strong_preds, "predictions", strong_preds), n)
        gold = _answers("gold", gold, n)
        self.cheap_right = np.array([c == g for c, g in zip(cheap, gold, strict=True)])
        self.strong_right = np.array([s == g for s, g in zip(strong, gold, strict=True)])
        self.cost_cheap = check_number("cost_cheap", cost_cheap)
        self.cost_strong = check_number("cost_strong", cost_strong)
        self.kind = kind

    def escalated(self, threshold: float) -> np.ndarray:
        t = check_number("threshold", threshold, minimum=None)
        return np.ones_like(self.conf, dtype=bool) if t >= 1 else self.conf < t

    def right(self, threshold: float) -> np.ndarray:
        return np.where(self.escalated(threshold), self.strong_right, self.cheap_right)

    def row(self, threshold: float) -> dict[str, Any]:
        t = check_number("threshold", threshold, minimum=None)
        escalate = self.escalated(t)
        n = len(self.conf)
        n_escalated = int(escalate.sum())
        right = self.right(t)
        kept = ~escalate
        cost = self.cost_cheap + n_escalated / n * self.cost_strong
        return {
            "threshold": t,
            "share_escalated": n_escalated / n,
            "accuracy": float(right.mean()),
            "cost_per_request": cost,
            "n_escalated": n_escalated,
            "accuracy_kept": float(self.cheap_right[kept].mean()) if kept.any() else None,
            "saving_vs_strong": 1 - cost / self.cost_strong if self.cost_strong else None,
        }


def cascade_at(
    threshold: float,
    cheap_logprobs: Any,
    cheap_preds: Sequence[Any] | None,
    strong_preds: Sequence[Any],
    gold: Sequence[Any],
    cost_cheap: float,
    cost_strong: float,
    *,
    kind: str = "max",
) -> dict[str, Any]:
    """One operating point of the cascade (a single row of ``cascade_sweep``)."""
    inputs = _Inputs(cheap_logprobs, cheap_preds, strong_preds, gold, cost_cheap, cost_strong, kind)
    return inputs.row(threshold)


def cascade_correct(
    threshold: float,
    cheap_logprobs: Any,
    cheap_preds: Sequence[Any] | None,
    strong_preds: Sequence[Any],
    gold: Sequence[Any],
    cost_cheap: float,
    cost_strong: float,
    *,
    kind: str = "max",
) -> list[int]:
    """1/0 per request: was the cascade right at ``threshold``? (for paired comparisons)"""
    inputs = _Inputs(cheap_logprobs, cheap_preds, strong_preds, gold, cost_cheap, cost_strong, kind)
    return [int(x) for x in inputs.right(threshold)]


def cascade_sweep(
    cheap_logprobs: Any,
    cheap_preds: Sequence[Any] | None,
    strong_preds: Sequence[Any],
    gold: Sequence[Any],
    thresholds: Sequence[float] | None,
    cost_cheap: float,
    cost_strong: float,
    *,
    kind: str = "max",
) -> Table:
    """Share escalated, accuracy and cost per request for each confidence threshold.

    ``cheap_logprobs``: the cheap model's label log-probs (array or ``LabelScores``; with a
    LabelScores, ``cheap_preds=None`` takes its predictions). ``strong_preds``: the strong
    model's answers for the same examples (a list or a LabelScores). Costs are per request
    in any unit (money, seconds, tokens), measured or priced with ``costs``.
    ``thresholds=None`` uses 0, 0.05, ..., 1.

    Columns: threshold, share_escalated, accuracy, cost_per_request, n_escalated,
    accuracy_kept (cheap model's accuracy on the cases it keeps), saving_vs_strong (share
    of cost saved compared with sending everything to the strong model).
    """
    inputs = _Inputs(cheap_logprobs, cheap_preds, strong_preds, gold, cost_cheap, cost_strong, kind)
    if thresholds is None:
        thresholds = [round(i / 20, 2) for i in range(21)]
    return Table(inputs.row(t) for t in thresholds)


def cheapest_meeting(rows: Sequence[dict], target_accuracy: float) -> dict[str, Any] | None:
    """The cheapest row whose accuracy reaches ``target_accuracy`` (None if none does)."""
    target = check_number("target_accuracy", target_accuracy)
    good = [r for r in rows if r["accuracy"] >= target]
    return min(good, key=lambda r: (r["cost_per_request"], -r["accuracy"])) if good else None


def plot_cascade(rows: Sequence[dict], ax: Any = None, threshold: float | None = None) -> Any:
    """Accuracy and share escalated (left axis) and cost per request (right axis) against
    the threshold; ``threshold`` draws a vertical marker. Returns the left Axes; the cost
    axis is ``ax.cost_axis``. Lines are labelled "accuracy", "share escalated", "cost".
    """
    ax = new_axes(ax)
    ts = [r["threshold"] for r in rows]
    ax.plot(ts, [r["accuracy"] for r in rows], "o-", color="tab:green", label="accuracy", ms=3)
    ax.plot(
        ts,
        [r["share_escalated"] for r in rows],
        "s-",
        color="tab:purple",
        label="share escalated",
        ms=3,
    )
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel("confidence threshold (escalate when below)")
    ax.set_ylabel("share")
    cost_ax = ax.twinx()
    cost_ax.plot(ts, [r["cost_per_request"] for r in rows], "--", color="tab:gray", label="cost")
    cost_ax.set_ylabel("cost per request")
    ax.cost_axis = cost_ax
    if threshold is not None:
        ax.axvline(threshold, color="black", linestyle=":", linewidth=1.2)
    handles = ax.get_legend_handles_labels()
    more = cost_ax.get_legend_handles_labels()
    ax.legend(handles[0] + more[0], handles[1] + more[1], fontsize=8, loc="center left")
    ax.set_title("Cascade: cheap model first, escalate when unsure")
    ax.grid(alpha=0.3)
    return ax
