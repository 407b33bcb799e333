"""Checks of exercise set 08 (solutions/08_learning_curve_exercises.ipynb).

08.4 (predict): how many of the session's edits beat the version they edited by a paired
test on the 60 dev tickets. 08.5 (read): the queue fine-tune's curves, with the step whose
weights to keep. 08.6 (design): the patience of an early-stopping rule that keeps every
course run within the noise of its best dev accuracy, in the fewest training steps.

The truths come from stored measurements: lesson 04 and 08's evaluations of the versions,
and the course runs' curves (``course_run_curves``); nothing is trained here.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from prompt_vs_finetune.checks.bars import ALPHA, reaches
from prompt_vs_finetune.checks.core import NotYet, default_model, exercise, require, retire
from prompt_vs_finetune.checks.ex06 import measured, task_of
from prompt_vs_finetune.checks.predictions import compare, prediction_for
from prompt_vs_finetune.checks.readings import RUN_WORDS, parse
from prompt_vs_finetune.finetune.diagnosis import RunCurves, course_run_curves, diagnose_run
from prompt_vs_finetune.finetune.recipes import COURSE_RUNS
from prompt_vs_finetune.finetune.stopping import EarlyStopping
from prompt_vs_finetune.finetune.training import DEFAULTS
from prompt_vs_finetune.measure.evaluate import Evaluation
from prompt_vs_finetune.measure.intervals import Paired, correct_of, paired, rate
from prompt_vs_finetune.prompting.versions import TICKET_VERSIONS

retire(
    "08.1",
    "Exercise 08.1 (Find where iterating stops paying) was replaced by 08.4 (How many edits "
    "beat the version they edited?), which asks which gains are larger than the noise.",
)
retire(
    "08.2",
    "Exercise 08.2 (Write a version that beats v1) was removed (two tickets of 24 were noise); "
    "08.4 (How many edits beat the version they edited?) covers its idea.",
)
retire(
    "08.3",
    "Exercise 08.3 (Where should the over-fitting run have stopped?) was replaced by 08.6 "
    "(Choose the patience of early stopping).",
)

# --- 08.4: which edits beat the version they edited? ---------------------------------------

N_DEV_VERSIONS = 60  # lessons 04 and 08 score every version on the same 60 dev tickets


def version_runs() -> dict[str, Evaluation]:
    """Every prompt version on the 60 dev tickets, by name (stored by lessons 04 and 08)."""
    task = task_of()
    return {
        v.name: measured(default_model(), task, v, f"{v.name} on the dev tickets",
                         split="dev", n=N_DEV_VERSIONS)
        for v in TICKET_VERSIONS
    }  # fmt: skip


def edit_comparisons(runs: dict[str, Any]) -> dict[str, Paired]:
    """Each edited version against the version it edited (its ``base``), ticket by ticket."""
    return {
        v.name: paired(correct_of(runs[v.base]), correct_of(runs[v.name]))
        for v in TICKET_VERSIONS
        if v.base is not None
    }


def beats_its_base(comparison: Paired) -> bool:
    """The course's paired bar (as in ``checks.bars.beats``): ahead, McNemar p below 5%."""
    return comparison.difference > 0 and comparison.p_value < ALPHA


@exercise(
    "08.4",
    kind="predict",
    title="How many edits beat the version they edited?",
    task=(
        "set `real_gains` to the number of edits (v2 to v8) that beat the version they edited "
        "on the 60 dev tickets by McNemar's test at the 5% level."
    ),
    hints=[
        "The check pairs each version with its `base` (the version it edited, not always the "
        "one before it) on the same 60 dev tickets and counts the edits that are ahead with "
        "a McNemar p-value below 0.05. Edits that lowered accuracy do not count, however "
        "clear the loss.",
        "For each v in TICKET_VERSIONS[1:]: c = paired(correct_of(runs[v.base]), "
        "correct_of(runs[v.name])); count it when c.difference > 0 and c.p_value < 0.05.",
    ],
    solution=(
        "comparisons = [paired(correct_of(runs[v.base]), correct_of(runs[v.name]))\n"
        "               for v in TICKET_VERSIONS[1:]]\n"
        "real_gains = sum(c.difference > 0 and c.p_value < 0.05 for c in comparisons)"
    ),
)
def _real_gains(real_gains: Any) -> tuple[bool, str]:
    require(real_gains, int, "a whole number of edits, like 3")
    first = prediction_for("08.4")
    require(first.value, float, "your prediction as a number of edits (record it with predict)")
    comparisons = edit_comparisons(version_runs())
    truth = sum(map(beats_its_base, comparisons.values()))
    if real_gains != truth:
        return False, _why_not_gains(real_gains, comparisons)
    raised = sum(c.difference > 0 for c in comparisons.values())
    losses = sum(c.difference < 0 and c.p_value < ALPHA for c in comparisons.values())
    return True, (
        f"{compare(first, truth, digits=0)} {raised} of the {len(comparisons)} edits raised "
        f"dev accuracy, {truth} by more than the noise; {losses} lowered it by more than the "
        "noise. On 60 tickets an edit must win by many tickets to show: most gains a session "
        "keeps are within the noise, so test the kept version on unseen tickets, and judge "
        "the curve by its intervals rather than by each step."
    )


