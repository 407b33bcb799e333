"""Drift: a category appears after the fine-tune was trained (lesson 03).

Pebblewire's ticket fine-tune was trained before feature requests existed:
``course_run("drift")`` is the category recipe on ``load_tickets("category").without("feature")``.
Four systems then meet the test tickets, feature requests included:

- the **drifted fine-tune**, with the instruction it was trained on (five categories);
- the **old prompt**: the course's 8-shot prompt as written before the category existed
  (``before_prompt``: five categories in its instruction and in its examples);
- the **edited prompt**: that prompt with the new category added to the instruction and one
  training ticket of it among the examples (``edited_prompt``: at a seeded place, never
  last, where the model's pull towards the last example's label is strongest);
- the **retrained fine-tune**: the category recipe, which saw the new category.

Every system is scored over all six labels: the new label is allowed as an answer but
nothing in the old systems mentions it (restricted to the five labels it knew, a system gets
every new ticket wrong by construction). ``drift_study`` scores the four with ``evaluate`` on
the whole test split, once; the new category's tickets are read out of that.
``fix_times`` sets the two fixes side by side: machine seconds measured here (scoring the
edited prompt on the test split; the retrain's training, from its run's history) and
people's hours from ``Assumptions`` (``prompt_hours_per_version``, ``retrain_hours``).
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from prompt_vs_finetune.economics.assumptions import PRESETS, Assumptions
from prompt_vs_finetune.measure.evaluate import Evaluation, evaluate
from prompt_vs_finetune.measure.intervals import Paired, Rate, correct_of, paired, rate
from prompt_vs_finetune.prompting.fewshot import FewShotPrompt, build_prompt
from prompt_vs_finetune.ui.tables import Table

__all__ = [
    "DRIFTED",
    "EDITED",
    "NEW_LABEL",
    "OLD_PROMPT",
    "RETRAINED",
    "DriftStudy",
    "before_prompt",
    "drift_study",
    "edited_prompt",
    "fix_times",
    "summary",
]

#: The category held out of the drifted fine-tune (its run is ``course_run("drift")``).
NEW_LABEL = "feature"
DRIFTED, OLD_PROMPT = "drifted fine-tune", "old prompt"
EDITED, RETRAINED = "edited prompt", "retrained fine-tune"


def before_prompt(task: Any, label: str = NEW_LABEL, *, k: int = 8, seed: int = 0) -> FewShotPrompt:
    """The k-shot prompt written before ``label`` existed, scored over all of ``task``'s labels."""
    old = build_prompt(task.without(label), k=k, seed=seed)
    return dataclasses.replace(old, labels=tuple(task.labels))


def edited_prompt(
    prompt: FewShotPrompt, task: Any, label: str = NEW_LABEL, *, seed: int = 0
) -> FewShotPrompt:
    """``prompt`` with ``task``'s instruction (which lists ``label``) and one seeded training
    example of ``label`` placed among its examples, never last."""
    rng = random.Random(seed)
    shown = rng.choice([ex for ex in task.train if ex.label == label])
    examples = list(prompt.examples)
    examples.insert(rng.randrange(len(examples)) if examples else 0, shown)
    return dataclasses.replace(
        prompt, instruction=task.instruction, examples=tuple(examples), labels=tuple(task.labels)
    )


@dataclass(frozen=True)
class DriftStudy:
    """The four systems on the whole test split (``evaluations``, by name), the new label,
    the training seconds of the retrain and of the drifted run (their histories), and how
    many training tickets of the new label the retrain saw."""

    label: str
    evaluations: Mapping[str, Evaluation]
    train_seconds: float
    drifted_seconds: float
    new_examples: int

    def flags(self, name: str, *, new_only: bool = False) -> list[int]:
        """1/0 per test ticket for system ``name``; only the new label's tickets if asked."""
        ev = self.evaluations[name]
        return [c for c, g in zip(correct_of(ev), ev.gold, strict=True)
                if not new_only or g == self.label]  # fmt: skip

    def rate(self, name: str, *, new_only: bool = False) -> Rate:
        """System ``name``'s accuracy with its 95% interval."""
        return rate(self.flags(name, new_only=new_only))

    def compare(self, a: str, b: str, *, new_only: bool = False) -> Paired:
        """``b`` minus ``a`` on the same tickets: difference, interval, McNemar's test."""
        return paired(self.flags(a, new_only=new_only), self.flags(b, new_only=new_only))

    def table(self) -> Table:
        """One row per system: accuracy on the new label's tickets and on all test tickets."""
        return Table(
            {"system": name, f"{self.label} tickets": str(self.rate(name, new_only=True)),
             "all test tickets": str(self.rate(name))}
            for name in self.evaluations
        )  # fmt: skip


