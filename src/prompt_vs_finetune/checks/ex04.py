"""Checks of exercise set 04 (solutions/04_skill_requirements_exercises.ipynb).

04.3 (predict): the dev accuracy of the weak prompt once calibrated. 04.4 (design): a
prompt that beats the weak prompt on the 100 dev tickets by a paired test. 04.5 (read):
three training runs with their names hidden, each diagnosed with the step where its dev
accuracy peaked.
"""

from __future__ import annotations

import math
from typing import Any

from prompt_vs_finetune.checks.bars import beats, dev_baseline, on_dev
from prompt_vs_finetune.checks.core import NotYet, exercise, require, retire
from prompt_vs_finetune.checks.predictions import compare, prediction_for
from prompt_vs_finetune.checks.readings import RUN_WORDS, parse
from prompt_vs_finetune.data import load_tickets
from prompt_vs_finetune.finetune.diagnosis import RunCurves, course_run_curves, diagnose_run
from prompt_vs_finetune.measure.evaluate import Evaluation
from prompt_vs_finetune.prompting.fewshot import FewShotPrompt
from prompt_vs_finetune.prompting.versions import (
    TICKET_VERSIONS,
    PromptVersion,
    as_prompt,
    leaked_examples,
)

retire(
    "04.1",
    "Exercise 04.1 (Improve a weak prompt) was replaced by 04.4 (Beat the weak prompt by more "
    "than noise).",
)
retire(
    "04.2",
    "Exercise 04.2 (Diagnose three training runs) was replaced by 04.5 (Diagnose three runs "
    "and find where each peaked).",
)

#: The weak prompt: lesson 04's v2, which names the six categories (the task's own 0-shot
#: instruction, so the shared dev baseline is this prompt on the 100 dev tickets).
WEAK = TICKET_VERSIONS[1]

#: The three runs shown without their names in exercise 04.5.
MYSTERY: dict[str, str] = {"A": "overfit", "B": "wrecked", "C": "category"}


# --- 04.3: predict what calibration does to the weak prompt --------------------------------


def weak_calibrated() -> Evaluation:
    """The weak prompt with calibration on the 100 dev tickets (stored after once)."""
    version = WEAK.edit("v2 calibrated", "calibrate the weak prompt", calibrate=True)
    return on_dev(version, what="the weak prompt with calibration")


@exercise(
    "04.3",
    kind="predict",
    title="Predict what calibration does to the weak prompt",
    task=(
        "set `calibrated_accuracy` to the measured accuracy of the weak prompt with calibration "
        "on the 100 dev tickets (a number between 0 and 1)."
    ),
    hints=[
        "The check scores the weak prompt (lesson 04's v2) with calibrate=True on the whole "
        "dev split and wants that accuracy; your first prediction is set beside it.",
        "evaluate(lm, task, WEAK.edit('mine', 'calibrated', calibrate=True), split='dev')"
        ".accuracy, with `split='dev'` and no `n`, so that every dev ticket counts.",
    ],
    solution=(
        'calibrated = WEAK.edit("v2 calibrated", "calibrate the weak prompt", calibrate=True)\n'
        'calibrated_accuracy = evaluate(lm, task, calibrated, split="dev").accuracy'
    ),
)
def _predict_calibration(calibrated_accuracy: Any) -> tuple[bool, str]:
    require(calibrated_accuracy, float, "an accuracy between 0 and 1, like 0.5")
    first = prediction_for("04.3")
    require(first.value, float, "your prediction as an accuracy (record it with predict)")
    truth, weak = weak_calibrated(), dev_baseline()
    if not math.isclose(calibrated_accuracy, truth.accuracy, abs_tol=0.005):
        if math.isclose(calibrated_accuracy, weak.accuracy, abs_tol=0.005):
            return False, (
                "that is the weak prompt without calibration; score it again with calibrate=True."
            )
        return False, (
            f"{calibrated_accuracy:.3f} is not the calibrated weak prompt's accuracy on the "
            f"{truth.n} dev tickets: score it on split='dev' with no n, with calibrate=True."
        )
    ci = truth.interval
    sentence = compare(first, truth.accuracy, (ci.low, ci.high), digits=2)
    return True, (
        f"{sentence} Without calibration it gets {weak.accuracy:.2f}. Lesson 04 measured "
        "calibration as an edit of v1; v2 names the categories and leans towards others, so "
        "the same edit moves it by another amount. An edit's gain belongs to the version it "
        f"edits, and on {truth.n} tickets each accuracy carries an interval of about "
        f"±{(ci.high - ci.low) / 2:.2f}: only a measurement says what an edit does here."
    )


# --- 04.4: beat the weak prompt by more than noise -----------------------------------------


def baseline() -> Evaluation:
    """The bar of 04.4: the weak prompt on the 100 dev tickets (the shared 0-shot baseline)."""
    return dev_baseline()


def _lesson_version(prompt: FewShotPrompt, calibrate: bool) -> str | None:
    """The name of the lesson-04 version ``prompt`` is, unchanged (the weak one excepted)."""
    task = load_tickets()
    for version in TICKET_VERSIONS:
        same = version.build(task).key() == prompt.key() and version.calibrate == calibrate
        if same and version is not WEAK:
            return version.name
    return None


def candidate(answer: Any) -> PromptVersion | FewShotPrompt:
    """A learner's prompt as ``on_dev`` takes it; NotYet for a wrong type, leaked tickets or
    one of lesson 04's versions as it stands."""
    task = load_tickets()
    try:
        prompt = as_prompt(answer, task)
    except (TypeError, ValueError) as exc:
        raise NotYet(f"{exc}.") from None
    calibrate = bool(getattr(answer, "calibrate", False))
    leaked = leaked_examples(prompt, task.dev)
    if leaked:
        raise NotYet(
            f"your prompt shows dev tickets as examples ({', '.join(leaked[:3])}...): they are "
            "the tickets it is scored on; take examples from the train split."
        )
    name = _lesson_version(prompt, calibrate)
    if name is not None:
        raise NotYet(
            f"that is lesson 04's {name} as it stands; the exercise asks for an edit of your "
            "own (wording, examples, context, calibration), measured by you."
        )
    return answer if isinstance(answer, PromptVersion) else prompt


