"""Checks of exercise set 08 (solutions/08_learning_curve_exercises.ipynb)."""

from __future__ import annotations

import re
from typing import Any

from prompt_vs_finetune.checks.core import NotYet, default_model, exercise
from prompt_vs_finetune.checks.prompt_answers import score_on
from prompt_vs_finetune.data import load_tickets
from prompt_vs_finetune.finetune.diagnosis import course_run_curves
from prompt_vs_finetune.measure.evaluate import Evaluation
from prompt_vs_finetune.prompting.iteration import measure_versions
from prompt_vs_finetune.prompting.versions import TICKET_VERSIONS, plateau_point

#: Exercise 08.1: the gain below which a version counts as "no longer paying".
GAIN_THRESHOLD = 0.02
#: The measurement lessons 04 and 08 made (the check reads it from the results store).
SPLIT, N_VERSION_TICKETS = "dev", 60

#: Exercise 08.2: the fixed subset, and the prompt-size budget (mean tokens per request).
N_TICKETS = 24
TOKEN_BUDGET = 200


def version_table():
    """Lessons 04 and 08's measured versions (accuracy, improvement...), from the store."""
    return measure_versions(
        default_model(), load_tickets(), TICKET_VERSIONS, split=SPLIT, n=N_VERSION_TICKETS
    )


def _version_number(answer: Any) -> int:
    if isinstance(answer, bool):
        raise NotYet(f"expected a version number such as 4 (or 'v4'), not {answer!r}.")
    if isinstance(answer, int):
        return answer
    if isinstance(answer, str):
        found = re.fullmatch(r"\s*v?(\d+)\s*", answer.lower())
        if found:
            return int(found.group(1))
    raise NotYet(f"expected a version number such as 4 (or 'v4'), not {answer!r}.")


def plateau_version(accuracies: list[float], threshold: float = GAIN_THRESHOLD) -> int:
    """Number (1 = v1) of the version from which on no version raises the best accuracy so
    far by ``threshold`` or more; 0 if the last version still did."""
    index = plateau_point(accuracies, threshold)
    return 0 if index is None else index + 1


@exercise(
    "08.1",
    kind="design",
    title="Find where iterating stops paying",
    task=(
        "set `plateau_version` to the number of the first version from which on no version "
        f"raised the best accuracy so far by {GAIN_THRESHOLD} or more (e.g. 4 for v4)."
    ),
    hints=[
        "The check reads the `improvement` column of the measured table: how much each "
        "version raised the best accuracy kept so far (0 for an edit that did not beat it). "
        f"It finds the last version with an improvement of at least {GAIN_THRESHOLD} and "
        "wants the version right after it: from there on, nothing paid that much.",
        "Collect the versions whose improvement is at least the threshold: "
        f"`big = [r['version'] for r in table[1:] if r['improvement'] >= {GAIN_THRESHOLD}]`. "
        "The answer is the number of the last one, plus one.",
    ],
    solution=(
        "big = [int(r['version'][1:]) for r in table[1:]\n"
        f"       if r['improvement'] >= {GAIN_THRESHOLD}]\n"
        "plateau_version = big[-1] + 1"
    ),
)
def _plateau(plateau_version: Any) -> tuple[bool, str]:
    number = _version_number(plateau_version)
    table = version_table()
    truth = plateau_version_of(table)
    if truth == 0:
        return False, "in this measurement the last version still paid: there is no plateau."
    if not 1 <= number <= len(table):
        return False, f"there are versions v1 to v{len(table)}; {number} is not one of them."
    if number == truth:
        last = table[truth - 2]
        return True, (
            f"{last['version']} ({last['change']}) was the last edit to raise the best accuracy "
            f"by {GAIN_THRESHOLD} or more (+{last['improvement']:.3f}); from v{truth} on, "
            "iterating stopped paying."
        )
    row = table[number - 1]
    if number > truth:
        return False, (
            f"no version from v{truth} on raised the best accuracy by {GAIN_THRESHOLD}: the "
            "plateau starts earlier than your answer."
        )
    later = [r["version"] for r in table[number - 1 :] if (r["improvement"] or 0) >= GAIN_THRESHOLD]
    return False, (
        f"from v{number} on, {', '.join(later)} still raised the best accuracy by "
        f"{GAIN_THRESHOLD} or more (v{number}: improvement {row['improvement'] or 0:+.3f})."
    )


