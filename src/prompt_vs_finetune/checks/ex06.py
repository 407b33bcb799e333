"""Checks of exercise set 06 (solutions/06_where_finetuning_fits_exercises.ipynb).

06.4 (predict): how many of a strong prompt's mistakes the fine-tune gets right. 06.5 (read):
do eight routed examples on top of the company rules help the base model route tickets, and
how many tickets would settle it. 06.6 (design): how cool the prompted model must sample to
be as consistent as the fine-tune sampled at T=1.

Every truth is computed from stored measurements of lesson 06 (and lesson 04's v5 on test);
nothing is trained, and a missing measurement is announced with a progress bar.
"""

from __future__ import annotations

import functools
import math
from typing import Any

import numpy as np

from prompt_vs_finetune.checks.core import NotYet, default_model, exercise, require, retire
from prompt_vs_finetune.checks.predictions import compare, prediction_for
from prompt_vs_finetune.checks.readings import CLAIM_WORDS, parse
from prompt_vs_finetune.claims.verdict import INCONCLUSIVE, status_of
from prompt_vs_finetune.data import QUEUE_RULES, load_tickets
from prompt_vs_finetune.measure.consistency import expected_agreement
from prompt_vs_finetune.measure.evaluate import Evaluation, evaluate
from prompt_vs_finetune.measure.intervals import correct_of, items_to_settle, paired, rate
from prompt_vs_finetune.prompting.fewshot import build_prompt
from prompt_vs_finetune.prompting.versions import TICKET_VERSIONS

retire(
    "06.1",
    "Exercise 06.1 (How many times faster is the median request?) was removed (it copied a "
    "ratio the lesson prints); 06.4 (How often does the fine-tune fix the prompt's mistakes?) "
    "is the set's new measuring exercise.",
)
retire(
    "06.2",
    "Exercise 06.2 (Give the base model Pebblewire's own conventions) was removed; 06.5 (Do "
    "routed examples help the rules?) covers company knowledge in the prompt.",
)
retire(
    "06.3",
    "Exercise 06.3 (Pick the hottest temperature that keeps answers consistent) was replaced "
    "by 06.6 (Sample the prompt as consistently as the fine-tune).",
)

ABS = 0.005  # tolerance on a measured share


@functools.cache
def task_of(name: str = "category") -> Any:
    return load_tickets(name)


@functools.cache
def tuned_lm(name: str = "category") -> Any:
    """The course fine-tune ``name`` (loaded from its checkpoint; trained once by lesson 06)."""
    from prompt_vs_finetune.finetune.recipes import course_run

    return course_run(name, progress=False).lm


def measured(lm: Any, task: Any, prompt: Any, what: str, **where: Any) -> Evaluation:
    """``evaluate`` through the store; says what it measures, with a bar, when it must."""
    note = f"Measuring {what} first (once; stored for later). The bar shows the time left."
    return evaluate(lm, task, prompt, progress=note, **where)


def fine_tune_on_test() -> Evaluation:
    """The category fine-tune with its 0-shot prompt on the 160 test tickets."""
    task = task_of()
    return measured(tuned_lm(), task, build_prompt(task, k=0), "the fine-tune on test")


def v5_on_test() -> Evaluation:
    """Lesson 04's v5 (one example per category, calibrated) on the 160 test tickets."""
    v5 = next(v for v in TICKET_VERSIONS if v.name == "v5")
    return measured(default_model(), task_of(), v5, "lesson 04's v5 on test")


# --- 06.4: where the two approaches disagree ---------------------------------------------


def prompt_and_fine_tune() -> tuple[Evaluation, Evaluation]:
    """(the strong prompt, the fine-tune) on the same test tickets: lesson 06's pair."""
    return v5_on_test(), fine_tune_on_test()


def _fixes(prompted: Any, tuned: Any) -> tuple[int, int]:
    """(tickets the fine-tune gets right among those the prompt gets wrong, those tickets)."""
    pairs = list(zip(correct_of(prompted), correct_of(tuned), strict=True))
    missed = [t for p, t in pairs if not p]
    return sum(missed), len(missed)


