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

Thresholds (``HIGH_VOLUME``, ``MIN_LABELLED_EXAMPLES``) are rules of thumb for the
course, not laws; pass ``break_even_volume`` from ``costs.break_even_requests`` to use
your own measured numbers instead.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, field, fields
from typing import Any

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
HIGH_VOLUME = 1_000_000  # requests per month treated as "high" when no break-even is given
MIN_LABELLED_EXAMPLES = 500  # fewer labelled examples than this: too few to fine-tune well
CHANGE_RATES = ("rarely", "sometimes", "often")
BUDGETS = ("low", "medium", "high")

# Effects a reason can have on the decision.
FAVOURS_PROMPTING = "favours prompting"
FAVOURS_FINE_TUNING = "favours fine-tuning"
FAVOURS_HYBRID = "favours hybrid"
BLOCKS_FINE_TUNING = "rules out fine-tuning"
NEUTRAL = "no effect"

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
class Reason:
    """One step of the reasoning: which criterion, which way it pushed, and why."""

    criterion: str
    effect: str
    explanation: str
    decisive: bool = False

    def __str__(self) -> str:
        mark = "*" if self.decisive else "-"
        return f"{mark} {self.criterion} ({self.effect}): {self.explanation}"


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


def _volume_text(n: float) -> str:
    return f"{n:,.0f}"


