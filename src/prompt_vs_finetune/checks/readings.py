"""Answers to read-the-evidence exercises: a diagnosis word and the evidence behind it.

A learner who reads a plot, a training run or a ledger row answers with a pair::

    reading = ("overfitting", 30)   # the word, and the number the diagnosis rests on

The word is matched loosely ("overfit", "Over-fitting" and "memorised" all mean
over-fitting); the evidence is what the check can test (the step where dev accuracy
peaked, the number of items that would settle a comparison, ...). ``parse`` splits and
normalises the pair and raises NotYet with a clear message for anything else.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from prompt_vs_finetune.checks.core import NotYet, require
from prompt_vs_finetune.claims.verdict import STATUSES
from prompt_vs_finetune.finetune.diagnosis import DIAGNOSIS_WORDS as RUN_WORDS

__all__ = ["CLAIM_WORDS", "RUN_WORDS", "normalise", "parse"]

#: Claim statuses and the words a learner may use for them.
CLAIM_WORDS: dict[str, tuple[str, ...]] = {
    "supported": ("supported", "holds", "confirmed", "true", "yes"),
    "contradicted": ("contradicted", "refuted", "false", "wrong", "reversed"),
    "inconclusive": ("inconclusive", "unclear", "unsettled", "not settled", "undecided",
                     "noise", "can't tell", "cannot tell"),
    "not at this scale": ("not at this scale", "too small", "scale"),
}  # fmt: skip
assert set(CLAIM_WORDS) == set(STATUSES)


def normalise(word: Any, words: Mapping[str, tuple[str, ...]]) -> str | None:
    """The key of ``words`` whose synonyms include ``word`` (case, spaces, - and _ ignored)."""
    if not isinstance(word, str):
        return None
    key = " ".join(word.lower().replace("_", " ").replace("-", " ").split()).strip(" .!")
    for canonical, synonyms in words.items():
        if key in {" ".join(s.replace("-", " ").split()) for s in (canonical, *synonyms)}:
            return canonical
    return None


def parse(
    answer: Any,
    words: Mapping[str, tuple[str, ...]],
    evidence: type | tuple[type, ...],
    what: str = "the evidence",
) -> tuple[str, Any]:
    """Split ``(word, evidence)`` into a canonical word of ``words`` and the evidence."""
    if not isinstance(answer, tuple | list) or len(answer) != 2:
        raise NotYet(
            f"answer with a pair: (your diagnosis, {what}), for example "
            f"({next(iter(words))!r}, ...). Got {type(answer).__name__}: {answer!r:.60}."
        )
    word, found = answer
    canonical = normalise(word, words)
    if canonical is None:
        raise NotYet(f"{word!r} is not one of the diagnoses here: {', '.join(words)}.")
    require(found, evidence, what)
    return canonical, found
