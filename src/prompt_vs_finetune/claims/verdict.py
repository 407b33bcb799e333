"""What a claim's rule returns: a ``Verdict``, and the words a verdict may use.

``STATUSES`` is the one place that names the possible verdicts; every rule, the ledger
and the store read it from here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "NOT_AT_THIS_SCALE",
    "NOT_MEASURED",
    "PARTLY",
    "STATUSES",
    "SUPPORTED",
    "Verdict",
]

#: The verdicts a claim can get, from the strongest to the weakest.
STATUSES: tuple[str, ...] = ("supported", "partly", "not at this scale")
SUPPORTED, PARTLY, NOT_AT_THIS_SCALE = STATUSES
#: What the ledger shows for a claim with no recorded verdict.
NOT_MEASURED = "not measured yet"

_CLAIM_ID = re.compile(r"C[1-9][0-9]*")


@dataclass(frozen=True)
class Verdict:
    """The measured verdict on one claim.

    ``status`` is one of ``STATUSES``; ``effect`` the measured effect in a few words or
    one number; ``numbers`` the measurements the verdict rests on; ``sentence`` what it
    means, in a sentence for the learner.
    """

    claim: str
    status: str
    effect: str | float
    numbers: dict[str, Any] = field(default_factory=dict)
    sentence: str = ""

    def __post_init__(self) -> None:
        if not _CLAIM_ID.fullmatch(self.claim):
            raise ValueError(f"A claim id looks like 'C9', not {self.claim!r}.")
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {list(STATUSES)}, not {self.status!r}.")
        if not self.sentence.strip():
            raise ValueError("A verdict needs a sentence that says what was measured.")

    def __str__(self) -> str:
        return f"{self.claim}: {self.status}. {self.sentence}"
