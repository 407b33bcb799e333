"""Reading a training run: healthy, over-fitting or diverged, from its numbers alone.

This is the skill a fine-tune asks of you and a prompt does not: look at two curves and
say what went wrong. ``diagnose(losses, dev_curve)`` writes the reading down as rules
over a handful of numbers (``curve_numbers``), so a learner can check every step:

- **diverged**: the loss became NaN or infinite, or shot above twice its first value, or
  it ends no lower than it started (the mean of its last steps above 80% of the mean of
  its first steps), or the dev accuracy fell well below where the model began. The
  weights were pushed so far that the model lost what it knew (a learning rate far too
  high is the usual cause). ``diverged(losses)`` applies the same rules to a loss curve
  alone (the dev rule needs a dev curve); it is the course's one definition of a
  diverged run (lesson 03's loss table, exercise 03.1, lesson 04's diagnosis).
- **over-fitting**: the training loss went (almost) to zero, yet the dev accuracy
  stopped improving or fell back from its best. The model memorised its training
  examples instead of learning the task (too little data, too many steps).
- **healthy**: the loss came down and the dev accuracy rose and held near its best.

The thresholds are plain module constants; they were set by reading the course's own
runs (``course_run("category" | "overfit" | "wrecked")``) and are deliberately simple.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "DIAGNOSES",
    "DIAGNOSIS_WORDS",
    "KIND",
    "Diagnosis",
    "RunCurves",
    "course_run_curves",
    "curve_numbers",
    "diagnose",
    "diagnose_run",
    "diverged",
    "loss_numbers",
    "normalize_diagnosis",
    "run_curves",
]

DIAGNOSES = ("healthy", "overfitting", "diverged")
KIND = "run-curves"

WINDOW = 5  # steps averaged at each end of the loss curve (half of a shorter curve)
NEAR_ZERO_LOSS = 0.05  # an end loss below this: the training examples are memorised
LOSS_MUST_FALL_TO = 0.8  # an end loss above 80% of the start loss: training did not work
LOSS_SPIKE = 2.0  # a loss above twice the first step's: the steps are far too large
DEV_COLLAPSE = 0.10  # dev accuracy this far below the untrained model's: the model broke
DEV_STALL = 0.02  # dev accuracy no better than this over its value at mid-training: stalled
DEV_DROP = 0.03  # dev accuracy this far below its best at the end: it fell back


@dataclass(frozen=True)
class Diagnosis:
    """What a run's curves say: ``verdict`` (one of ``DIAGNOSES``), the reasons, the numbers."""

    verdict: str
    reasons: tuple[str, ...]
    numbers: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.verdict}: " + "; ".join(self.reasons)

    def _repr_html_(self) -> str:
        items = "".join(f"<li>{r}</li>" for r in self.reasons)
        return f"<b>{self.verdict}</b><ul>{items}</ul>"


@dataclass(frozen=True)
class RunCurves:
    """A training run's curves without its model: enough to read it and to plot it.

    ``plot_loss`` and ``plot_dev_accuracy`` accept it like a FineTuneRun (pass a dict
    ``{name: curves}`` to choose the legend).
    """

    losses: list[float]
    dev_curve: list[tuple[int, float]]
    seconds: float = 0.0
    label: str = ""
    best_step: int | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RunCurves:
        best = data.get("best_step")
        return cls(
            losses=[float(x) for x in data["losses"]],
            dev_curve=[(int(s), float(a)) for s, a in data["dev_curve"]],
            seconds=float(data.get("seconds", 0.0)),
            label=str(data.get("label", "")),
            best_step=None if best is None else int(best),
        )

    @property
    def dev_accuracy(self) -> float:
        """Dev accuracy of the kept weights: at ``best_step`` (early stopping), else the last."""
        if self.best_step is None:
            return self.dev_curve[-1][1]
        return dict(self.dev_curve)[self.best_step]


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else float("nan")


def _check_losses(losses: Sequence[float]) -> None:
    if isinstance(losses, str) or not isinstance(losses, Sequence) or not losses:
        raise ValueError("losses must be a non-empty list of numbers (one per training step)")


