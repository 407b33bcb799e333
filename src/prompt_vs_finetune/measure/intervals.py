"""How sure is a measured number? Intervals for rates and paired tests for comparisons.

A rate measured on ``n`` items (an accuracy on 160 test tickets, an agreement rate over
cases) is one draw of many the same model could have got on other items of the same
kind. ``rate`` gives it a 95% Wilson interval. Two conditions scored on the *same* items
(a prompt and a fine-tune on the same test tickets) are compared item by item:
``paired`` reports the mean paired difference, a seeded percentile-bootstrap interval of
it and McNemar's exact test on the items where the two disagree. ``items_to_settle`` is a
power estimate: about how many items a comparison would need for its interval to clear
zero, given the difference and the share of disagreeing items seen so far.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats

__all__ = [
    "LEVEL",
    "Paired",
    "Rate",
    "correct_of",
    "detectable_difference",
    "items_to_settle",
    "paired",
    "paired_scores",
    "rate",
]

#: The confidence level of every interval in the course.
LEVEL = 0.95
_RESAMPLES = 4000


@dataclass(frozen=True)
class Rate:
    """A rate ``value`` = ``successes`` / ``n`` with its Wilson interval [``low``, ``high``]."""

    successes: int
    n: int
    value: float
    low: float
    high: float

    def __str__(self) -> str:
        return f"{self.value:.3f} [{self.low:.3f}, {self.high:.3f}] (n={self.n})"


@dataclass(frozen=True)
class Paired:
    """Condition B minus condition A on the same ``n`` items.

    ``difference`` is rate(B) - rate(A); [``low``, ``high``] its 95% paired-bootstrap
    interval; ``b_only`` / ``a_only`` count the items only B / only A got right;
    ``p_value`` is McNemar's exact two-sided test on those discordant items.
    """

    n: int
    rate_a: float
    rate_b: float
    difference: float
    low: float
    high: float
    a_only: int
    b_only: int
    p_value: float
    test: str = "McNemar exact"

    def __str__(self) -> str:
        return (
            f"{self.difference:+.3f} [{self.low:+.3f}, {self.high:+.3f}], "
            f"{self.test} p={self.p_value:.3g}, n={self.n}"
        )


def _flags(name: str, values: Sequence[bool | int | float]) -> np.ndarray:
    if isinstance(values, str) or not isinstance(values, Sequence | np.ndarray):
        raise TypeError(f"{name} must be a list of 0/1 or True/False, one per item")
    array = np.asarray(values, dtype=float)
    if array.ndim != 1 or array.size == 0:
        raise ValueError(f"{name} must be a non-empty flat list of 0/1 values, one per item")
    if not np.isin(array, (0.0, 1.0)).all():
        raise ValueError(f"{name} may hold only 0/1 or True/False (right or wrong per item)")
    return array


def _bootstrap(diffs: np.ndarray, seed: int) -> tuple[float, float]:
    """The seeded percentile-bootstrap 95% interval of the mean of ``diffs``."""
    result = stats.bootstrap(
        (diffs,), np.mean, n_resamples=_RESAMPLES, confidence_level=LEVEL,
        method="percentile", random_state=np.random.default_rng(seed),
    )  # fmt: skip
    low, high = result.confidence_interval
    return float(low), float(high)


def rate(successes: int | Sequence[bool], n: int | None = None) -> Rate:
    """A rate with its 95% Wilson interval: ``rate(37, 160)`` or ``rate([1, 0, 1, ...])``."""
    if n is None:
        flags = _flags("successes", successes)  # type: ignore[arg-type]
        successes, n = int(flags.sum()), int(flags.size)
    if not isinstance(n, int | np.integer) or n <= 0:
        raise ValueError(f"n must be a positive whole number of items, not {n!r}")
    if not 0 <= int(successes) <= n:
        raise ValueError(f"successes must lie between 0 and n={n}, not {successes!r}")
    low, high = stats.binomtest(int(successes), int(n)).proportion_ci(LEVEL, method="wilson")
    return Rate(int(successes), int(n), int(successes) / n, float(low), float(high))


def correct_of(evaluation: object) -> list[int]:
    """1/0 per item: did the evaluation's prediction match the gold label?"""
    return [int(p == g) for p, g in zip(evaluation.predictions, evaluation.gold, strict=True)]


