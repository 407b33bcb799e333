"""Prompt iteration: edit the text, measure again, keep what helps.

The skill of prompting is a loop: change one thing you can read, re-measure, decide.
This module writes that loop down for the ticket-category task:

- ``PromptVersion``: one version of the prompt, with the edit that made it (``change``)
  and everything that defines it (instruction, context, examples). ``build(task)`` gives
  the ``FewShotPrompt`` the scorer runs.
- ``TICKET_VERSIONS``: the course's own sequence v1..v8, each one readable edit of an
  earlier version (lessons 04 and 08 measure it; the learner's own versions work the same).
- ``evaluate(lm, task, version)`` (``measure.evaluate``) measures one version; the table
  of all versions, its plot and the cost of one turn are in ``prompting.iteration``.
- ``plateau_point``: where the gains per version drop off (claim C16's rule is in claims/).
- ``PROMPT_KNOBS`` and ``FINE_TUNE_KNOBS`` (read by claim C7's rule): one turn of the prompting
  loop against one turn of the training loop, in seconds and in knobs to understand.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from prompt_vs_finetune.prompting.fewshot import FewShotPrompt, build_prompt

__all__ = [
    "CATEGORY_GUIDE",
    "FINE_TUNE_KNOBS",
    "PROMPT_KNOBS",
    "TICKET_VERSIONS",
    "PromptVersion",
    "as_prompt",
    "describe_edit",
    "edit_history",
    "kept_accuracies",
    "leaked_examples",
    "plateau_point",
]

#: One line per category, and Pebblewire's rule for mixed tickets (the edit of v3).
CATEGORY_GUIDE = """\
What each category means:
- billing: charges, refunds, invoices, prices, payments.
- technical: something does not work: internet, wifi, a device, setting it up.
- shipping: orders on their way, deliveries, damaged or wrong items, returns.
- account: login, password, personal details, security of the account.
- cancellation: ending a service or cancelling an order.
- feature: asking for something the product does not do yet.
When a ticket mentions several things, the customer's main request decides."""


@dataclass(frozen=True)
class PromptVersion:
    """One version of a classification prompt and the edit that produced it.

    ``instruction`` is the system text; ``context`` optional extra text after it; ``k``
    examples from the train split chosen by ``strategy`` and laid out in ``order`` (seeded
    by ``seed``). ``calibrate`` scores with contextual calibration (the labels' bias on
    content-free queries is subtracted; see ``scoring``): no weights change, the model
    is only asked three extra, empty questions. ``change`` says, in words, what this
    version edited, and ``base`` which version it edited (the best one kept so far: an edit
    that did not help is reverted, and the next edit starts again from the version kept).
    """

    name: str
    change: str
    instruction: str
    context: str | None = None
    k: int = 0
    strategy: str = "balanced"
    order: str = "shuffled"
    seed: int = 0
    calibrate: bool = False
    base: str | None = None

    def build(self, task: Any) -> FewShotPrompt:
        """The prompt this version describes, for ``task`` (a TaskData)."""
        return build_prompt(
            task,
            k=self.k,
            strategy=self.strategy,
            order=self.order,
            seed=self.seed,
            instruction=self.instruction,
            context=self.context,
        )

    def edit(self, name: str, change: str, **fields: Any) -> PromptVersion:
        """A new version: this one with ``fields`` changed (e.g. ``k=6``), based on this one."""
        return PromptVersion(
            **{**asdict(self), **fields, "name": name, "change": change, "base": self.name}
        )


_V1 = PromptVersion(
    name="v1",
    change="first try: a one-line request, no categories named",
    instruction="Read the customer message and say what kind of message it is.",
)
_V2 = _V1.edit(
    "v2",
    "name the six categories and ask for exactly one",
    instruction=(
        "Classify the customer support ticket into exactly one category: billing, technical, "
        "shipping, account, cancellation or feature."
    ),
)
_V3 = _V1.edit("v3", "correct the model's bias towards some categories (calibrate)", calibrate=True)
_V4 = _V3.edit("v4", "show two solved tickets", k=2)
_V5 = _V4.edit("v5", "show one solved ticket per category (6 examples)", k=6)
_V6 = _V5.edit("v6", "add a one-line definition of each category", context=CATEGORY_GUIDE)
_V7 = _V5.edit("v7", "show two solved tickets per category (12 examples)", k=12)
_V8 = _V5.edit(
    "v8",
    "add the rule for mixed tickets: the main request decides",
    instruction=(
        "Read the customer message and say what kind of message it is. When it mentions "
        "several things, the customer's main request decides."
    ),
)

#: The course's sequence of prompt versions for the ticket-category task: each version is
#: one edit of an earlier one (``base``). It is the history of one real session on the
#: course model: after an edit that lowered dev accuracy, the next edit starts again from
#: the best version kept (v3 edits v1, not v2; v6, v7 and v8 each edit v5).
TICKET_VERSIONS: tuple[PromptVersion, ...] = (_V1, _V2, _V3, _V4, _V5, _V6, _V7, _V8)


