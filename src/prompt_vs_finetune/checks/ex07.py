"""Checks of exercise set 07 (solutions/07_hybrid_approaches_exercises.ipynb).

07.3 (read): which of the hybrid's two preconditions the 2x2 of lesson 07 shows failing, with
the paired difference it rests on. 07.4 (predict): how often the cheap path is right on the
tickets it escalates. 07.5 (design): the cheapest threshold of a prompt-only waterfall whose
accuracy lies within the fine-tune's 95% interval.

Every truth is computed from stored per-ticket scores of lessons 04, 06 and 07: no model is
evaluated anew once the lessons have run, and a missing measurement is announced.
"""

from __future__ import annotations

import functools
import math
from typing import Any

import numpy as np

from prompt_vs_finetune.checks.bars import reaches
from prompt_vs_finetune.checks.core import NotYet, default_model, exercise, require, retire
from prompt_vs_finetune.checks.ex06 import (
    ABS,
    fine_tune_on_test,
    measured,
    task_of,
    tuned_lm,
    v5_on_test,
)
from prompt_vs_finetune.checks.predictions import compare, prediction_for
from prompt_vs_finetune.checks.readings import parse
from prompt_vs_finetune.claims.verdict import SUPPORTED, status_of
from prompt_vs_finetune.hybrid.cascade import cascade_at, cascade_sweep, confidence
from prompt_vs_finetune.hybrid.context import cascade_inputs
from prompt_vs_finetune.measure.evaluate import Evaluation
from prompt_vs_finetune.measure.intervals import Paired, correct_of, paired, rate
from prompt_vs_finetune.prompting.fewshot import build_prompt

retire(
    "07.1",
    "Exercise 07.1 (Pick the cheapest threshold that meets an accuracy target) was replaced by "
    "07.5 (A prompt-only waterfall as accurate as the fine-tune).",
)
retire(
    "07.2",
    "Exercise 07.2 (Compress a long prompt) was removed: it repeated another set's "
    "prompt-shortening exercise; 07.5 (A prompt-only waterfall as accurate as the fine-tune) "
    "weighs tokens against accuracy instead.",
)

# --- 07.3: read the 2x2 ---------------------------------------------------------------------

#: The diagnoses of the hybrid's 2x2, and the words a learner may use for each.
HYBRID_WORDS: dict[str, tuple[str, ...]] = {
    "domain not learned": ("domain not learned", "not learned", "domain", "weights",
                           "fine-tune did not learn", "the fine-tune did not learn the domain"),
    "record not used": ("record not used", "record unused", "record", "context not used",
                        "context", "account record", "ignores the record", "ignored"),
    "both hold": ("both hold", "both", "hybrid works", "works"),
}  # fmt: skip
CELLS = ("base, ticket alone", "base + account record", "fine-tuned, ticket alone",
         "fine-tuned + account record")  # fmt: skip


def two_by_two() -> dict[str, Evaluation]:
    """Lesson 07's four queue-routing conditions on the 160 test tickets, by name."""
    queues = task_of("queue")
    prompt = build_prompt(queues, k=0)
    base, tuned = default_model(), tuned_lm("queue")
    conditions = dict(zip(CELLS, ((base, None), (base, "account"), (tuned, None),
                                  (tuned, "account")), strict=True))  # fmt: skip
    return {
        name: measured(lm, queues, prompt, f"'{name}'", instance=instance)
        for name, (lm, instance) in conditions.items()
    }


def diagnosis(cells: dict[str, Any]) -> tuple[str, Paired]:
    """The first precondition that fails (or "both hold"), and the paired comparison it rests on."""
    flags = {name: correct_of(cells[name]) for name in CELLS}
    learned = paired(flags[CELLS[0]], flags[CELLS[2]])
    if status_of(learned.low, learned.high) != SUPPORTED:
        return "domain not learned", learned
    used = paired(flags[CELLS[2]], flags[CELLS[3]])
    if status_of(used.low, used.high) != SUPPORTED:
        return "record not used", used
    return "both hold", used


