"""The guide's claims C1-C19: the registry (owner, rule), recorded verdicts and the ledger.

A lesson records a claim it owns in one call, for example
``record("C9", best_prompt_accuracy, tuned_accuracy, notebook="06")``; ``judge`` runs the
same rule without recording; ``ledger_table`` shows every claim with its verdict.
"""

from prompt_vs_finetune.claims.ledger import ledger_table
from prompt_vs_finetune.claims.registry import REGISTRY, Claim, claim, judge
from prompt_vs_finetune.claims.verdict import NOT_MEASURED, STATUSES, Verdict
from prompt_vs_finetune.claims.verdicts import (
    NotOwnerError,
    missing_claims,
    record,
    recorded,
    statuses,
)

__all__ = [
    "NOT_MEASURED",
    "REGISTRY",
    "STATUSES",
    "Claim",
    "NotOwnerError",
    "Verdict",
    "claim",
    "judge",
    "ledger_table",
    "missing_claims",
    "record",
    "recorded",
    "statuses",
]