def plateau_version_of(table: Any) -> int:
    """``plateau_version`` of a table from ``measure_versions``."""
    return plateau_version(table.column("accuracy"))


def fixed_tickets() -> tuple[Any, ...]:
    """The 24 dev tickets exercise 08.2 is measured on: the first 24 of lesson 04's 60."""
    return load_tickets().subset("dev", 60, seed=0)[:N_TICKETS]


def score_prompt(answer: Any) -> Evaluation:
    """Accuracy and mean prompt tokens of a prompt on the 24 fixed dev tickets."""
    return score_on(answer, fixed_tickets())


@exercise(
    "08.2",
    kind="design",
    title="Write a version that beats v1",
    task=(
        f"set `my_version` to a prompt (a PromptVersion, an instruction or a FewShotPrompt) "
        f"that beats v1 on the {N_TICKETS} fixed tickets in at most {TOKEN_BUDGET} prompt "
        "tokens per ticket."
    ),
    hints=[
        f"The check scores v1 and your prompt on the same {N_TICKETS} dev tickets and wants "
        f"more of them right than v1 gets, with a mean prompt size of at most {TOKEN_BUDGET} "
        "tokens (ticket included). Many examples would blow the budget: edit the text.",
        "Look at lesson 04's table for an edit that raised accuracy without adding many "
        "tokens: `calibrate=True` adds none per ticket, and two solved tickets (`k=2`) stay "
        "within the budget. Start from v1: `TICKET_VERSIONS[0].edit('mine', 'what I "
        "changed', ...)`; `score_prompt(my_version)` shows accuracy and tokens before you check.",
    ],
    solution=(
        'my_version = TICKET_VERSIONS[0].edit("mine", "calibrate", calibrate=True)\n\n'
        "# Calibration corrects the model's lean towards a few categories and costs no prompt "
        "token per ticket."
    ),
)
def _beat_v1(my_version: Any) -> tuple[bool, str]:
    try:
        mine = score_prompt(my_version)
    except (TypeError, ValueError) as exc:
        raise NotYet(str(exc)) from None
    v1 = score_prompt(TICKET_VERSIONS[0])
    got = (
        f"your prompt gets {mine.correct} of {mine.n} right in {mine.mean_tokens:.0f} tokens "
        f"per ticket; v1 gets {v1.correct}"
    )
    if mine.mean_tokens > TOKEN_BUDGET:
        return False, f"{got}, but the budget is {TOKEN_BUDGET} tokens: make it shorter."
    if mine.correct > v1.correct:
        return True, got + "."
    return False, f"{got}: it must get more right than v1. Try another edit."


def _overfit_best_steps() -> tuple[list[int], list[tuple[int, float]]]:
    curve = course_run_curves("overfit").dev_curve
    best = max(acc for _, acc in curve)
    return [step for step, acc in curve if acc == best], curve


@exercise(
    "08.3",
    kind="design",
    title="Where should the over-fitting run have stopped?",
    task="set `stop_step` to the training step at which the over-fitting run was at its best.",
    hints=[
        "The check reads the over-fitting run's dev curve: (step, dev accuracy) pairs. The "
        "best moment to stop is a step where dev accuracy was highest, not where the "
        "training loss was lowest. Step 0 is the model before training.",
        "`runs = {'overfit': course_run_curves('overfit')}`; take "
        "`max(runs['overfit'].dev_curve, key=lambda p: p[1])[0]`: the step of the best point.",
    ],
    solution="stop_step = max(course_run_curves('overfit').dev_curve, key=lambda p: p[1])[0]",
)
def _stop_step(stop_step: Any) -> tuple[bool, str]:
    if isinstance(stop_step, bool) or not isinstance(stop_step, int):
        raise NotYet(f"expected a step number (an int), like 30; got {stop_step!r}.")
    best_steps, curve = _overfit_best_steps()
    steps = [s for s, _ in curve]
    accuracy = dict(curve)
    if stop_step in best_steps:
        return True, (
            f"at step {stop_step} dev accuracy was {accuracy[stop_step]:.2f}, its best; "
            f"training on to step {steps[-1]} ended at {curve[-1][1]:.2f}."
        )
    if stop_step not in accuracy:
        return False, f"the run was evaluated at steps {steps}; pick one of them."
    if stop_step == steps[-1]:
        return False, "that is where training ended, not where the model was at its best."
    return False, (
        f"at step {stop_step} dev accuracy was {accuracy[stop_step]:.2f}; at another step it "
        "was higher."
    )