def paired(a: Sequence[bool], b: Sequence[bool], *, seed: int = 0) -> Paired:
    """Compare two conditions item by item: ``a`` and ``b`` are 1/0 per item, same order."""
    xa, xb = _flags("a", a), _flags("b", b)
    if xa.size != xb.size:
        raise ValueError(f"a and b must score the same items: {xa.size} vs {xb.size} items")
    diffs = xb - xa
    difference = float(diffs.mean())
    if np.all(diffs == diffs[0]):
        low = high = difference
    else:
        low, high = _bootstrap(diffs, seed)
    a_only, b_only = int((diffs < 0).sum()), int((diffs > 0).sum())
    discordant = a_only + b_only
    p = 1.0 if discordant == 0 else float(stats.binomtest(b_only, discordant).pvalue)
    return Paired(int(xa.size), float(xa.mean()), float(xb.mean()), difference, low, high,
                  a_only, b_only, p)  # fmt: skip


def items_to_settle(comparison: Paired, *, power: float = 0.8) -> int | None:
    """About how many items would let this comparison's interval clear zero.

    The standard sample size for McNemar's test: with a share ``d`` of disagreeing items
    and a difference ``delta``, n = (z_(1-a/2) + z_power)^2 * d / delta^2. None when the
    difference is 0 (no sample size settles a difference of nothing).
    """
    delta = abs(comparison.difference)
    if delta == 0:
        return None
    share = (comparison.a_only + comparison.b_only) / comparison.n
    z = stats.norm.ppf(1 - (1 - LEVEL) / 2) + stats.norm.ppf(power)
    return max(comparison.n, math.ceil(z * z * max(share, delta) / (delta * delta)))


def paired_scores(a: Sequence[float], b: Sequence[float], *, seed: int = 0) -> Paired:
    """Like ``paired`` for per-item scores that are not 0/1 (an agreement rate, seconds).

    The interval is the same seeded bootstrap of the mean difference; the test is the
    Wilcoxon signed-rank test (``a_only`` / ``b_only`` count items where a / b is higher).
    """
    xa, xb = (np.asarray(v, dtype=float) for v in (a, b))
    if xa.ndim != 1 or xa.size == 0 or xa.size != xb.size:
        raise ValueError("a and b must be non-empty lists of scores for the same items")
    diffs = xb - xa
    if np.all(diffs == diffs[0]):
        low = high = float(diffs[0])
        p = 1.0
    else:
        low, high = _bootstrap(diffs, seed)
        p = float(stats.wilcoxon(diffs, zero_method="zsplit").pvalue)
    return Paired(int(xa.size), float(xa.mean()), float(xb.mean()), float(diffs.mean()), low,
                  high, int((diffs < 0).sum()), int((diffs > 0).sum()), p, "Wilcoxon")  # fmt: skip


def detectable_difference(n: int, discordant_share: float, *, power: float = 0.8) -> float:
    """The smallest paired difference ``n`` items detect with this ``power`` (McNemar).

    The inverse of ``items_to_settle``: delta = (z_(1-a/2) + z_power) * sqrt(d / n) for a
    share ``d`` of items on which the two conditions disagree.
    """
    if n <= 0 or not 0 < discordant_share <= 1:
        raise ValueError("need n > 0 items and a discordant share in (0, 1]")
    z = stats.norm.ppf(1 - (1 - LEVEL) / 2) + stats.norm.ppf(power)
    return float(z * math.sqrt(discordant_share / n))
