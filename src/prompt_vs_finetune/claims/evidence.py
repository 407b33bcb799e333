"""Evidence for sampled claims: named paired comparisons and the verdict they add up to.

A rule measures a claim as one or more *parts*, each a comparison of two conditions on
the same items (``compare``) or one rate against a bar (``against``). Each part gets its
status from the one rule (``verdict.status_of``). ``verdict_of`` turns the parts into a
``Verdict``: supported when every part is, contradicted when any part is, inconclusive
otherwise; it carries the interval, test and n of the part that decides.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from prompt_vs_finetune.claims.verdict import (
    CONTRADICTED,
    INCONCLUSIVE,
    SUPPORTED,
    Verdict,
    status_of,
)
from prompt_vs_finetune.measure.intervals import Paired, Rate, items_to_settle, paired

__all__ = ["Part", "against", "compare", "fact", "verdict_of"]


@dataclass(frozen=True)
class Part:
    """One measured part of a claim: ``what`` it tests, its ``status`` and its numbers."""

    what: str
    status: str
    effect: float
    low: float
    high: float
    test: str
    n: int
    settle: int | None = None

    def __str__(self) -> str:
        if self.test == "computed":
            return f"{self.what}: {self.effect:.3g} -> {self.status}"
        text = (
            f"{self.what}: {self.effect:+.3f} [{self.low:+.3f}, {self.high:+.3f}], "
            f"{self.test}, n={self.n} -> {self.status}"
        )
        if self.status == INCONCLUSIVE and self.settle:
            text += f" (about {self.settle} items would settle it)"
        elif self.status == INCONCLUSIVE and self.effect == 0 and "p=" in self.test:
            text += " (no difference at all here: more items would not settle it)"
        return text

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON for the results store."""
        return dict(self.__dict__)


def compare(
    what: str,
    a: Sequence[int] | Paired,
    b: Sequence[int] | None = None,
    *,
    claimed: str = "above",
    bar: float = 0.0,
) -> Part:
    """Part from B minus A on the same items: 1/0 flags, or an already computed ``Paired``.

    ``claimed="above"``: the guide says B - A exceeds ``bar``; ``bar=-0.05`` with "above"
    reads "B is at most 5 points worse than A" (B rivals A).
    """
    result = a if isinstance(a, Paired) else paired(a, b)  # type: ignore[arg-type]
    status = status_of(result.low, result.high, bar=bar, claimed=claimed)
    test = f"{result.test} p={result.p_value:.2g}"
    settle = None
    if status == INCONCLUSIVE:
        shifted = Paired(**{**result.__dict__, "difference": result.difference - bar})
        settle = items_to_settle(shifted)
    return Part(what, status, result.difference, result.low, result.high, test, result.n,
                settle)  # fmt: skip


def against(what: str, measured: Rate, bar: float, *, claimed: str = "above") -> Part:
    """Part from one rate and a bar: the Wilson interval must clear the bar."""
    status = status_of(measured.low, measured.high, bar=bar, claimed=claimed)
    test = f"Wilson 95% interval vs {bar:.2f}"
    return Part(what, status, measured.value, measured.low, measured.high, test, measured.n)


def fact(what: str, holds: bool, value: float) -> Part:
    """Part from a computed fact (a token ratio, a loss that diverged): no sampling in it."""
    status = SUPPORTED if holds else CONTRADICTED
    return Part(what, status, float(value), float(value), float(value), "computed", 0)


def _deciding(parts: Sequence[Part]) -> Part:
    for status in (CONTRADICTED, INCONCLUSIVE):
        for part in parts:
            if part.status == status:
                return part
    return min(parts, key=lambda p: min(abs(p.low), abs(p.high)))


def verdict_of(
    claim: str,
    parts: Sequence[Part],
    *,
    numbers: dict[str, Any] | None = None,
    note: str = "",
) -> Verdict:
    """The claim's ``Verdict`` from its parts (at least one); ``note`` ends the sentence."""
    if not parts:
        raise ValueError("a sampled claim needs at least one measured part")
    statuses = {p.status for p in parts}
    status = (
        SUPPORTED
        if statuses == {SUPPORTED}
        else CONTRADICTED
        if CONTRADICTED in statuses
        else INCONCLUSIVE
    )
    key = _deciding(parts)
    sentence = "; ".join(str(p) for p in parts) + (f". {note}" if note else ".")
    all_numbers = {"parts": [p.as_dict() for p in parts], **(numbers or {})}
    return Verdict(claim, status, f"{key.what}: {key.effect:+.3f}", all_numbers, sentence,
                   (key.low, key.high), key.test, key.n)  # fmt: skip
