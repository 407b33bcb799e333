"""Predict, then measure: a learner writes a prediction down before a cell measures it.

In a notebook::

    predict("02.4", 0.45)          # before the measurement: your guess, kept on record
    ...                            # the cell that measures it
    check("02.4", answer)          # compares the measurement with your first prediction

The first prediction of an exercise is kept in the progress file. A later ``predict``
with another value is recorded as a revision with its time; once the exercise has been
checked, ``check`` says that the prediction changed after the measurement, so changing
a guess after seeing the answer is visible rather than silent.

A checker of a predict exercise calls ``prediction_for(exercise_id)`` (which asks for a
prediction first when there is none) and ``compare(...)`` for the sentence that sets the
prediction beside the measurement and its interval.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from typing import Any

from prompt_vs_finetune.checks.core import (
    EXERCISES,
    NotYet,
    answered,
    load_progress,
    now,
    save_progress,
)

__all__ = ["Prediction", "compare", "predict", "prediction_for"]

RECORDED, NO_PREDICTION = "📝 Prediction recorded", "📝 No prediction yet"


@dataclass(frozen=True)
class Prediction:
    """The first prediction of an exercise, and what happened to it afterwards."""

    value: Any
    at: str
    revisions: tuple[Any, ...] = ()
    changed_after_measurement: bool = False

    def note(self) -> str:
        """A sentence about revisions, or "" when the first prediction never changed."""
        if not self.revisions:
            return ""
        when = "after the measurement" if self.changed_after_measurement else "before measuring"
        later = ", ".join(_shown(v) for v in self.revisions)
        return f" You changed your prediction {when} (to {later}); the first one counts."


def _shown(value: Any) -> str:
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return f"{value:.4g}"
    return repr(value)


def _jsonable(value: Any) -> Any:
    if isinstance(value, bool | str) or value is None:
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    raise TypeError(f"a prediction is a number, a word, True/False or a list, not {value!r}")


def predict(exercise_id: str, value: Any) -> None:
    """Record ``value`` as your prediction for exercise ``exercise_id`` (the first one stays)."""
    exercise_id = str(exercise_id).strip()
    ex = EXERCISES.get(exercise_id)
    if ex is None or ex.kind != "predict":
        print(f"{NO_PREDICTION}: {exercise_id!r} is not a predict-then-measure exercise.")
        return
    if not answered(value):
        print(f"{NO_PREDICTION}: write your guess in place of ... before you measure.")
        return
    try:
        value = _jsonable(value)
    except TypeError as exc:
        print(f"{NO_PREDICTION}: {exc}.")
        return
    data = load_progress()
    entry = dict(data.get(exercise_id, {}))
    first = entry.get("prediction")
    if first is None:
        entry["prediction"] = {"value": value, "at": now()}
        message = f"{RECORDED} for {exercise_id}: {_shown(value)}. Now run the measurement."
    elif first.get("value") == value:
        message = f"{RECORDED} for {exercise_id} earlier: {_shown(value)} (unchanged)."
    else:
        entry["revisions"] = [*entry.get("revisions", []), {"value": value, "at": now()}]
        message = (
            f"{RECORDED} for {exercise_id}: {_shown(value)} as a revision; your first "
            f"prediction, {_shown(first.get('value'))}, stays on record."
        )
    data[exercise_id] = entry
    save_progress(data)
    print(message)


def prediction_for(exercise_id: str) -> Prediction:
    """The recorded first prediction; raises NotYet (asking for one) when there is none."""
    entry = load_progress().get(exercise_id, {})
    first = entry.get("prediction")
    if not isinstance(first, dict) or "value" not in first:
        raise NotYet(
            f'write your prediction down first: run `predict("{exercise_id}", your_guess)` '
            "in the cell before the measurement, then this check again."
        )
    measured_at = entry.get("measured_at")
    revisions = [r for r in entry.get("revisions", []) if isinstance(r, dict)]
    late = measured_at is not None and any(str(r.get("at")) > measured_at for r in revisions)
    values = tuple(r.get("value") for r in revisions)
    return Prediction(first["value"], str(first.get("at")), values, late)


def compare(
    prediction: Prediction,
    measured: float,
    interval: tuple[float, float] | None = None,
    *,
    unit: str = "",
    digits: int = 2,
) -> str:
    """One sentence setting a numeric prediction beside the measurement (and its interval)."""
    shown = f"{measured:.{digits}f}{unit}"
    if not isinstance(prediction.value, int | float) or isinstance(prediction.value, bool):
        return (
            f"your first prediction, {_shown(prediction.value)}, is not a number, so it cannot "
            f"be set beside the measurement, {shown}.{prediction.note()}"
        )
    guess = float(prediction.value)
    if interval is not None:
        low, high = interval
        shown += f" [95% interval {low:.{digits}f}, {high:.{digits}f}]"
        inside = low <= guess <= high
    else:
        inside = math.isclose(guess, measured, rel_tol=0.05, abs_tol=10 ** -digits)
    if inside:
        where = "inside the interval" if interval is not None else "on the mark"
    else:
        where = "too high" if guess > measured else "too low"
    gap = guess - measured
    return (
        f"you predicted {guess:.{digits}f}{unit}; the measurement is {shown}: {where} "
        f"(off by {gap:+.{digits}f}{unit}).{prediction.note()}"
    )
