"""The criteria of the decision aid: one small function per question, each giving its reasons.

Every function takes the answers (``advice.DecisionInputs``) and returns the ``Reason``
objects its criterion contributes: which way it pushes the decision (``FAVOURS_*``,
``BLOCKS_FINE_TUNING`` or ``NEUTRAL``) and why, in words a learner can check.
``advice.recommend`` runs them in the order of ``CRITERION_RULES`` and then decides.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from prompt_vs_finetune.decision.advice import DecisionInputs

__all__ = [
    "BLOCKS_FINE_TUNING",
    "CRITERION_RULES",
    "FAVOURS_FINE_TUNING",
    "FAVOURS_HYBRID",
    "FAVOURS_PROMPTING",
    "MIN_LABELLED_EXAMPLES",
    "NEUTRAL",
    "Reason",
]

MIN_LABELLED_EXAMPLES = 500  # fewer labelled examples than this: too few to fine-tune well

# Effects a reason can have on the decision.
FAVOURS_PROMPTING = "favours prompting"
FAVOURS_FINE_TUNING = "favours fine-tuning"
FAVOURS_HYBRID = "favours hybrid"
BLOCKS_FINE_TUNING = "rules out fine-tuning"
NEUTRAL = "no effect"


@dataclass(frozen=True)
class Reason:
    """One step of the reasoning: which criterion, which way it pushed, and why."""

    criterion: str
    effect: str
    explanation: str
    decisive: bool = False

    def __str__(self) -> str:
        mark = "*" if self.decisive else "-"
        return f"{mark} {self.criterion} ({self.effect}): {self.explanation}"


def _volume_text(n: float) -> str:
    return f"{n:,.0f}"


def _skills(a: DecisionInputs) -> list[Reason]:
    if a.ml_skills:
        text = "There are people who can diagnose training runs, so fine-tuning is an option."
        return [Reason("ml_skills", NEUTRAL, text)]
    text = (
        "Nobody on hand can run and debug a training job; a failed fine-tune wastes "
        "weeks, while anyone who understands the task can improve a prompt."
    )
    return [Reason("ml_skills", BLOCKS_FINE_TUNING, text)]


def _data(a: DecisionInputs) -> list[Reason]:
    if a.labelled_examples >= MIN_LABELLED_EXAMPLES:
        text = (
            f"{a.labelled_examples:,} labelled examples are enough to train and to hold "
            "some back for testing."
        )
        return [Reason("labelled_examples", NEUTRAL, text)]
    text = (
        f"Only {a.labelled_examples:,} labelled examples (rule of thumb: at least "
        f"{MIN_LABELLED_EXAMPLES}); a handful of them work better as few-shot examples "
        "in the prompt."
    )
    return [Reason("labelled_examples", BLOCKS_FINE_TUNING, text)]


def _budget(a: DecisionInputs) -> list[Reason]:
    if a.upfront_budget == "low":
        text = (
            "Fine-tuning asks for money before it gives any back (data work, training, "
            "serving); a low upfront budget cannot carry that."
        )
        return [Reason("upfront_budget", BLOCKS_FINE_TUNING, text)]
    text = f"A {a.upfront_budget} upfront budget can absorb a front-loaded project."
    return [Reason("upfront_budget", NEUTRAL, text)]


def _volume(a: DecisionInputs) -> list[Reason]:
    threshold = a.volume_threshold
    source = "measured break-even" if a.break_even_volume is not None else "rule-of-thumb"
    volume = _volume_text(a.monthly_requests)
    if a.monthly_requests >= threshold:
        reason = Reason("monthly_requests", FAVOURS_FINE_TUNING, (
            f"{volume} requests a month is at or above the {source} volume of "
            f"{_volume_text(threshold)}: at this scale the saving from shorter inputs, "
            "repeated on every call, can repay the upfront cost."
        ))  # fmt: skip
    else:
        reason = Reason("monthly_requests", FAVOURS_PROMPTING, (
            f"{volume} requests a month is below the {source} volume of "
            f"{_volume_text(threshold)}: the per-call savings of a tuned model would not "
            "repay its upfront cost in time."
        ))  # fmt: skip
    if a.break_even_volume is None:
        return [reason]
    text = (
        f"Used the cost model's break-even ({_volume_text(a.break_even_volume)} "
        "requests/month) instead of the general rule of thumb."
    )
    return [reason, Reason("break_even_volume", NEUTRAL, text)]


_HARD_NEEDS = {
    "needs_domain_knowledge": (
        "The model must know terms and facts it never saw in pre-training; training on "
        "them puts that knowledge in the weights instead of repeating it in every prompt."
    ),
    "needs_strict_consistency": (
        "Answers must not wander from run to run; a tuned model tends to give the same "
        "answer more reliably than a prompted one under sampling."
    ),
    "latency_sensitive": (
        "Response time matters; a tuned model needs no long instructions or examples in "
        "its input, so each call processes fewer tokens."
    ),
}


def _needs(a: DecisionInputs) -> list[Reason]:
    if a.hard_needs:
        return [Reason(n, FAVOURS_FINE_TUNING, _HARD_NEEDS[n]) for n in a.hard_needs]
    text = (
        "No missing knowledge, consistency or latency demands: the base model's own "
        "abilities, steered by a prompt, cover the task."
    )
    return [Reason("needs_domain_knowledge", FAVOURS_PROMPTING, text)]


def _format(a: DecisionInputs) -> list[Reason]:
    if not a.format_only:
        return []
    text = (
        "Format, tone and structure are exactly what clear instructions and a few "
        "examples in the prompt control well; no training is needed for that."
    )
    return [Reason("format_only", FAVOURS_PROMPTING, text)]


def _changes(a: DecisionInputs) -> list[Reason]:
    if a.requirement_changes == "often":
        text = (
            "Requirements change often; a prompt is edited and live in minutes, a tuned "
            "model needs new data, a new run and new regression tests each time."
        )
        return [Reason("requirement_changes", FAVOURS_PROMPTING, text)]
    if a.requirement_changes == "rarely":
        text = "Requirements are stable, so a trained model would not go stale quickly."
        return [Reason("requirement_changes", NEUTRAL, text)]
    return []


def _exhausted(a: DecisionInputs) -> list[Reason]:
    if a.prompting_exhausted:
        text = (
            "Prompt versions have stopped improving while the target is still out of "
            "reach: prompting has been given a fair chance."
        )
        return [Reason("prompting_exhausted", FAVOURS_FINE_TUNING, text)]
    text = (
        "Prompting has not yet been pushed to its plateau; start (or continue) there, "
        "it is cheaper and shows what the task really needs."
    )
    return [Reason("prompting_exhausted", FAVOURS_PROMPTING, text)]


#: The criteria in the order their reasons are listed.
CRITERION_RULES = (_skills, _data, _budget, _volume, _needs, _format, _changes, _exhausted)
