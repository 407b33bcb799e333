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
- ``plateau_point`` and ``verdict_for_c16``: where the gains per version drop off.
- ``PROMPT_KNOBS``, ``FINE_TUNE_KNOBS`` and ``verdict_for_c7``: one turn of the prompting
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
    "verdict_for_c7",
    "verdict_for_c16",
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
    for acc in accuracies:
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


def verdict_for_c16(
    accuracies: Sequence[float], *, early: int = 3, held_out_gain: float | None = None
) -> tuple[str, str]:
    """Does prompt iteration pay off fast, then plateau? From the measured accuracies.

    ``accuracies`` in version order. The rule reads the best accuracy kept after each
    version (the running maximum: an edit that hurt is reverted). Early gain: what the
    first ``early`` edits added to it; late gain: what the same number of last edits
    added. "supported" when the early edits brought most of the total improvement
    (>= 2/3 of it, and at least 3 times what the late edits added); "partly" when early
    beat late but less clearly; "not at this scale" when the late edits added as much as
    the early ones, or nothing improved. ``held_out_gain`` (best version minus first
    version on tickets not used to choose them): when given and not positive, the gain
    did not hold, and the verdict is "not at this scale" whatever the curve.
    """
    values = kept_accuracies(_accuracies(accuracies))
    early = max(1, min(early, (len(values) - 1) // 2))
    early_gain = values[early] - values[0]
    late_gain = values[-1] - values[-1 - early]
    total = max(values) - values[0]
    numbers = (
        f"first {early} edits: {early_gain:+.3f}; last {early} edits: {late_gain:+.3f}; "
        f"best over first version: {total:+.3f}"
    )
    if held_out_gain is not None:
        numbers += f"; on held-out tickets: {held_out_gain:+.3f}"
    if total <= 0:
        return "not at this scale", f"no version beat the first one ({numbers})"
    if held_out_gain is not None and held_out_gain <= 0:
        return "not at this scale", f"the gain did not hold on held-out tickets ({numbers})"
    if early_gain >= 2 / 3 * total and early_gain >= 3 * max(late_gain, 0.0):
        return "supported", f"the early edits brought most of the improvement ({numbers})"
    if early_gain > late_gain:
        return (
            "partly",
            f"early edits helped more, but the curve did not flatten clearly ({numbers})",
        )
    return "not at this scale", f"the late edits helped as much as the early ones ({numbers})"


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


def verdict_for_c7(
    prompt_seconds_per_turn: float,
    train_seconds_per_turn: float,
    diagnoses_right: int,
    diagnoses_total: int,
) -> tuple[str, str]:
    """Is the prompting skill gentler? Only the measurable part: loop cost and knobs.

    The measurable part favours prompting when one prompt turn is at least 3 times faster
    than one training turn and a run's failures need a diagnosis at all (the rules of
    ``training_diagnosis`` had to tell healthy, over-fitting and diverged runs apart:
    ``diagnoses_right`` of ``diagnoses_total``). How long a person takes to learn either
    skill is not measured here, so the verdict is at most "partly".
    """
    if prompt_seconds_per_turn <= 0 or train_seconds_per_turn <= 0:
        raise ValueError("seconds per turn must be positive")
    ratio = train_seconds_per_turn / prompt_seconds_per_turn
    numbers = (
        f"one prompt turn {prompt_seconds_per_turn:.1f} s vs one training turn "
        f"{train_seconds_per_turn:.1f} s ({ratio:.0f}x); knobs {len(PROMPT_KNOBS)} vs "
        f"{len(FINE_TUNE_KNOBS)}; run diagnoses right {diagnoses_right}/{diagnoses_total}"
    )
    if ratio >= 3 and diagnoses_total > 0:
        return "partly", (
            f"the prompting loop is cheaper and has fewer knobs ({numbers}); how fast people "
            "learn each skill was not measured"
        )
    return "not at this scale", f"the prompting loop was not clearly cheaper here ({numbers})"