def _why_not_gains(answer: int, comparisons: dict[str, Paired]) -> str:
    values = comparisons.values()
    if answer == sum(c.difference > 0 for c in values):
        return "that counts every edit that raised dev accuracy; count those that pass the test."
    if answer == sum(c.p_value < ALPHA for c in values):
        return "that counts clear changes in either direction; count only the gains."
    if answer == sum(c.low > 0 for c in values):
        return (
            "that counts the intervals wholly above zero; the check's bar is McNemar's p below "
            "0.05 (the two can disagree at the edge: on 60 tickets, a gain of a few tickets is "
            "right at it)."
        )
    return (
        f"{answer} is not the count: pair each edit with its base (v3 edited v1; v6, v7 and "
        "v8 edited v5) and count those ahead with p below 0.05."
    )


# --- 08.5: read the queue fine-tune's curves -----------------------------------------------


def queue_curves() -> RunCurves:
    """The queue fine-tune's losses and dev curve (stored; lesson 06 trained the run)."""
    return course_run_curves("queue")


@exercise(
    "08.5",
    kind="read",
    title="Read the queue fine-tune's curves",
    task=(
        "set `reading` to (diagnosis, step): 'healthy', 'overfitting' or 'diverged', and the "
        "step whose weights you would keep."
    ),
    hints=[
        "The check reads the run by lesson 04's rules: diverged if the loss blew up, became "
        "NaN or never clearly came down, or dev accuracy ended well below where it started; "
        "over-fitting if the loss went to about zero while dev accuracy stalled or fell back "
        "from its best; healthy otherwise. Your step must be the evaluation with the best dev "
        "accuracy (the earliest, on a tie).",
        "Read the whole dev curve, not one dip: does dev accuracy end at or near its best? "
        "Where does the loss end? `diagnose_run(curves)` writes lesson 04's rules out, and "
        "max(curves.dev_curve, key=lambda p: p[1]) gives the best point.",
    ],
    solution=(
        "best_step = max(curves.dev_curve, key=lambda point: point[1])[0]\n"
        "print(diagnose_run(curves))  # lesson 04's rules, to confirm your reading\n"
        "reading = (diagnose_run(curves).verdict, best_step)"
    ),
)
def _queue_reading(reading: Any) -> tuple[bool, str]:
    word, step = parse(reading, RUN_WORDS, int, "the step whose weights you would keep")
    curves = queue_curves()
    found = diagnose_run(curves)
    best_step = found.numbers["dev_best_step"]
    steps = [s for s, _ in curves.dev_curve]
    if word != found.verdict:
        return False, (
            f"'{word}' is not what the curves show. Look at where the loss ends and whether "
            "dev accuracy ends near its best, not at a single dip on the way."
        )
    if step not in steps:
        return False, f"dev accuracy was measured at steps {steps}; keep one of those."
    if step != best_step:
        accuracy = dict(curves.dev_curve)
        return False, (
            f"at step {step} dev accuracy was {accuracy[step]:.2f}; at step {best_step} it "
            f"was {accuracy[best_step]:.2f}. Keep the weights of the best evaluation."
        )
    return True, (
        f"{found}. Keep step {best_step}. One evaluation that drops is not a diagnosis: "
        "read where each curve ends, and how large a drop is next to the noise of the dev "
        "tickets."
    )


# --- 08.6: the patience of early stopping --------------------------------------------------

#: The course runs whose dev curves the stopping rule is replayed on.
RUNS = ("category", "overfit", "queue")
_NO_WEIGHTS = SimpleNamespace(named_parameters=lambda: [])  # a replay keeps no weights


def runs() -> dict[str, RunCurves]:
    """The baseline: each course run's curves, trained to its whole budget (stored)."""
    return {name: course_run_curves(name) for name in RUNS}


