"""What a claim's rule returns: a ``Verdict``, and the one rule that picks its status.

``STATUSES`` is the one place that names the possible verdicts. Every rule reaches its
status the same way (``status_of``):

- a *sampled* claim (a rate measured on items) compares two conditions on the same items
  (``measure.intervals.paired``), or one rate with a bar. *supported*: the 95% interval of
  the difference lies wholly on the side the guide claims; *contradicted*: wholly on the
  other side; *inconclusive*: it straddles the bar (the verdict then says about how many
  items would settle it);
- a *computed* claim (a cost, a size, a curve derived from measured inputs) is checked at
  both ends of the range its inputs can take (``status_over_range``): supported or
  contradicted when both ends agree, inconclusive when the answer depends on where in
  the range the truth lies;
- *not at this scale* is allowed only when ``numbers`` shows the recipe search that was
  tried first (key ``"recipe_search"``): a failed recipe is not a finding about size.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "CONTRADICTED",
    "INCONCLUSIVE",
    "NOT_AT_THIS_SCALE",
    "NOT_MEASURED",
    "STATUSES",
    "SUPPORTED",
    "Verdict",
    "status_of",
    "status_over_range",
]

#: The verdicts a claim can get.
STATUSES: tuple[str, ...] = ("supported", "contradicted", "inconclusive", "not at this scale")
SUPPORTED, CONTRADICTED, INCONCLUSIVE, NOT_AT_THIS_SCALE = STATUSES
#: What the ledger shows for a claim with no recorded verdict.
NOT_MEASURED = "not measured yet"

_CLAIM_ID = re.compile(r"C[1-9][0-9]*")


@dataclass(frozen=True)
class Verdict:
    """The measured verdict on one claim.

    ``status`` is one of ``STATUSES``; ``effect`` the measured effect in a few words or
    one number; ``numbers`` the measurements the verdict rests on; ``sentence`` what it
    means, for the learner. Sampled claims also carry ``interval`` (95%, of the effect),
    ``test`` (with its p-value, or the range checked for a computed claim) and ``n``.
    """

    claim: str
    status: str
    effect: str | float
    numbers: dict[str, Any] = field(default_factory=dict)
    sentence: str = ""
    interval: tuple[float, float] | None = None
    test: str = ""
    n: int | None = None

    def __post_init__(self) -> None:
        if not _CLAIM_ID.fullmatch(self.claim):
            raise ValueError(f"A claim id looks like 'C9', not {self.claim!r}.")
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {list(STATUSES)}, not {self.status!r}.")
        if not self.sentence.strip():
            raise ValueError("A verdict needs a sentence that says what was measured.")
        if self.status == NOT_AT_THIS_SCALE and "recipe_search" not in self.numbers:
            raise ValueError(
                "'not at this scale' needs the recipe search that was tried first "
                "(numbers['recipe_search']); without it the verdict is 'inconclusive'."
            )

    def __str__(self) -> str:
        return f"{self.claim}: {self.status}. {self.sentence}"


def status_of(low: float, high: float, *, bar: float = 0.0, claimed: str = "above") -> str:
    """The status from an interval [``low``, ``high``] of an effect and the claimed side.

    ``claimed="above"``: the guide says the effect exceeds ``bar``; ``"below"``: that it
    stays under it.
    """
    if claimed not in ("above", "below"):
        raise ValueError(f"claimed must be 'above' or 'below', not {claimed!r}")
    if low > high:
        raise ValueError(f"the interval is upside down: low {low} > high {high}")
    above, below = low > bar, high < bar
    if claimed == "below":
        above, below = below, above
    return SUPPORTED if above else CONTRADICTED if below else INCONCLUSIVE


def status_over_range(holds_at_low_end: bool, holds_at_high_end: bool) -> str:
    """A computed claim's status from whether it holds at both ends of its inputs' range."""
    if holds_at_low_end and holds_at_high_end:
        return SUPPORTED
    if not holds_at_low_end and not holds_at_high_end:
        return CONTRADICTED
    return INCONCLUSIVE