def recommend(answers: DecisionInputs) -> Recommendation:
    """Apply the rules in the module docstring and explain each step."""
    if not isinstance(answers, DecisionInputs):
        raise TypeError(
            f"recommend() needs a DecisionInputs, not {type(answers).__name__}. "
            "Build one with DecisionInputs(monthly_requests=..., ...)."
        )
    a = answers
    reasons: list[Reason] = []
    decisive: set[str] = set()

    def add(criterion: str, effect: str, text: str) -> None:
        reasons.append(Reason(criterion, effect, text))

    # -- can we fine-tune at all? -------------------------------------------------------
    blockers = []
    if a.ml_skills:
        add(
            "ml_skills",
            NEUTRAL,
            "There are people who can diagnose training runs, so fine-tuning is an option.",
        )
    else:
        blockers.append("ml_skills")
        add(
            "ml_skills",
            BLOCKS_FINE_TUNING,
            "Nobody on hand can run and debug a training job; a failed fine-tune wastes "
            "weeks, while anyone who understands the task can improve a prompt.",
        )
    if a.labelled_examples >= MIN_LABELLED_EXAMPLES:
        add(
            "labelled_examples",
            NEUTRAL,
            f"{a.labelled_examples:,} labelled examples are enough to train and to hold "
            "some back for testing.",
        )
    else:
        blockers.append("labelled_examples")
        add(
            "labelled_examples",
            BLOCKS_FINE_TUNING,
            f"Only {a.labelled_examples:,} labelled examples (rule of thumb: at least "
            f"{MIN_LABELLED_EXAMPLES}); a handful of them work better as few-shot examples "
            "in the prompt.",
        )
    if a.upfront_budget == "low":
        blockers.append("upfront_budget")
        add(
            "upfront_budget",
            BLOCKS_FINE_TUNING,
            "Fine-tuning asks for money before it gives any back (data work, training, "
            "serving); a low upfront budget cannot carry that.",
        )
    else:
        add(
            "upfront_budget",
            NEUTRAL,
            f"A {a.upfront_budget} upfront budget can absorb a front-loaded project.",
        )
    can_tune = not blockers

    # -- volume -----------------------------------------------------------------------
    threshold = a.volume_threshold
    source = "measured break-even" if a.break_even_volume is not None else "rule-of-thumb"
    volume_ok = a.monthly_requests >= threshold
    if volume_ok:
        add(
            "monthly_requests",
            FAVOURS_FINE_TUNING,
            f"{_volume_text(a.monthly_requests)} requests a month is at or above the "
            f"{source} volume of {_volume_text(threshold)}: at this scale the saving from "
            "shorter inputs, repeated on every call, can repay the upfront cost.",
        )
    else:
        add(
            "monthly_requests",
            FAVOURS_PROMPTING,
            f"{_volume_text(a.monthly_requests)} requests a month is below the {source} "
            f"volume of {_volume_text(threshold)}: the per-call savings of a tuned model "
            "would not repay its upfront cost in time.",
        )
    if a.break_even_volume is not None:
        add(
            "break_even_volume",
            NEUTRAL,
            f"Used the cost model's break-even ({_volume_text(a.break_even_volume)} "
            "requests/month) instead of the general rule of thumb.",
        )

    # -- needs ---------------------------------------------------------------------------
    if a.needs_domain_knowledge:
        add(
            "needs_domain_knowledge",
            FAVOURS_FINE_TUNING,
            "The model must know terms and facts it never saw in pre-training; training on "
            "them puts that knowledge in the weights instead of repeating it in every prompt.",
        )
    if a.needs_strict_consistency:
        add(
            "needs_strict_consistency",
            FAVOURS_FINE_TUNING,
            "Answers must not wander from run to run; a tuned model tends to give the same "
            "answer more reliably than a prompted one under sampling.",
        )
    if a.latency_sensitive:
        add(
            "latency_sensitive",
            FAVOURS_FINE_TUNING,
            "Response time matters; a tuned model needs no long instructions or examples in "
            "its input, so each call processes fewer tokens.",
        )
    if not a.hard_needs:
        add(
            "needs_domain_knowledge",
            FAVOURS_PROMPTING,
            "No missing knowledge, consistency or latency demands: the base model's own "
            "abilities, steered by a prompt, cover the task.",
        )
    if a.format_only:
        add(
            "format_only",
            FAVOURS_PROMPTING,
            "Format, tone and structure are exactly what clear instructions and a few "
            "examples in the prompt control well; no training is needed for that.",
        )
    if a.requirement_changes == "often":
        add(
            "requirement_changes",
            FAVOURS_PROMPTING,
            "Requirements change often; a prompt is edited and live in minutes, a tuned "
            "model needs new data, a new run and new regression tests each time.",
        )
    elif a.requirement_changes == "rarely":
        add(
            "requirement_changes",
            NEUTRAL,
            "Requirements are stable, so a trained model would not go stale quickly.",
        )
    if a.prompting_exhausted:
        add(
            "prompting_exhausted",
            FAVOURS_FINE_TUNING,
            "Prompt versions have stopped improving while the target is still out of "
            "reach: prompting has been given a fair chance.",
        )
    else:
        add(
            "prompting_exhausted",
            FAVOURS_PROMPTING,
            "Prompting has not yet been pushed to its plateau; start (or continue) there, "
            "it is cheaper and shows what the task really needs.",
        )

    # -- decision --------------------------------------------------------------------------
    worth_tuning = can_tune and volume_ok and (a.prompting_exhausted or bool(a.hard_needs))
    if a.format_only and not a.hard_needs:
        choice = "prompting"
        decisive = {"format_only"}
        summary = "The need is about output shape only, which a prompt handles."
    elif not can_tune:
        choice = "prompting"
        decisive = set(blockers)
        names = ", ".join(blockers)
        summary = f"Fine-tuning is not practical here ({names}); stay with prompting."
    elif a.requirement_changes == "often" and not a.hard_needs:
        choice = "prompting"
        decisive = {"requirement_changes"}
        summary = "Frequent changes favour the approach that changes instantly: prompting."
    elif not worth_tuning:
        choice = "prompting"
        if not volume_ok:
            decisive = {"monthly_requests"}
            summary = "The volume is too low to repay a fine-tune; prompting wins on total cost."
        else:
            decisive = {"prompting_exhausted"}
            summary = "Prompting has not been exhausted and nothing forces a fine-tune yet."
    else:
        decisive = {"monthly_requests", *a.hard_needs}
        if a.prompting_exhausted:
            decisive.add("prompting_exhausted")
        if a.needs_domain_knowledge and a.per_request_context:
            choice = "hybrid"
            decisive.add("per_request_context")
            add(
                "per_request_context",
                FAVOURS_HYBRID,
                "The domain is stable but each request brings its own details: teach the "
                "domain by fine-tuning and pass the instance details in the prompt.",
            )
            summary = "Fine-tune for the domain, prompt for the per-request context."
        elif a.requirement_changes == "often":
            choice = "hybrid"
            decisive.add("requirement_changes")
            add(
                "requirement_changes",
                FAVOURS_HYBRID,
                "The hard need is stable but the rules around it keep moving: train the "
                "stable behaviour into the model and keep the changing rules in the prompt, "
                "where an edit takes effect at once without retraining.",
            )
            summary = "Fine-tune the stable core, keep the fast-changing rules in the prompt."
        elif a.mixed_difficulty:
            choice = "hybrid"
            decisive.add("mixed_difficulty")
            add(
                "mixed_difficulty",
                FAVOURS_HYBRID,
                "Most requests are easy: let a cheap prompted model answer them and escalate "
                "only the unsure ones to the tuned model (a cascade), paying the higher cost "
                "only where it buys accuracy.",
            )
            summary = "Cascade: a prompted cheap model first, the tuned model for hard cases."
        else:
            choice = "fine-tuning"
            summary = (
                "Volume, skills, data and budget are in place and prompting cannot meet the "
                "need: the upfront investment should pay back."
            )
    if choice != "hybrid":
        if a.per_request_context:
            add(
                "per_request_context",
                NEUTRAL,
                "Per-request context always travels in the prompt, whichever approach is used.",
            )
        if a.mixed_difficulty:
            add(
                "mixed_difficulty",
                NEUTRAL,
                "A mix of easy and hard requests suits a cascade, but only once a stronger "
                "tuned model is justified; a cascade of two prompted models is still prompting.",
            )

    supporting = {
        "prompting": (FAVOURS_PROMPTING, BLOCKS_FINE_TUNING),
        "fine-tuning": (FAVOURS_FINE_TUNING,),
        "hybrid": (FAVOURS_FINE_TUNING, FAVOURS_HYBRID),
    }[choice]
    marked = [
        Reason(
            r.criterion,
            r.effect,
            r.explanation,
            r.criterion in decisive and r.effect in supporting,
        )
        for r in reasons
    ]
    marked.sort(key=lambda r: not r.decisive)  # stable: decisive first, order kept
    return Recommendation(choice=choice, summary=summary, reasons=marked, inputs=a)


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
