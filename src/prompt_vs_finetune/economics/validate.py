"""Input checks shared by the cost, ROI and cascade models: clear errors that name the argument."""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable
from typing import Any

__all__ = ["check_number", "mean_tokens"]


def check_number(
    name: str,
    value: Any,
    *,
    minimum: float | None = 0.0,
    allow_inf: bool = False,
    positive: bool = False,
) -> float:
    """``value`` as a float, or a TypeError / ValueError that names the argument."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, not {type(value).__name__} ({value!r}).")
    value = float(value)
    if math.isnan(value):
        raise ValueError(f"{name} is NaN; give a real number.")
    if math.isinf(value) and not allow_inf:
        raise ValueError(f"{name} must be finite, not {value}.")
    if positive and value <= 0:
        raise ValueError(f"{name} must be greater than 0, not {value}.")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, not {value}.")
    return value


def mean_tokens(name: str, tokens: Any) -> float:
    """A token count: one number, or the mean of a list of per-request counts."""
    if isinstance(tokens, str | bytes):
        raise TypeError(f"{name} must be a number of tokens, not text ({tokens!r}).")
    if isinstance(tokens, Iterable):
        values = [check_number(f"{name}[{i}]", t) for i, t in enumerate(tokens)]
        if not values:
            raise ValueError(f"{name} is an empty list; give at least one token count.")
        return sum(values) / len(values)
    return check_number(name, tokens)