@exercise(
    "06.4",
    kind="predict",
    title="How often does the fine-tune fix the prompt's mistakes?",
    task=(
        "set `fixed_share` to the share of the test tickets the prompt gets wrong that the "
        "fine-tune gets right (a number between 0 and 1)."
    ),
    hints=[
        "The check pairs the two evaluations ticket by ticket (same ids, same order), keeps "
        "the tickets the prompt answered wrong, and wants the share of those that the "
        "fine-tune answered right. Tickets the prompt got right do not count.",
        "p, t = correct_of(prompted), correct_of(tuned); missed = [b for a, b in zip(p, t) if "
        "not a]; fixed_share = sum(missed) / len(missed).",
    ],
    solution=(
        "prompt_right, tuned_right = correct_of(prompted), correct_of(tuned)\n"
        "missed = [t for p, t in zip(prompt_right, tuned_right) if not p]\n"
        "fixed_share = sum(missed) / len(missed)"
    ),
)
def _fixed_share(fixed_share: Any) -> tuple[bool, str]:
    require(fixed_share, float, "a share between 0 and 1, like 0.3")
    first = prediction_for("06.4")
    require(first.value, float, "your prediction as a share (record it with predict)")
    prompted, tuned = prompt_and_fine_tune()
    fixed, missed = _fixes(prompted, tuned)
    measured = rate(fixed, missed)
    if not math.isclose(fixed_share, measured.value, abs_tol=ABS):
        return False, _why_not_fixed(fixed_share, prompted, tuned, missed)
    sentence = compare(first, measured.value, (measured.low, measured.high))
    overall = tuned.accuracy
    return True, (
        f"{sentence} Two approaches with similar accuracy are easy to picture failing on the "
        "same hard tickets. Had they, this share would be near 0; had their mistakes been "
        f"unrelated, near the fine-tune's accuracy on every ticket ({overall:.2f}). The "
        "tickets one gets right and the other wrong are what a paired test counts, and what "
        "a waterfall or a hybrid (lesson 07) can use."
    )


def _why_not_fixed(answer: float, prompted: Any, tuned: Any, missed: int) -> str:
    reverse_fixed, reverse_missed = _fixes(tuned, prompted)
    fixed, _ = _fixes(prompted, tuned)
    near = functools.partial(math.isclose, answer, abs_tol=ABS)
    if near(tuned.accuracy):
        return (
            "that is the fine-tune's accuracy on every test ticket; the question is about "
            f"the {missed} tickets the prompt got wrong only."
        )
    if near(fixed / len(tuned.ids)):
        return (
            f"that divides by all {len(tuned.ids)} tickets; divide by the {missed} tickets "
            "the prompt got wrong."
        )
    if reverse_missed and near(reverse_fixed / reverse_missed):
        return (
            "that is the other way round: the prompt's accuracy on the fine-tune's mistakes. "
            "Keep the tickets the prompt got wrong."
        )
    if near(1 - fixed / missed):
        return (
            "that is the share the fine-tune also gets wrong; the check wants the share it fixes."
        )
    return (
        f"{answer:.3f} is not the share the check measures: of the {missed} tickets the "
        "prompt got wrong, count those the fine-tune got right and divide."
    )


# --- 06.5: do routed examples help the rules? ----------------------------------------------


def routing_pair() -> tuple[Evaluation, Evaluation]:
    """The base model routing the queue test tickets: (rules, rules + 8 routed examples)."""
    queues = task_of("queue")
    lm = default_model()
    rules = build_prompt(queues, k=0, context=QUEUE_RULES)
    shown = build_prompt(queues, k=8, context=QUEUE_RULES)
    return (
        measured(lm, queues, rules, "the rules prompt on the queue test tickets"),
        measured(lm, queues, shown, "the rules + 8 examples prompt on the queue test tickets"),
    )


@exercise(
    "06.5",
    kind="read",
    title="Do routed examples help the rules?",
    task=(
        'set `reading` to (status, tickets): the status of the claim "eight routed examples '
        'on top of the rules help the base model route" and about how many tickets would '
        "settle it."
    ),
    hints=[
        "The check pairs the two prompts ticket by ticket (rules alone as A, rules + "
        "examples as B), reads the 95% interval of B minus A against zero (wholly above: "
        "supported, wholly below: contradicted, across zero: inconclusive) and compares your "
        "number with items_to_settle of that comparison (within 10%).",
        "pair = paired(correct_of(rules), correct_of(with_examples)); look at pair.low and "
        "pair.high; reading = (your word, items_to_settle(pair)).",
    ],
    solution=(
        "pair = paired(correct_of(rules), correct_of(with_examples))\n"
        'reading = ("inconclusive", items_to_settle(pair))  # the interval spans zero'
    ),
)
def _routing_reading(reading: Any) -> tuple[bool, str]:
    word, tickets = parse(reading, CLAIM_WORDS, int, "about how many tickets would settle it")
    rules, shown = routing_pair()
    pair = paired(correct_of(rules), correct_of(shown))
    truth = status_of(pair.low, pair.high)
    needed = items_to_settle(pair)
    seen = f"B minus A is {pair}"
    if word != truth:
        return False, (
            f"{seen}. Read the interval against zero: {_status_rule()} '{word}' is not what "
            "this interval says."
        )
    if needed is not None and not math.isclose(tickets, needed, rel_tol=0.10):
        return False, (
            f"'{truth}' is right; {tickets} tickets is not what items_to_settle gives for "
            f"this comparison. It grows with the share of tickets the two prompts disagree on "
            "and falls with the square of the difference."
        )
    if truth != INCONCLUSIVE:
        return True, f"{seen}: {truth}, and {pair.n} tickets already settle it."
    return True, (
        f"{seen}: {truth}. About {needed or 'no number of'} tickets would settle a difference "
        "this small, far more than any test split. A difference that needs that many "
        "tickets to show is too small to change a decision: the examples do not help the "
        "base model apply the rules in a way a test could find."
    )


