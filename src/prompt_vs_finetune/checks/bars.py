"""Bars for design exercises, computed from a baseline measured in the same notebook.

A design exercise never compares with a number fixed in code: the bar is what a
baseline measured on the same items reaches, so the exercise is as hard on any seed
and any model. Each check module keeps its baseline in a function (``baseline()``),
which tests replace to show that the bar moves with it.

- ``beats(candidate, baseline)``: the candidate is right on more of the same items, by
  McNemar's exact test at the 5% level (the paired difference and its interval shown).
- ``reaches(value, reference)``: a value at or above the low end of a reference rate's
  95% interval, for "as good as the fine-tune, within its noise".
- ``MIN_ITEMS``: the fewest items a paired bar may be judged on.
- ``on_dev(prompt)``: a prompt scored on the whole dev split (100 tickets), the items
  every prompt-writing bar is judged on; ``dev_baseline()`` is the instruction-only
  (0-shot) prompt there, one stored measurement shared by every set.
"""

from __future__ import annotations

from typing import Any

from prompt_vs_finetune.checks.core import NotYet, default_model
from prompt_vs_finetune.data import load_tickets
from prompt_vs_finetune.measure.evaluate import Evaluation, evaluate
from prompt_vs_finetune.measure.intervals import Paired, Rate, correct_of, paired
from prompt_vs_finetune.prompting.fewshot import build_prompt

__all__ = ["ALPHA", "MIN_ITEMS", "beats", "dev_baseline", "on_dev", "reaches", "same_items"]

ALPHA = 0.05
MIN_ITEMS = 100


def same_items(candidate: Any, baseline: Any) -> None:
    """Raise NotYet unless two evaluations scored the same items in the same order."""
    if list(candidate.ids) != list(baseline.ids):
        raise NotYet(
            "your measurement and the baseline scored different tickets; measure yours on "
            "the same tickets (the helper in the notebook does)."
        )
    if len(candidate.ids) < MIN_ITEMS:
        raise NotYet(
            f"{len(candidate.ids)} items cannot settle a comparison; the bar needs at "
            f"least {MIN_ITEMS}."
        )


def beats(
    candidate: Any, baseline: Any, *, what: str = "yours", against: str = "the baseline"
) -> tuple[bool, str, Paired]:
    """Does ``candidate`` beat ``baseline`` on the same items by a paired test?

    Both are Evaluations. Returns (ok, a sentence with the paired difference, its 95%
    interval and McNemar's p, the comparison itself).
    """
    same_items(candidate, baseline)
    cmp = paired(correct_of(baseline), correct_of(candidate))
    ok = cmp.difference > 0 and cmp.p_value < ALPHA
    sentence = (
        f"{what} {cmp.rate_b:.3f} against {against} {cmp.rate_a:.3f} on the same "
        f"{cmp.n} items: difference {cmp.difference:+.3f} [{cmp.low:+.3f}, {cmp.high:+.3f}], "
        f"McNemar p={cmp.p_value:.3g} ({cmp.b_only} items only {what} got right, "
        f"{cmp.a_only} only {against})"
    )
    return ok, sentence, cmp


def reaches(value: float, reference: Rate, *, what: str = "yours", against: str = "it") -> tuple[
    bool, str
]:
    """Is ``value`` at or above the low end of ``reference``'s 95% interval?"""
    ok = value >= reference.low
    sentence = (
        f"{what} {value:.3f}; {against} {reference.value:.3f} with 95% interval "
        f"[{reference.low:.3f}, {reference.high:.3f}]"
    )
    return ok, sentence


def on_dev(prompt: Any, task_name: str = "category", *, what: str = "your prompt") -> Evaluation:
    """``prompt`` scored on every dev ticket of ``task_name`` (stored; a bar shows progress)."""
    task = load_tickets(task_name)
    note = (
        f"Measuring {what} on the {len(task.dev)} dev tickets first (once; stored for "
        "later). The bar below shows the time left."
    )
    return evaluate(default_model(), task, prompt, split="dev", progress=note)


def dev_baseline(task_name: str = "category") -> Evaluation:
    """The instruction-only (0-shot) prompt on the whole dev split: the shared baseline."""
    task = load_tickets(task_name)
    return on_dev(build_prompt(task, k=0), task_name, what="the 0-shot baseline")
