"""Choosing an approach: the questionnaire and the recommendation with its reasons (``advice``),
worked examples (``case_studies``), and the test of the advice by prediction (claim C19): the
course's tasks as declared before measuring (``tasks``) against the winners measured on them
(``evidence``)."""

from prompt_vs_finetune.decision import advice as _advice
from prompt_vs_finetune.decision.advice import *  # noqa: F403

__all__ = list(_advice.__all__)
