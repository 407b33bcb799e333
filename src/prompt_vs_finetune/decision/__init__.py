"""Choosing an approach: the questionnaire, the recommendation with its reasons, case studies."""

from prompt_vs_finetune.decision.advice import (
    CHOICES,
    CRITERIA,
    HIGH_VOLUME,
    MIN_LABELLED_EXAMPLES,
    DecisionInputs,
    Reason,
    Recommendation,
    explain,
    recommend,
)

__all__ = [
    "CHOICES",
    "CRITERIA",
    "HIGH_VOLUME",
    "MIN_LABELLED_EXAMPLES",
    "DecisionInputs",
    "Reason",
    "Recommendation",
    "explain",
    "recommend",
]
