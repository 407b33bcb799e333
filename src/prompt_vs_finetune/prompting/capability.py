"""Capability already there: a task the base model does from an instruction alone (lesson 05).

Which Pebblewire product does a ticket name? The name is in the text (PebbleHub, MeshStone,
...), so the task is to find a word and copy it, which a language model learns in
pre-training. ``product_task`` is that view of the tickets (only tickets that name a
product; the label is the product). ``capability_study`` scores the instruction alone
(k=0) and a few-shot prompt with one example per product on the same test tickets, paired
ticket by ticket. When the instruction alone is high and the examples add nothing the
paired test can tell from noise, the capability is already there: prompting is the answer,
and a fine-tune can add at most the tickets the instruction gets wrong (``headroom``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from prompt_vs_finetune.data import PRODUCTS, Example, TaskData, load_tickets
from prompt_vs_finetune.data.task import SPLITS
from prompt_vs_finetune.measure.evaluate import Evaluation, evaluate
from prompt_vs_finetune.measure.intervals import LEVEL, Paired, Rate, correct_of, paired

__all__ = ["HIGH", "CapabilityStudy", "capability_study", "product_task"]

#: What the course calls a high accuracy here: four answers in five right (the bar claim C8
#: sets for schema-valid JSON). A capability is "already there" when the instruction alone
#: clears it with its whole 95% interval.
HIGH = 0.8

PRODUCT_INSTRUCTION = (
    "Name the Pebblewire product the customer support ticket mentions, with exactly one of: "
    + ", ".join(PRODUCTS[:-1])
    + " or "
    + PRODUCTS[-1]
    + "."
)


@cache
def product_task() -> TaskData:
    """The tickets that name a product, labelled with that product (fixed splits)."""
    tickets = load_tickets("category")
    parts = {
        split: tuple(Example(ex.id, ex.text, ex.fields["product"], ex.fields)
                     for ex in tickets.split(split) if ex.fields.get("product"))
        for split in SPLITS
    }  # fmt: skip
    return TaskData("tickets/product", PRODUCTS, PRODUCT_INSTRUCTION, **parts)


@dataclass(frozen=True)
class CapabilityStudy:
    """The instruction alone and a few-shot prompt, scored on the same test tickets."""

    instruction: Evaluation
    fewshot: Evaluation

    @property
    def zero(self) -> Rate:
        """The instruction alone: accuracy with its 95% interval."""
        return self.instruction.interval

    @property
    def gain(self) -> Paired:
        """Few-shot minus instruction alone, ticket by ticket (interval, McNemar's test)."""
        return paired(correct_of(self.instruction), correct_of(self.fewshot))

    @property
    def headroom(self) -> float:
        """The share of tickets the instruction gets wrong: the most any method can add."""
        return 1.0 - self.zero.value

    def summary(self) -> list[str]:
        """The study in sentences built from its numbers, with what they mean."""
        zero, gain, chance = self.zero, self.gain, 1 / len(self.instruction.labels)
        lines = [
            f"instruction alone (k=0): {zero}; chance {chance:.2f}",
            f"{self.fewshot.k}-shot minus instruction alone: {gain}",
            f"a fine-tune could add at most {self.headroom:.0%} of the tickets (those the "
            f"instruction gets wrong)",
        ]
        if zero.low >= HIGH:
            lines.append(
                f"high: the instruction's whole interval lies above {HIGH:.2f}, so the "
                f"capability is already there and prompting is the answer"
            )
        else:
            lines.append(
                f"not high on this model: the interval reaches below {HIGH:.2f}, so this task "
                f"is the best candidate measured, not a capability shown to be there"
            )
        lines.append(_gain_line(gain))
        return lines


def _gain_line(gain: Paired) -> str:
    """What the examples add, judged by the paired interval and McNemar's exact test."""
    clears, significant = not gain.low <= 0 <= gain.high, gain.p_value < 1 - LEVEL
    if not clears and not significant:
        return "the examples add nothing the paired test can tell from noise"
    if clears and significant:
        return f"the examples change the accuracy by {gain.difference:+.2f}, beyond the noise"
    which = (
        "the interval clears zero but McNemar's test does not"
        if clears
        else "McNemar's test clears the noise but the interval does not"
    )
    return (
        f"the examples change the accuracy by {gain.difference:+.2f} (the prompts disagree "
        f"on {gain.a_only + gain.b_only} tickets), at the edge of the noise: {which}"
    )


def capability_study(lm: Any, task: TaskData | None = None, *, k: int = 6) -> CapabilityStudy:
    """Score the instruction alone and a k-shot prompt (seed 0) on ``task``'s test split
    (default: ``product_task()``), through the one evaluation path."""
    task = product_task() if task is None else task
    return CapabilityStudy(evaluate(lm, task, k=0), evaluate(lm, task, k=k))