@exercise(
    "07.3",
    kind="read",
    title="Which precondition of the hybrid fails?",
    task=(
        "set `reading` to (diagnosis, difference): 'domain not learned', 'record not used' or "
        "'both hold', and the paired difference (B minus A) that shows it."
    ),
    hints=[
        "The check tests the two preconditions in order, each by a paired comparison on the "
        "same 160 tickets: did the fine-tune learn the domain (fine-tuned alone minus base "
        "alone, interval wholly above zero)? If so, does the fine-tune use the record "
        "(fine-tuned + record minus fine-tuned alone)? The first that fails is the diagnosis; "
        "'both hold' when neither fails. Your number is that comparison's difference.",
        "Compute paired(correct_of(A), correct_of(B)) for both comparisons and read each "
        "interval against zero; answer with the first one whose interval is not wholly above "
        "zero, and its .difference.",
    ],
    solution=(
        'base = correct_of(cells["base, ticket alone"])\n'
        'alone = correct_of(cells["fine-tuned, ticket alone"])\n'
        'both = correct_of(cells["fine-tuned + account record"])\n'
        "learned, used = paired(base, alone), paired(alone, both)\n"
        'reading = ("record not used", used.difference)  # learned.low > 0; used spans zero'
    ),
)
def _which_fails(reading: Any) -> tuple[bool, str]:
    word, number = parse(reading, HYBRID_WORDS, float, "the paired difference it rests on")
    truth, evidence = diagnosis(two_by_two())
    what = (
        "the fine-tune minus the base model"
        if truth == "domain not learned"
        else "the fine-tune with the record minus without it"
    )
    shown = f"{what} on the same {evidence.n} tickets: {evidence}"
    if word != truth:
        return False, (
            f"'{word}' is not what the comparisons show. Test the preconditions in order: did "
            "the fine-tune beat the base model on the tickets alone, then does the record "
            "raise the fine-tune's accuracy, each by its paired interval against zero."
        )
    if not math.isclose(number, evidence.difference, abs_tol=0.003):
        return False, (
            f"'{truth}' is right, but {number:+.3f} is not the difference of the comparison "
            "that shows it: take B minus A of that paired comparison."
        )
    why = {
        "domain not learned": "the fine-tune did not learn the routing, so the record has "
        "nothing to build on: fix the recipe first",
        "record not used": "the fine-tune learned the routing but gains nothing measurable "
        "from the record: it never saw one in training, so train it with the record in its "
        "inputs",
        "both hold": "both preconditions hold: now the combination can be judged against "
        "each approach alone",
    }[truth]
    return True, f"{truth}: {shown}; {why}."


# --- 07.4: is the cheap path right on what it escalates? ----------------------------------

#: The threshold lesson 07's explorer starts at: escalate when the top probability is below it.
THRESHOLD = 0.5


def cheap_path() -> Evaluation:
    """The waterfall's cheap path: the base model, 0-shot, on the 160 test tickets."""
    task = task_of()
    return measured(default_model(), task, build_prompt(task, k=0), "the 0-shot prompt")


@exercise(
    "07.4",
    kind="predict",
    title="How often is the cheap path right on what it escalates?",
    task=(
        f"set `escalated_right` to the cheap path's accuracy on the test tickets it escalates "
        f"at threshold {THRESHOLD} (a number between 0 and 1)."
    ),
    hints=[
        f"The check computes the cheap path's confidence per ticket (the top label "
        f"probability, `confidence(cheap.logprobs)`), keeps the tickets below {THRESHOLD} "
        "(the ones escalated) and wants the share of those the cheap path itself answered "
        "right.",
        "conf = confidence(cheap.logprobs); right = np.array(correct_of(cheap)); "
        f"escalated_right = right[conf < {THRESHOLD}].mean().",
    ],
    solution=(
        "conf = confidence(cheap.logprobs)\n"
        "right = np.array(correct_of(cheap))\n"
        f"escalated_right = float(right[conf < {THRESHOLD}].mean())"
    ),
)
def _escalated_right(escalated_right: Any) -> tuple[bool, str]:
    require(escalated_right, float, "a share between 0 and 1, like 0.3")
    first = prediction_for("07.4")
    require(first.value, float, "your prediction as a share (record it with predict)")
    cheap = cheap_path()
    escalated = confidence(cheap.logprobs) < THRESHOLD
    right = np.array(correct_of(cheap), dtype=bool)
    n_escalated = int(escalated.sum())
    if n_escalated == 0:
        return False, f"no ticket has a confidence below {THRESHOLD}: nothing is escalated."
    measured_rate = rate(int(right[escalated].sum()), n_escalated)
    if not math.isclose(escalated_right, measured_rate.value, abs_tol=ABS):
        return False, _why_not_escalated(escalated_right, right, escalated)
    sentence = compare(first, measured_rate.value, (measured_rate.low, measured_rate.high))
    kept = 1 - n_escalated / len(right)
    return True, (
        f"{sentence} Had confidence meant nothing, the escalated tickets would be right as "
        f"often as all of them ({right.mean():.2f}); the further below, the better the cheap "
        "path knows its own mistakes, and only those are worth paying the costly path for. "
        f"At this threshold it keeps {kept:.0%} of the tickets; the guide's rule of thumb is "
        "80%, but the split is a setting, and what it buys depends on this accuracy."
    )


