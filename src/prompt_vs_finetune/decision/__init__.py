"""Choosing an approach: the questionnaire, the recommendation with its reasons, case studies."""

from prompt_vs_finetune.decision import advice as _advice
from prompt_vs_finetune.decision.advice import *  # noqa: F403

__all__ = list(_advice.__all__)