def replay(dev_curve: list[tuple[int, float]], patience: int) -> tuple[int, int, float]:
    """Early stopping (``EarlyStopping``) replayed on a recorded dev curve: (the step the run
    stops at, the step whose weights it keeps, their dev accuracy)."""
    stopper = EarlyStopping(patience)
    for step, accuracy in dev_curve:
        if stopper.update(_NO_WEIGHTS, step, accuracy):
            return step, stopper.best_step, stopper.best
    return dev_curve[-1][0], stopper.best_step, stopper.best


def _n_dev(name: str) -> int:
    return int(COURSE_RUNS[name][1].get("n_dev", DEFAULTS["n_dev"]))


def outcome_of(curves: dict[str, RunCurves], patience: int) -> tuple[int, list[str]]:
    """(training steps over every run, the runs whose kept weights miss the bar)."""
    steps, missed = 0, []
    for name, run in curves.items():
        stop, _, kept = replay(run.dev_curve, patience)
        best = max(accuracy for _, accuracy in run.dev_curve)
        n = _n_dev(name)
        if not reaches(kept, rate(round(best * n), n))[0]:
            missed.append(name)
        steps += stop
    return steps, missed


def fewest_steps(curves: dict[str, RunCurves]) -> int:
    """The fewest training steps of a patience that keeps every run within its noise (a
    patience as long as the longest curve never stops, so one always does)."""
    longest = max(len(run.dev_curve) for run in curves.values())
    outcomes = [outcome_of(curves, p) for p in range(1, longest + 1)]
    return min(steps for steps, missed in outcomes if not missed)


@exercise(
    "08.6",
    kind="design",
    title="Choose the patience of early stopping",
    task=(
        "set `patience` to the number of evaluations without a new best after which training "
        "stops: every run must keep weights within the 95% interval of its best dev "
        "accuracy, in as few training steps as possible."
    ),
    hints=[
        "The check replays early stopping on each run's recorded dev curve (category, "
        "overfit, queue): a run stops once `patience` evaluations in a row brought no new "
        "best, and keeps its best weights so far. Each kept accuracy must reach the low end "
        "of the 95% interval of that run's best (on its 48 dev tickets); among the patiences "
        "that do, yours must train the fewest steps.",
        "Write replay(dev_curve, patience) that walks the (step, accuracy) pairs, tracks the "
        "best so far and the evaluations since, and returns the stop step and the kept "
        "accuracy; try patience 1, 2, 3... and keep the first that passes on every run.",
    ],
    solution=(
        "def replay(dev_curve, patience):\n"
        "    best, waited = -1.0, 0\n"
        "    for step, accuracy in dev_curve:\n"
        "        if accuracy > best:\n"
        "            best, waited = accuracy, 0\n"
        "        else:\n"
        "            waited += 1\n"
        "            if waited >= patience:\n"
        "                return step, best\n"
        "    return dev_curve[-1][0], best\n\n"
        "def keeps_near_best(run, p):\n"
        "    best = max(a for _, a in run.dev_curve)\n"
        "    return replay(run.dev_curve, p)[1] >= rate(round(best * 48), 48).low\n\n"
        "patience = next(p for p in range(1, 10)\n"
        "                if all(keeps_near_best(run, p) for run in runs.values()))"
    ),
)
def _patience(patience: Any) -> tuple[bool, str]:
    require(patience, int, "a whole number of evaluations, like 3")
    if patience < 1:
        raise NotYet(f"patience {patience} would stop before training: give 1 or more.")
    curves = runs()
    steps, missed = outcome_of(curves, patience)
    if missed:
        name = missed[0]
        stop, kept_step, kept = replay(curves[name].dev_curve, patience)
        best_step, best = max(curves[name].dev_curve, key=lambda p: (p[1], -p[0]))
        return False, (
            f"with patience {patience} the {name} run stops at step {stop} and keeps step "
            f"{kept_step} ({kept:.2f}), below the noise of its best ({best:.2f} at step "
            f"{best_step}): it stopped at a dip or a pause before the best. More patience."
        )
    fewest = fewest_steps(curves)
    full = sum(run.dev_curve[-1][0] for run in curves.values())
    if steps > fewest:
        return False, (
            f"every run keeps weights near its best, but after {steps} training steps in all; "
            f"a smaller patience does it in {fewest}. Less patience."
        )
    return True, (
        f"every run keeps weights within the noise of its best, after {steps} training steps "
        f"in all instead of {full}. A patience of 1 stops at the first dip, and a dip of a "
        "few tickets is noise on a few dozen dev tickets; a larger one pays for steps that "
        "teach nothing. Choosing it needs what the curves taught you, which is the slower skill."
    )
