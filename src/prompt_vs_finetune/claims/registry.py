"""The registry: each claim of the guide, C1-C19, declared once.

A ``Claim`` holds the claim in the course's own words, the lesson that owns it (the only
notebook that may record its verdict) and its rule: the function that turns that
lesson's measurements into a ``Verdict``. ``judge`` runs a rule without recording.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from prompt_vs_finetune.claims import rules_lessons_01_04 as r1
from prompt_vs_finetune.claims import rules_lessons_05_07 as r2
from prompt_vs_finetune.claims import rules_lessons_06_07 as r6
from prompt_vs_finetune.claims import rules_lessons_08_11 as r3
from prompt_vs_finetune.claims.verdict import Verdict

__all__ = ["REGISTRY", "Claim", "claim", "judge"]


@dataclass(frozen=True)
class Claim:
    """One claim of the guide: ``id`` ("C9"), ``text``, ``owner`` lesson ("06"), ``rule``."""

    id: str
    text: str
    owner: str
    rule: Callable[..., Verdict]


_CLAIMS = (
    Claim("C1", "Wording changes the output; explicit format rules and step-by-step steps help",
          "01", r1.rule_c1),
    Claim("C2", "Fine-tuning changes the model's weights; prompting leaves them untouched",
          "01", r1.rule_c2),
    Claim("C3", "Richer prompts (more examples) cost more tokens on every call", "02", r1.rule_c3),
    Claim("C4", "Fine-tuning costs up front; whether it pays back depends on volume",
          "02", r1.rule_c4),
    Claim("C5", "A bad prompt is undone at once; a bad fine-tune can break the model",
          "03", r1.rule_c5),
    Claim("C6", "A fine-tuned model needs regression tests for abilities it may lose",
          "03", r1.rule_c6),
    Claim("C7", "Prompting needs gentler skills than diagnosing a training run", "04", r1.rule_c7),
    Claim("C8", "Structured output such as JSON is reachable by prompting alone",
          "05", r2.rule_c8),
    Claim("C9", "Few-shot prompting can rival fine-tuning on classification and extraction",
          "06", r6.rule_c9),
    Claim("C10", "Fine-tuning teaches domain knowledge the base model lacks", "06", r6.rule_c10),
    Claim("C11", "Fine-tuned models answer more consistently when sampled", "06", r6.rule_c11),
    Claim("C12", "Fine-tuned models need shorter inputs, so they answer faster",
          "06", r6.rule_c12),
    Claim("C13", "Fine-tune for the domain plus prompt for the case beats either alone",
          "07", r6.rule_c13),
    Claim("C14", "A compressed prompt keeps quality with fewer tokens", "07", r6.rule_c14),
    Claim("C15", "A cascade: the cheap path takes most cases and escalates the rest",
          "07", r6.rule_c15),
    Claim("C16", "Prompt iteration pays off fast, then plateaus", "08", r3.rule_c16),
    Claim("C17", "Prompt cost grows with volume; one fine-tune per use case scales poorly",
          "09", r3.rule_c17),
    Claim("C18", "Prompt ROI comes fast but plateaus; fine-tune ROI starts negative, wins at "
          "volume", "10", r3.rule_c18),
    Claim("C19", "Start with prompting; fine-tune when prompting is exhausted and volume "
          "justifies it", "11", r3.rule_c19),
)  # fmt: skip

#: Every claim by id, in claim order (C1 ... C19).
REGISTRY: dict[str, Claim] = {c.id: c for c in _CLAIMS}


def claim(claim_id: str) -> Claim:
    """The declared claim ``claim_id`` ("C9"; "c9" also works); ValueError if unknown."""
    key = str(claim_id).strip().upper()
    if key not in REGISTRY:
        raise ValueError(f"Unknown claim {claim_id!r}; claims are C1 to C{len(REGISTRY)}.")
    return REGISTRY[key]


def judge(claim_id: str, *measurements: Any, **options: Any) -> Verdict:
    """The verdict of ``claim_id``'s rule on these measurements, without recording it."""
    return claim(claim_id).rule(*measurements, **options)