def drift_study(
    lm: Any, task: Any, drifted: Any, retrained: Any, label: str = NEW_LABEL, *, k: int = 8,
    seed: int = 0,
) -> DriftStudy:  # fmt: skip
    """Score the four systems on ``task``'s test split (``drifted`` and ``retrained`` are
    fine-tune runs, e.g. ``course_run("drift")`` and ``course_run("category")``)."""
    old = before_prompt(task, label, k=k, seed=seed)
    tuned = build_prompt(task, k=0, instruction=task.without(label).instruction)
    evaluations = {
        DRIFTED: evaluate(drifted.lm, task, tuned),
        OLD_PROMPT: evaluate(lm, task, old),
        EDITED: evaluate(lm, task, edited_prompt(old, task, label, seed=seed)),
        RETRAINED: evaluate(retrained.lm, task, k=0),
    }
    new = sum(ex.label == label for ex in task.train)
    return DriftStudy(label, evaluations, float(retrained.seconds), float(drifted.seconds), new)


def fix_times(study: DriftStudy, assumptions: Assumptions) -> dict[str, dict[str, float]]:
    """Each fix's machine seconds (measured) and people's hours (assumed), by fix."""
    check = study.evaluations
    return {
        "edit the prompt": {"seconds": check[EDITED].seconds,
                            "people_hours": assumptions.prompt_hours_per_version},
        "retrain the fine-tune": {"seconds": study.train_seconds,
                                  "people_hours": assumptions.retrain_hours},
    }  # fmt: skip


def _fixes(study: DriftStudy, name: str, assumptions: Assumptions) -> str:
    fixes = fix_times(study, assumptions)
    parts = [f"{fix}: {t['seconds']:.0f} s of machine time"
             + (f" + {t['people_hours']:g} h of people's time" if t["people_hours"] else "")
             for fix, t in fixes.items()]  # fmt: skip
    return f"{name}: " + "; ".join(parts)


def _reading(study: DriftStudy) -> str:
    """What the paired comparisons on the new label's tickets say, in words."""
    edit = study.compare(DRIFTED, EDITED, new_only=True)
    retrain = study.compare(EDITED, RETRAINED, new_only=True)
    label = study.label
    first = (
        f"the edit gets {label} tickets right that the drifted fine-tune cannot"
        if edit.low > 0
        else f"the edit gets no more {label} tickets right than the drifted fine-tune: a prompt "
        f"edit only fixes what the model can already do from a prompt"
    )
    second = (
        "the retrain learned the category"
        if retrain.low > 0
        else "the retrain is not shown to do better on them"
    )
    return f"{first}; {second}"


def summary(study: DriftStudy, presets: Mapping[str, Assumptions] = PRESETS) -> list[str]:
    """The study in sentences built from its numbers (one line each)."""
    new = {name: study.rate(name, new_only=True) for name in study.evaluations}
    rates = ", ".join(f"{name} {r.successes}/{r.n}" for name, r in new.items())
    label = study.label
    lines = [
        f"right on the {label} tickets: {rates}",
        f"edited prompt minus drifted fine-tune, {label} tickets: "
        f"{study.compare(DRIFTED, EDITED, new_only=True)}",
        f"edited prompt minus drifted fine-tune, all tickets: {study.compare(DRIFTED, EDITED)}",
        f"retrained fine-tune minus edited prompt, {label} tickets: "
        f"{study.compare(EDITED, RETRAINED, new_only=True)}",
        _reading(study),
        f"the retrain learned from {study.new_examples} labelled {label} tickets, the edit "
        f"shows one; the retrain's training took {study.train_seconds:.0f} s when it was run, "
        f"the same recipe without them {study.drifted_seconds:.0f} s",
    ]
    return lines + [_fixes(study, name, a) for name, a in presets.items()]
