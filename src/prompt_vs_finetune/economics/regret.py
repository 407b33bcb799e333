"""The cost of choosing wrong: a fine-tune prompting would have served, or the reverse.

At V requests a month over the horizon H, with U the fine-tune's upfront bill
(``costs.fine_tune_upfront_cost``) and s what a tuned request saves: **fine-tuned
needlessly** (its extra accuracy was not needed) loses U - H x V x s and the project's
person-weeks (``Assumptions.people_weeks``); **kept prompting** (the fine-tune would have
paid) loses H x V x s - U (negative below break-even) plus the accuracy given up: the
paired difference d (fine-tune minus prompt) is V x d wrong answers a month, each worth
``value_per_correct_answer``. They cost the same at V* = 2U / (H x (2s + d x value))
(``crossover``); what depends on d is a ``Span`` over d's 95% interval.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from prompt_vs_finetune.economics.assumptions import Assumptions, as_assumptions
from prompt_vs_finetune.economics.costs import compare_at_volume, fine_tune_upfront_cost
from prompt_vs_finetune.economics.plots import short_number
from prompt_vs_finetune.economics.presets import presets_or_default
from prompt_vs_finetune.ui.tables import Table

__all__ = ["EITHER", "KEPT", "NEEDLESS", "Mistakes", "RegretInputs", "Span", "crossover",
           "mistakes", "mistakes_table", "summary"]  # fmt: skip

NEEDLESS, KEPT, EITHER = "fine-tuned needlessly", "kept prompting", "either, within d's interval"


class Span(NamedTuple):
    """A figure at the low end of d's 95% interval, at the measured d, and at the high end."""

    at_low: float | None
    at_d: float | None
    at_high: float | None

    def text(self, show: Callable[[float | None], str]) -> str:
        """``show(at_d) [show(at_low) .. show(at_high)]``."""
        return f"{show(self.at_d)} [{show(self.at_low)} .. {show(self.at_high)}]"


@dataclass(frozen=True)
class RegretInputs:
    """Measured tokens per request, training seconds, and the paired accuracy difference
    d (fine-tune minus prompt on the same items) over its 95% interval."""

    prompt_tokens_in: float
    tuned_tokens_in: float
    tokens_out: float
    train_seconds: float
    d: Span

    @classmethod
    def from_pair(cls, pair: Any, measured: Mapping[str, Any]) -> RegretInputs:
        """From a ``decision.evidence.MeasuredPair`` (tokens of its two sides, its paired
        comparison) and ``measured_inputs()`` (answer tokens, the run's training seconds)."""
        c, seconds = pair.comparison, measured["train_seconds_by_run"][pair.task.run]
        return cls(pair.prompt.tokens, pair.tuned.tokens, measured["tokens_out"], seconds,
                   Span(c.low, c.difference, c.high))  # fmt: skip

    def span(self, f: Callable[[float], float | None]) -> Span:
        """``f(d)`` at the ends of d's interval and at d."""
        return Span(*(f(value) for value in self.d))


@dataclass(frozen=True)
class Mistakes:
    """Both wrong choices at one volume (money in the assumptions' currency)."""

    upfront: float
    person_weeks: float
    saving: float  # what the tuned requests save over the horizon
    break_even: float | None  # money alone, requests a month (None: never)
    fine_tuned_needlessly: float  # upfront - saving
    wrong_per_month: Span  # extra wrong answers a month when prompting is kept
    kept_prompting: Span  # saving - upfront + the accuracy given up, in money

    @property
    def costlier(self) -> str:
        """``NEEDLESS`` or ``KEPT`` when both ends of d's interval agree, else ``EITHER``."""
        at_low = self.kept_prompting.at_low > self.fine_tuned_needlessly
        at_high = self.kept_prompting.at_high > self.fine_tuned_needlessly
        return EITHER if at_low != at_high else KEPT if at_low else NEEDLESS


def mistakes(
    volume: float, inputs: RegretInputs, assumptions: Assumptions | None = None
) -> Mistakes:
    """Both mistakes at ``volume`` requests a month under ``assumptions`` (default: TEAM)."""
    a = as_assumptions(assumptions)
    upfront = fine_tune_upfront_cost(inputs.train_seconds, a).total
    both = compare_at_volume(volume, inputs.prompt_tokens_in, inputs.tuned_tokens_in,
                             inputs.tokens_out, upfront, a.prices,
                             horizon_months=a.horizon_months)  # fmt: skip
    saving = both["total_prompting"] - both["total_tuned"] + upfront
    worth = a.horizon_months * a.value_per_correct_answer
    return Mistakes(upfront, a.people_weeks, saving, both["break_even"], upfront - saving,
                    inputs.span(lambda d: volume * d),
                    inputs.span(lambda d: saving - upfront + worth * volume * d))  # fmt: skip


def crossover(inputs: RegretInputs, assumptions: Assumptions | None = None) -> Span:
    """V*, the volume (requests a month) above which keeping prompting is the costlier
    mistake, over d's interval (a higher d gives a lower V*); None: at no volume."""
    a = as_assumptions(assumptions)
    one = mistakes(1.0, inputs, a)  # one request a month: ``saving`` is H x s

    def volume(d: float) -> float | None:
        rate = 2 * one.saving + a.horizon_months * a.value_per_correct_answer * d
        return 2 * one.upfront / rate if rate > 0 else None

    return inputs.span(volume)


def _count(value: float | None) -> str:
    return "never" if value is None else short_number(value)


def mistakes_table(
    inputs: RegretInputs, volumes: Iterable[float], presets: Mapping[str, Assumptions] | None = None
) -> Table:
    """Both mistakes for each scenario (default ``PRESETS``) at each volume, one row each;
    a figure that depends on d reads "at d [at d's low end .. at its high end]"."""
    rows = []
    for name, a in presets_or_default(presets).items():
        for volume in volumes:
            m = mistakes(volume, inputs, a)
            rows.append({"scenario": name, "requests_per_month": volume,
                         "fine-tuned needlessly": a.prices.money(m.fine_tuned_needlessly),
                         "kept prompting": m.kept_prompting.text(a.prices.money),
                         "wrong answers a month": m.wrong_per_month.text(_count),
                         "costlier": m.costlier})  # fmt: skip
    return Table(rows)


def summary(inputs: RegretInputs, presets: Mapping[str, Assumptions] | None = None) -> list[str]:
    """One sentence per scenario: the fine-tune's bill, weeks and break-even, and ``crossover``."""
    lines = []
    for name, a in presets_or_default(presets).items():
        m, v = mistakes(0.0, inputs, a), crossover(inputs, a)
        lines.append(
            f"{name}: a needless fine-tune costs {a.prices.money(m.upfront)} and "
            f"{m.person_weeks:.1f} person-weeks; its shorter requests repay that from "
            f"{_count(m.break_even)} requests a month. Keeping prompting is the costlier "
            f"mistake above {_count(v.at_d)} requests a month ({_count(v.at_high)} to "
            f"{_count(v.at_low)} over d's 95% interval)."
        )
    return lines