def _check_dev_curve(dev_curve: Sequence[Sequence[float]]) -> None:
    if isinstance(dev_curve, str) or not isinstance(dev_curve, Sequence) or len(dev_curve) < 2:
        raise ValueError(
            "dev_curve must list at least two (step, dev accuracy) pairs: before and after training"
        )
    for point in dev_curve:
        if not (isinstance(point, Sequence) and len(point) == 2):
            raise ValueError(f"each dev_curve point must be a (step, accuracy) pair, got {point!r}")


def loss_numbers(losses: Sequence[float]) -> dict[str, Any]:
    """The numbers read off the loss curve (see ``curve_numbers``)."""
    _check_losses(losses)
    values = [float(x) for x in losses]
    finite = [x for x in values if math.isfinite(x)]
    window = max(1, min(WINDOW, len(values) // 2))
    head = [x for x in values[:window] if math.isfinite(x)]
    tail = [x for x in values[-window:] if math.isfinite(x)]
    peak = max(range(len(values)), key=lambda i: values[i] if math.isfinite(values[i]) else -1.0)
    return {
        "steps": len(values),
        "nonfinite_steps": len(values) - len(finite),
        "loss_first": values[0],
        "loss_max": values[peak] if finite else float("nan"),
        "loss_max_step": peak + 1,
        "loss_start": _mean(head),
        "loss_end": _mean(tail),
        "loss_min": min(finite) if finite else float("nan"),
    }


def curve_numbers(losses: Sequence[float], dev_curve: Sequence[Sequence[float]]) -> dict[str, Any]:
    """The few numbers a diagnosis reads off the two curves.

    ``loss_first``: the first step's loss; ``loss_max`` (and ``loss_max_step``, from 1): the
    largest finite loss; ``loss_start`` / ``loss_end``: mean finite loss over the first /
    last ``WINDOW`` steps (half the steps of a curve shorter than twice that);
    ``nonfinite_steps``: steps whose loss was NaN or infinite; ``dev_start`` (before
    training), ``dev_mid`` (the evaluation closest to half-way), ``dev_best`` and the step
    it was reached at, ``dev_end``.
    """
    numbers = loss_numbers(losses)
    _check_dev_curve(dev_curve)
    points = [(int(s), float(a)) for s, a in dev_curve]
    last_step = points[-1][0]
    mid = min(points[1:], key=lambda p: (abs(p[0] - last_step / 2), p[0]))
    best_step, best = max(points, key=lambda p: (p[1], -p[0]))
    return {
        **numbers,
        "dev_start": points[0][1],
        "dev_mid": mid[1],
        "dev_mid_step": mid[0],
        "dev_best": best,
        "dev_best_step": best_step,
        "dev_end": points[-1][1],
    }


def _divergence(n: dict[str, Any]) -> list[str]:
    """Why the run diverged (empty when it did not); the dev rule only with a dev curve."""
    reasons: list[str] = []
    if n["nonfinite_steps"]:
        reasons.append(f"{n['nonfinite_steps']} of {n['steps']} steps had a NaN or infinite loss")
    if math.isfinite(n["loss_first"]) and n["loss_max"] > LOSS_SPIKE * n["loss_first"]:
        reasons.append(
            f"the loss shot up from {n['loss_first']:.2f} to {n['loss_max']:.2f} "
            f"(step {n['loss_max_step']})"
        )
    if not math.isfinite(n["loss_end"]) or n["loss_end"] > LOSS_MUST_FALL_TO * n["loss_start"]:
        reasons.append(
            f"the loss ended at {n['loss_end']:.3f}, not clearly below its start "
            f"({n['loss_start']:.3f})"
        )
    if "dev_start" in n and n["dev_end"] < n["dev_start"] - DEV_COLLAPSE:
        reasons.append(
            f"dev accuracy fell from {n['dev_start']:.2f} before training to {n['dev_end']:.2f}"
        )
    return reasons


def diverged(losses: Sequence[float], dev_curve: Sequence[Sequence[float]] | None = None) -> bool:
    """True when a run diverged by ``diagnose``'s rules; with losses alone, by its loss rules.

    >>> diverged([2.0, 1.5, 1.2, 0.9, 0.8, 0.7, 0.5, 0.4, 0.4, 0.3])
    False
    >>> diverged([2.0, 9.0, 12.0, 6.0, 3.0, 2.5, 1.9, 1.8, 1.8, 1.7])
    True
    """
    numbers = loss_numbers(losses) if dev_curve is None else curve_numbers(losses, dev_curve)
    return bool(_divergence(numbers))


def diagnose(losses: Sequence[float], dev_curve: Sequence[Sequence[float]]) -> Diagnosis:
    """Name what happened in a training run from its losses and its dev-accuracy curve."""
    n = curve_numbers(losses, dev_curve)
    # 1. diverged: the run broke the model
    reasons = _divergence(n)
    if reasons:
        return Diagnosis("diverged", tuple(reasons), n)
    # 2. over-fitting: memorised the training set, no longer learning the task
    if n["loss_end"] < NEAR_ZERO_LOSS:
        stalled = n["dev_end"] <= n["dev_mid"] + DEV_STALL
        dropped = n["dev_end"] <= n["dev_best"] - DEV_DROP
        if stalled or dropped:
            why = [f"the training loss went to {n['loss_end']:.3f} (memorised)"]
            if dropped:
                why.append(
                    f"dev accuracy fell back from its best {n['dev_best']:.2f} "
                    f"(step {n['dev_best_step']}) to {n['dev_end']:.2f}"
                )
            else:
                why.append(
                    f"dev accuracy stopped improving: {n['dev_mid']:.2f} at step "
                    f"{n['dev_mid_step']}, {n['dev_end']:.2f} at the end"
                )
            return Diagnosis("overfitting", tuple(why), n)
    # 3. healthy
    return Diagnosis(
        "healthy",
        (
            f"the loss came down from {n['loss_start']:.3f} to {n['loss_end']:.3f}",
            f"dev accuracy rose from {n['dev_start']:.2f} to {n['dev_end']:.2f} "
            f"(best {n['dev_best']:.2f})",
        ),
        n,
    )


def run_curves(run: Any) -> dict[str, Any]:
    """The curves of a ``FineTuneRun`` as plain JSON data (for the results store)."""
    if not hasattr(run, "losses") or not hasattr(run, "dev_curve"):
        raise TypeError(f"expected a FineTuneRun (from course_run), not {type(run).__name__}")
    return {
        "losses": [float(x) for x in run.losses],
        "dev_curve": [[int(s), float(a)] for s, a in run.dev_curve],
        "seconds": float(run.seconds),
        "label": str(getattr(run, "label", "")),
        "best_step": getattr(run, "best_step", None),
    }


def diagnose_run(run: Any) -> Diagnosis:
    """``diagnose`` of a FineTuneRun, RunCurves, or a dict with ``losses`` and ``dev_curve``."""
    if isinstance(run, dict):
        return diagnose(run["losses"], run["dev_curve"])
    curves = run_curves(run)
    return diagnose(curves["losses"], curves["dev_curve"])


def course_run_curves(name: str) -> RunCurves:
    """The curves of ``course_run(name)`` through the results store (no model loaded on a hit).

    The stored inputs are the run's recipe (``recipes.recipe``: its name, target and
    options, and the recipe of the run it starts from), so a changed recipe is measured again.
    """
    from prompt_vs_finetune.finetune.recipes import course_run, recipe
    from prompt_vs_finetune.store.results import cached

    inputs = recipe(name)
    stored = cached(KIND, inputs, lambda: run_curves(course_run(name, progress=False)))
    return RunCurves.from_dict(stored)


DIAGNOSIS_WORDS = {
    "healthy": ("healthy", "fine", "good", "ok", "okay", "normal", "learned", "learning"),
    "overfitting": ("overfitting", "overfit", "overfitted", "over-fitting", "over-fit",
                    "overtrained", "over-trained", "memorised", "memorized", "memorising",
                    "memorizing"),
    "diverged": ("diverged", "diverging", "divergence", "diverge", "wrecked", "broken",
                 "exploded", "unstable", "collapsed", "nan"),
}  # fmt: skip


def normalize_diagnosis(word: Any) -> str | None:
    """One of ``DIAGNOSES`` for a learner's word ("overfit", "Wrecked", ...), else None."""
    if not isinstance(word, str):
        return None
    key = " ".join(word.lower().replace("_", " ").split()).strip(" .!")
    for verdict, words in DIAGNOSIS_WORDS.items():
        if key in words:
            return verdict
    return None