def as_prompt(answer: Any, task: Any) -> FewShotPrompt:
    """A learner's prompt as a FewShotPrompt for ``task``.

    Accepts an instruction (a string: zero examples, the task's labels), a
    ``PromptVersion`` or a ``FewShotPrompt`` (which must offer the task's labels).
    """
    if isinstance(answer, str):
        if not answer.strip():
            raise ValueError("the instruction is empty")
        return build_prompt(task, k=0, instruction=answer)
    if isinstance(answer, PromptVersion):
        return answer.build(task)
    if isinstance(answer, FewShotPrompt):
        if tuple(answer.labels) != tuple(task.labels):
            raise ValueError(
                f"the prompt's labels are {list(answer.labels)}, but this task's are "
                f"{list(task.labels)}: build it with build_prompt(task, ...)"
            )
        return answer
    raise TypeError(
        "expected an instruction (a string), a PromptVersion or a FewShotPrompt, "
        f"not {type(answer).__name__}"
    )


def leaked_examples(prompt: FewShotPrompt, examples: Sequence[Any]) -> list[str]:
    """Ids of ``examples`` that ``prompt`` shows as worked examples (scoring them would cheat)."""
    shown = {getattr(ex, "id", None) for ex in prompt.examples}
    return sorted(ex.id for ex in examples if ex.id in shown)


def edit_history(versions: Sequence[PromptVersion] = TICKET_VERSIONS) -> str:
    """Every version's edit, each against the version it was based on (``describe_edit``)."""
    by_name: dict[str, PromptVersion] = {}
    lines = []
    for version in versions:
        base = by_name.get(version.base or "")
        if base is None:
            lines.append(f"{version.name}: {version.change}")
            lines.append(f"  instruction: {version.instruction!r}")
        else:
            lines.append(describe_edit(base, version))
        by_name[version.name] = version
    return "\n".join(lines)


def describe_edit(previous: PromptVersion, version: PromptVersion) -> str:
    """What changed from ``previous`` to ``version``, field by field, in words."""
    lines = [f"{previous.name} -> {version.name}: {version.change}"]
    for name in ("instruction", "context", "k", "strategy", "order", "seed", "calibrate"):
        old, new = getattr(previous, name), getattr(version, name)
        if old == new:
            continue
        if name == "context":
            if old is None:
                lines.append(f"  context added ({len(new.splitlines())} lines):")
                lines += [f"    {line}" for line in new.splitlines()]
            else:
                lines.append("  context " + ("removed" if new is None else f"changed to {new!r}"))
        else:
            lines.append(f"  {name}: {old!r} -> {new!r}")
    return "\n".join(lines)


def _accuracies(accuracies: Sequence[float]) -> list[float]:
    """``accuracies`` as floats, one per prompt version; at least two of them."""
    if isinstance(accuracies, str) or not isinstance(accuracies, Sequence):
        raise TypeError("accuracies must be a list of numbers, one per version")
    values = [float(a) for a in accuracies]
    if len(values) < 2:
        raise ValueError("need at least two versions to talk about gains")
    return values


def kept_accuracies(accuracies: Sequence[float]) -> list[float]:
    """Accuracy of the prompt actually in use after each version was tried.

    A team keeps an edit only if it helps and reverts it otherwise, so what runs in
    production after version i is the best version so far: the running maximum of the
    measured accuracies.
    """
    kept, best = [], -math.inf
    for acc in _accuracies(accuracies):
        best = max(best, float(acc))
        kept.append(best)
    return kept


def plateau_point(accuracies: Sequence[float], threshold: float = 0.02) -> int | None:
    """Index of the version from which on no version beats the best so far by ``threshold``.

    ``accuracies`` in version order (index 0: the first version). The answer is the index
    after the last version that raised the best accuracy by at least ``threshold``: from
    there on, iterating no longer pays that much. None when the last version itself still
    did (no plateau yet).
    """
    values = _accuracies(accuracies)
    best, last_big = values[0], 0
    for i in range(1, len(values)):
        if values[i] - best >= threshold:
            last_big = i
        best = max(best, values[i])
    return None if last_big == len(values) - 1 else last_big + 1


#: What a learner must understand to act on one turn of each loop.
PROMPT_KNOBS: tuple[str, ...] = ("the prompt text (instruction, definitions, examples)",)
FINE_TUNE_KNOBS: tuple[str, ...] = (
    "method (LoRA or full)",
    "learning rate",
    "steps",
    "batch size",
    "LoRA rank",
    "LoRA alpha",
    "target modules",
    "training-set size",
    "max tokens per text",
    "evaluation interval",
)