def _status_rule() -> str:
    return (
        "supported when the whole interval lies above zero, contradicted when it lies wholly "
        "below, inconclusive when it spans zero;"
    )


# --- 06.6: sample the prompt as consistently as the fine-tune ------------------------------

#: The temperature the fine-tune samples at (lesson 06's T), the hottest one allowed, and
#: how close to the hottest consistent temperature an answer must be.
SAMPLED_T, HOTTEST, STEP = 1.0, 2.0, 0.05
N_CONSISTENCY = 24  # lesson 06's consistency tickets (a seeded, balanced subset of test)


def prompted_logprobs() -> np.ndarray:
    """The base model's label log-probabilities with the 8-shot prompt on the 24 tickets."""
    task = task_of()
    shown = build_prompt(task, k=8)
    scores = measured(default_model(), task, shown, "the 8-shot prompt", n=N_CONSISTENCY)
    return np.asarray(scores.logprobs, dtype=float)


def baseline() -> float:
    """The bar: the fine-tune's mean chance that two answers agree, sampled at T=1."""
    task = task_of()
    zero = build_prompt(task, k=0)
    tuned = measured(tuned_lm(), task, zero, "the fine-tune", n=N_CONSISTENCY)
    return float(expected_agreement(tuned.logprobs, SAMPLED_T).mean())


def _agreement(logprobs: np.ndarray, temperature: float) -> float:
    return float(expected_agreement(logprobs, float(temperature)).mean())


def hottest_consistent(logprobs: np.ndarray, bar: float) -> float:
    """The hottest temperature up to ``HOTTEST`` whose mean agreement is at least ``bar``
    (agreement only falls as the temperature rises, so a bisection finds it)."""
    if _agreement(logprobs, HOTTEST) >= bar:
        return HOTTEST
    low, high = 0.0, HOTTEST
    for _ in range(40):
        middle = (low + high) / 2
        low, high = (middle, high) if _agreement(logprobs, middle) >= bar else (low, middle)
    return low


@exercise(
    "06.6",
    kind="design",
    title="Sample the prompt as consistently as the fine-tune",
    task=(
        "set `temperature` to the hottest temperature (to within 0.05, at most 2) at which the "
        "8-shot prompt's answers agree at least as often as the fine-tune's sampled at T=1."
    ),
    hints=[
        "The check computes the fine-tune's mean expected agreement at T=1 on the 24 tickets "
        "(the bar), then the 8-shot prompt's at your temperature: it must reach the bar, and "
        "0.05 hotter it must not (unless you answered the ceiling, 2).",
        "Agreement falls as the temperature rises, so try temperatures from 0 upwards in "
        "small steps (numpy.arange(0, 2.001, 0.01)) and keep the last one whose "
        "expected_agreement(prompted.logprobs, t).mean() is still at least the bar.",
    ],
    solution=(
        "bar = expected_agreement(tuned.logprobs, 1.0).mean()\n"
        "temperature = max(t for t in np.arange(0, 2.001, 0.01)\n"
        "                  if expected_agreement(prompted.logprobs, t).mean() >= bar)"
    ),
)
def _temperature(temperature: Any) -> tuple[bool, str]:
    require(temperature, float, "a temperature, like 0.6")
    t = float(temperature)
    if not 0 <= t <= HOTTEST:
        raise NotYet(f"{t} is outside the range the check reads: give a temperature from 0 to 2.")
    bar = baseline()
    logprobs = prompted_logprobs()
    best = hottest_consistent(logprobs, bar)
    mine = _agreement(logprobs, t)
    told = (
        f"at T={t:g} the 8-shot prompt's answers agree {mine:.3f} of the time; the fine-tune "
        f"sampled at T={SAMPLED_T:g} agrees {bar:.3f}"
    )
    if mine < bar:
        return False, f"{told}: too hot, the prompt is less consistent there. Cool it down."
    if t < best - STEP:
        return False, f"{told}: consistent enough, but you can sample hotter and still reach it."
    verdict = (
        "the prompted model must sample cooler than the fine-tune to be as consistent"
        if best < SAMPLED_T
        else "the prompted model can sample as hot as the fine-tune and stay as consistent"
    )
    return True, (
        f"{told}. The hottest temperature that reaches the bar is about {best:.2f}: "
        f"{verdict}. Consistency follows confidence: a model sure of its answer repeats it at any "
        "temperature, an unsure one needs a cooler temperature to do the same."
    )