def _why_not_escalated(answer: float, right: np.ndarray, escalated: np.ndarray) -> str:
    near = functools.partial(math.isclose, answer, abs_tol=ABS)
    if (~escalated).any() and near(float(right[~escalated].mean())):
        return "that is the accuracy on the tickets it keeps; the check wants those it escalates."
    if near(float(right.mean())):
        return "that is the accuracy on every ticket; keep only the escalated ones."
    if near(float(escalated.mean())):
        return "that is the share escalated; the check wants how often those are right."
    return (
        f"{answer:.3f} is not the share the check measures: of the {int(escalated.sum())} "
        "escalated tickets, count those the cheap path answered right and divide."
    )


# --- 07.5: a prompt-only waterfall as accurate as the fine-tune ----------------------------

#: The thresholds the check compares with: those of lesson 07's sweep (0, 0.05, ..., 1).
GRID = tuple(round(i / 20, 2) for i in range(21))


def waterfall() -> dict[str, Any]:
    """The waterfall's inputs: the cheap path (0-shot) and lesson 04's v5 as the costly path."""
    return cascade_inputs(cheap_path(), v5_on_test())


def baseline() -> Evaluation:
    """What the waterfall must match: the fine-tune on the same test tickets."""
    return fine_tune_on_test()


def _cheapest(inputs: dict[str, Any], bar: Any) -> dict[str, Any] | None:
    good = [r for r in cascade_sweep(thresholds=GRID, **inputs) if r["accuracy"] >= bar.low]
    return min(good, key=lambda r: (r["cost_per_request"], r["threshold"])) if good else None


@exercise(
    "07.5",
    kind="design",
    title="A prompt-only waterfall as accurate as the fine-tune",
    task=(
        "set `threshold` to the cheapest threshold of the waterfall (0-shot, then v5) whose "
        'accuracy lies within the fine-tune\'s 95% interval, or "none" if no threshold of '
        "0, 0.05, ..., 1 reaches it."
    ),
    hints=[
        "The check runs the waterfall at your threshold on the 160 test tickets: its "
        "accuracy must reach the low end of the fine-tune's 95% interval (tuned.interval.low), "
        "and its cost per request may not exceed that of the cheapest threshold of the sweep "
        "(0, 0.05, ..., 1) that reaches it.",
        "sweep = cascade_sweep(thresholds=None, **cascade_inputs(cheap, strong)); keep the rows "
        "with accuracy >= tuned.interval.low and take the one with the lowest "
        "cost_per_request.",
    ],
    solution=(
        "sweep = cascade_sweep(thresholds=None, **cascade_inputs(cheap, strong))\n"
        'good = [r for r in sweep if r["accuracy"] >= tuned.interval.low]\n'
        'threshold = min(good, key=lambda r: r["cost_per_request"])["threshold"]'
    ),
)
def _waterfall(threshold: Any) -> tuple[bool, str]:
    require(threshold, (float, str), 'a threshold between 0 and 1, or "none"')
    inputs, tuned = waterfall(), baseline()
    bar = tuned.interval
    best = _cheapest(inputs, bar)
    if isinstance(threshold, str):
        if threshold.strip().lower() != "none":
            raise NotYet(f'expected a threshold between 0 and 1, or "none"; got {threshold!r}.')
        if best is None:
            return True, f"no threshold reaches the fine-tune's {bar}: a prompt alone falls short."
        return (
            False,
            f"threshold {best['threshold']:.2f} reaches the fine-tune's interval: look again.",
        )
    if not 0 <= threshold <= 1:
        raise NotYet(f"{threshold} is not a threshold: give a number between 0 and 1.")
    row = cascade_at(float(threshold), **inputs)
    ok, sentence = reaches(row["accuracy"], bar, what="the waterfall", against="the fine-tune")
    if not ok:
        return False, f"{sentence}: below the low end. Escalate more tickets (a higher threshold)."
    if best is not None and row["cost_per_request"] > best["cost_per_request"] + 1e-9:
        return False, (
            f"{sentence}: it reaches the bar, at {row['cost_per_request']:.0f} tokens per "
            f"request; threshold {best['threshold']:.2f} reaches it for "
            f"{best['cost_per_request']:.0f}. Take the cheapest, not the most accurate."
        )
    ratio = row["cost_per_request"] / tuned.mean_tokens
    return True, (
        f"{sentence}. It escalates {row['share_escalated']:.0%} of the tickets and sends "
        f"{row['cost_per_request']:.0f} prompt tokens per request; the fine-tune sends "
        f"{tuned.mean_tokens:.0f}, {ratio:.1f}x fewer. A waterfall of prompts can buy the "
        "fine-tune's accuracy, and this is its price on every request."
    )
