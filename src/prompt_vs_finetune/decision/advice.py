"""A decision aid: prompting, fine-tuning or both? It explains every step it takes.

The rules, in the order they are applied:

1. **Prompting is the default.** It is cheap to start, quick to change and teaches you
   what the task really needs. Everything below is about whether there is enough
   evidence to move away from it.
2. **Can the organisation fine-tune at all?** It needs ML engineering skill, enough
   labelled examples and room in the budget for a front-loaded cost. Missing any of
   them keeps the answer at prompting.
3. **Is the need only about the shape of the output** (format, tone, template)? Then
   prompting is enough, whatever the volume.
4. **Do requirements change often** with no hard need for tuning? Every change would
   mean retraining, so prompting stays.
5. **Fine-tuning is worth it** when the volume is high enough to pay back the upfront
   cost (``monthly_requests`` at or above ``break_even_volume``, or above
   ``HIGH_VOLUME`` if no break-even was computed) AND either prompting has been pushed
   as far as it goes (``prompting_exhausted``) or there is a hard need a prompt cannot
   meet well: knowledge the base model lacks, strict consistency, or tight latency.
6. **Hybrid** when fine-tuning is worth it but part of the work still belongs in the
   prompt: domain knowledge that is stable sits next to context that differs per
   request or changes often (tune for the domain, prompt for the instance), or most
   requests are easy and only some hard (a cascade: a prompted cheap model first, the
   tuned model for escalations).

Each criterion is one small function in ``criteria`` that gives its reasons;
``recommend`` collects them, decides, and marks the reasons that decided. Thresholds
(``HIGH_VOLUME``, the assumptions' high volume, and ``MIN_LABELLED_EXAMPLES``) are rules
of thumb for the course, not laws; pass ``break_even_volume`` from
``scaling.break_even_volume`` to use your own measured numbers instead.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, field, fields, replace
from typing import Any

from prompt_vs_finetune.decision.criteria import (
    BLOCKS_FINE_TUNING,
    CRITERION_RULES,
    FAVOURS_FINE_TUNING,
    FAVOURS_HYBRID,
    FAVOURS_PROMPTING,
    MIN_LABELLED_EXAMPLES,
    NEUTRAL,
    Reason,
)
from prompt_vs_finetune.economics.assumptions import DEFAULT_ASSUMPTIONS

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

CHOICES = ("prompting", "fine-tuning", "hybrid")
HIGH_VOLUME = DEFAULT_ASSUMPTIONS.high_volume  # "high" volume when no break-even is given
CHANGE_RATES = ("rarely", "sometimes", "often")
BUDGETS = ("low", "medium", "high")

# Each criterion: the question a person answers, in plain words.
CRITERIA: dict[str, str] = {
    "monthly_requests": "How many requests per month will the system handle?",
    "requirement_changes": "How often do the requirements change (rarely, sometimes, often)?",
    "needs_domain_knowledge": "Does the task need knowledge the base model does not have?",
    "needs_strict_consistency": "Must the same input always get the same kind of answer?",
    "latency_sensitive": "Does every millisecond of response time matter?",
    "format_only": "Is the need only about the output's format, tone or structure?",
    "ml_skills": "Are experienced ML engineers available?",
    "labelled_examples": "How many labelled input/output examples do you have?",
    "upfront_budget": "How much money can go up front before any return (low/medium/high)?",
    "prompting_exhausted": "Has prompting stopped improving while still short of the target?",
    "per_request_context": "Does each request bring its own context (a document, an account)?",
    "mixed_difficulty": "Are most requests easy, with only a minority of hard ones?",
    "break_even_volume": "Measured break-even volume from the cost model (requests/month)",
}


def _bool(name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be True or False, not {type(value).__name__} ({value!r}).")
    return value


def _count(name: str, value: Any, *, allow_none: bool = False) -> Any:
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, not {type(value).__name__} ({value!r}).")
    if math.isnan(value) or value < 0:
        raise ValueError(f"{name} must be a number >= 0, not {value!r}.")
    return value


def _choice(name: str, value: Any, options: tuple[str, ...]) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be one of {options}, not {type(value).__name__}.")
    if value not in options:
        raise ValueError(f"{name} must be one of {options}, not {value!r}.")
    return value


@dataclass(frozen=True)
class DecisionInputs:
    """Answers to the questions in ``CRITERIA``. Types are checked on creation.

    Only ``monthly_requests`` is required; the other answers default to the cautious,
    most common situation (no special needs, no ML team, little data, low budget).
    """

    monthly_requests: float
    requirement_changes: str = "sometimes"
    needs_domain_knowledge: bool = False
    needs_strict_consistency: bool = False
    latency_sensitive: bool = False
    format_only: bool = False
    ml_skills: bool = False
    labelled_examples: int = 0
    upfront_budget: str = "low"
    prompting_exhausted: bool = False
    per_request_context: bool = False
    mixed_difficulty: bool = False
    break_even_volume: float | None = field(default=None)

    def __post_init__(self) -> None:
        _count("monthly_requests", self.monthly_requests)
        _choice("requirement_changes", self.requirement_changes, CHANGE_RATES)
        _choice("upfront_budget", self.upfront_budget, BUDGETS)
        _count("labelled_examples", self.labelled_examples)
        if self.labelled_examples != int(self.labelled_examples):
            raise ValueError(f"labelled_examples must be whole, not {self.labelled_examples}.")
        _count("break_even_volume", self.break_even_volume, allow_none=True)
        for f in fields(self):
            if f.type in ("bool", bool):
                _bool(f.name, getattr(self, f.name))

    @property
    def volume_threshold(self) -> float:
        """The volume at which fine-tuning is considered to pay back."""
        return HIGH_VOLUME if self.break_even_volume is None else self.break_even_volume

    @property
    def hard_needs(self) -> list[str]:
        """The needs a prompt struggles to meet: missing knowledge, consistency, latency."""
        names = ("needs_domain_knowledge", "needs_strict_consistency", "latency_sensitive")
        return [n for n in names if getattr(self, n)]


@dataclass(frozen=True)
class Recommendation:
    """The choice ("prompting", "fine-tuning" or "hybrid"), a one-line summary, and every
    reason considered (decisive ones first)."""

    choice: str
    summary: str
    reasons: list[Reason]
    inputs: DecisionInputs | None = None

    def __str__(self) -> str:
        return explain(self)

    def _repr_html_(self) -> str:
        import html

        items = "".join(
            f"<li>{'<b>' if r.decisive else ''}{html.escape(r.criterion)} "
            f"({html.escape(r.effect)}){'</b>' if r.decisive else ''}: "
            f"{html.escape(r.explanation)}</li>"
            for r in self.reasons
        )
        return (
            f"<p><b>Recommendation: {html.escape(self.choice)}</b>. "
            f"{html.escape(self.summary)}</p><ul>{items}</ul>"
        )


# ---- the decision ---------------------------------------------------------------------------
@dataclass(frozen=True)
class _Outcome:
    """A choice, its summary, the criteria that decided it, and any reason it adds."""

    choice: str
    summary: str
    decisive: frozenset[str]
    added: tuple[Reason, ...] = ()


def _stay_with_prompting(a: DecisionInputs, blockers: list[str]) -> _Outcome | None:
    """The outcome when something keeps the answer at prompting, else None."""
    if a.format_only and not a.hard_needs:
        summary = "The need is about output shape only, which a prompt handles."
        return _Outcome("prompting", summary, frozenset({"format_only"}))
    if blockers:
        summary = f"Fine-tuning is not practical here ({', '.join(blockers)}); stay with prompting."
        return _Outcome("prompting", summary, frozenset(blockers))
    if a.requirement_changes == "often" and not a.hard_needs:
        summary = "Frequent changes favour the approach that changes instantly: prompting."
        return _Outcome("prompting", summary, frozenset({"requirement_changes"}))
    if a.monthly_requests < a.volume_threshold:
        summary = "The volume is too low to repay a fine-tune; prompting wins on total cost."
        return _Outcome("prompting", summary, frozenset({"monthly_requests"}))
    if not (a.prompting_exhausted or a.hard_needs):
        summary = "Prompting has not been exhausted and nothing forces a fine-tune yet."
        return _Outcome("prompting", summary, frozenset({"prompting_exhausted"}))
    return None


_HYBRIDS = (  # (applies?, criterion, reason, summary), first match wins
    (
        lambda a: a.needs_domain_knowledge and a.per_request_context,
        "per_request_context",
        "The domain is stable but each request brings its own details: teach the "
        "domain by fine-tuning and pass the instance details in the prompt.",
        "Fine-tune for the domain, prompt for the per-request context.",
    ),
    (
        lambda a: a.requirement_changes == "often",
        "requirement_changes",
        "The hard need is stable but the rules around it keep moving: train the "
        "stable behaviour into the model and keep the changing rules in the prompt, "
        "where an edit takes effect at once without retraining.",
        "Fine-tune the stable core, keep the fast-changing rules in the prompt.",
    ),
    (
        lambda a: a.mixed_difficulty,
        "mixed_difficulty",
        "Most requests are easy: let a cheap prompted model answer them and escalate "
        "only the unsure ones to the tuned model (a cascade), paying the higher cost "
        "only where it buys accuracy.",
        "Cascade: a prompted cheap model first, the tuned model for hard cases.",
    ),
)


def _tune(a: DecisionInputs) -> _Outcome:
    """Fine-tuning is worth it: plain fine-tuning, or a hybrid when part belongs in a prompt."""
    decisive = {"monthly_requests", *a.hard_needs}
    if a.prompting_exhausted:
        decisive.add("prompting_exhausted")
    for applies, criterion, text, summary in _HYBRIDS:
        if applies(a):
            reason = Reason(criterion, FAVOURS_HYBRID, text)
            return _Outcome("hybrid", summary, frozenset({*decisive, criterion}), (reason,))
    summary = (
        "Volume, skills, data and budget are in place and prompting cannot meet the "
        "need: the upfront investment should pay back."
    )
    return _Outcome("fine-tuning", summary, frozenset(decisive))


def _notes(a: DecisionInputs) -> list[Reason]:
    """What the hybrid criteria say when the answer is not a hybrid."""
    notes = []
    if a.per_request_context:
        text = "Per-request context always travels in the prompt, whichever approach is used."
        notes.append(Reason("per_request_context", NEUTRAL, text))
    if a.mixed_difficulty:
        text = (
            "A mix of easy and hard requests suits a cascade, but only once a stronger "
            "tuned model is justified; a cascade of two prompted models is still prompting."
        )
        notes.append(Reason("mixed_difficulty", NEUTRAL, text))
    return notes


_SUPPORTING = {
    "prompting": (FAVOURS_PROMPTING, BLOCKS_FINE_TUNING),
    "fine-tuning": (FAVOURS_FINE_TUNING,),
    "hybrid": (FAVOURS_FINE_TUNING, FAVOURS_HYBRID),
}


def recommend(answers: DecisionInputs) -> Recommendation:
    """Apply the rules in the module docstring and explain each step."""
    if not isinstance(answers, DecisionInputs):
        raise TypeError(
            f"recommend() needs a DecisionInputs, not {type(answers).__name__}. "
            "Build one with DecisionInputs(monthly_requests=..., ...)."
        )
    reasons = [reason for rule in CRITERION_RULES for reason in rule(answers)]
    blockers = [r.criterion for r in reasons if r.effect == BLOCKS_FINE_TUNING]
    outcome = _stay_with_prompting(answers, blockers) or _tune(answers)
    reasons += outcome.added if outcome.choice == "hybrid" else _notes(answers)
    supporting = _SUPPORTING[outcome.choice]
    marked = [
        replace(r, decisive=r.criterion in outcome.decisive and r.effect in supporting)
        for r in reasons
    ]
    marked.sort(key=lambda r: not r.decisive)  # stable: decisive first, order kept
    return Recommendation(outcome.choice, outcome.summary, marked, inputs=answers)


def explain(rec: Recommendation) -> str:
    """The recommendation as readable text: choice, summary, decisive reasons, the rest."""
    if not isinstance(rec, Recommendation):
        raise TypeError(f"explain() needs a Recommendation, not {type(rec).__name__}.")
    lines = [f"Recommendation: {rec.choice.upper()}", rec.summary, ""]
    key = [r for r in rec.reasons if r.decisive]
    rest = [r for r in rec.reasons if not r.decisive]
    if key:
        lines.append("Decisive:")
        lines += [f"  * {r.criterion} ({r.effect}): {r.explanation}" for r in key]
    if rest:
        lines.append("Also considered:")
        lines += [f"  - {r.criterion} ({r.effect}): {r.explanation}" for r in rest]
    return "\n".join(lines)