@exercise(
    "04.4",
    kind="design",
    title="Beat the weak prompt by more than noise",
    task=(
        "set `better` to a prompt (an instruction, a PromptVersion or a FewShotPrompt) that "
        "beats the weak prompt on the 100 dev tickets by a paired test at the 5% level."
    ),
    hints=[
        "The check scores your prompt on the 100 dev tickets and compares it ticket by ticket "
        "with the weak prompt: it must get more right, and McNemar's test on the tickets where "
        "the two disagree must give p < 0.05. A lead of a few tickets is not enough.",
        "Stack edits lesson 04 found useful and measure after each: solved tickets from the "
        "train split (`k=...`), plain wording or a list of definitions (`context=`), and "
        "`calibrate=True` in a PromptVersion: WEAK.edit('mine', 'my edits', k=..., "
        "calibrate=...). One edit alone may fall short: measure the stack after each addition.",
    ],
    solution=(
        "better = WEAK.edit(\n"
        '    "mine", "one solved ticket per category, calibrated", k=6, calibrate=True\n'
        ")"
    ),
)
def _beat_weak(better: Any) -> tuple[bool, str]:
    mine = on_dev(candidate(better))
    weak = baseline()
    ok, sentence, cmp = beats(mine, weak, against="the weak prompt")
    if ok:
        return True, (
            f"{sentence}; {mine.mean_tokens:.0f} prompt tokens per ticket against "
            f"{weak.mean_tokens:.0f}. Every edit is text you can read and undo in a second."
        )
    if cmp.difference > 0:
        return False, (
            f"{sentence}: ahead, but a lead this size on {cmp.n} tickets could be luck "
            "(p ≥ 0.05). Make another edit and measure again."
        )
    return False, f"{sentence}: not ahead of the weak prompt. Make another edit."


# --- 04.5: diagnose three runs and find where each peaked ----------------------------------


def mystery_runs() -> dict[str, RunCurves]:
    """The three runs of exercise 04.5, by letter, without their names (from the store)."""
    return {letter: course_run_curves(name) for letter, name in MYSTERY.items()}


def _readings(answer: Any) -> dict[str, tuple[str, int]]:
    if not isinstance(answer, dict):
        raise NotYet(
            'expected a dict such as {"A": ("healthy", 40), "B": ..., "C": ...}: a diagnosis '
            f"and a step for each run, not a {type(answer).__name__}."
        )
    given = {str(k).strip().upper(): v for k, v in answer.items()}
    missing = [letter for letter in MYSTERY if letter not in given]
    if missing:
        raise NotYet(f"no reading for run {', '.join(missing)}: give one for A, B and C.")
    what = "the step where dev accuracy peaked (0: before training)"
    return {letter: parse(given[letter], RUN_WORDS, int, what) for letter in MYSTERY}


@exercise(
    "04.5",
    kind="read",
    title="Diagnose three runs and find where each peaked",
    task=(
        'set `readings` to a dict giving each run A, B and C a pair: "healthy", "overfitting" '
        'or "diverged", and the step where its dev accuracy peaked.'
    ),
    hints=[
        "For each letter the check compares your word with diagnose_run(runs[letter]) and your "
        "step with the evaluation of runs[letter].dev_curve that has the highest dev accuracy "
        "(the earliest one on a tie; step 0 is the model before training).",
        "Diverged: the loss shoots far above its start or never clearly falls, and dev accuracy "
        "ends below where it began (its peak is then step 0). Over-fitting: the loss goes to "
        "about zero while dev accuracy falls back from an earlier peak. Healthy: both curves "
        "move the right way and hold. max(curve, key=lambda p: p[1]) finds a peak.",
    ],
    solution=(
        "readings = {}\n"
        "for letter, curves in runs.items():\n"
        "    step, _ = max(curves.dev_curve, key=lambda point: (point[1], -point[0]))\n"
        "    readings[letter] = (diagnose_run(curves).verdict, step)"
    ),
)
def _diagnose(readings: Any) -> tuple[bool, str]:
    given = _readings(readings)
    runs = mystery_runs()
    wrong = []
    for letter, (word, step) in given.items():
        truth = diagnose_run(runs[letter])
        peak = truth.numbers["dev_best_step"]
        if word != truth.verdict:
            wrong.append(
                f"run {letter} is not {word}: where does its loss end, and what does its dev "
                "accuracy do after its best evaluation?"
            )
        elif step != peak:
            steps = [s for s, _ in runs[letter].dev_curve]
            wrong.append(
                f"run {letter} is {word}, but its dev accuracy peaked at another of the "
                f"evaluated steps {steps} (the earliest, on a tie)"
            )
    if wrong:
        return False, "; ".join(wrong) + "."
    shown = ", ".join(
        f"{letter} {word} (best dev accuracy at step {step}: {_keep(word, step)})"
        for letter, (word, step) in given.items()
    )
    return True, (
        f"{shown}. Each failure has its own cure: fewer steps or more data for over-fitting, "
        "a smaller learning rate for divergence."
    )


def _keep(word: str, step: int) -> str:
    """What the peak of a run means for the checkpoint to ship."""
    if word == "diverged":
        return "the model before training was better" if step == 0 else "ship none of it"
    return "stop there" if word == "overfitting" else "the checkpoint to keep"
