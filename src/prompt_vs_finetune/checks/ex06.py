"""Checks of exercise set 06 (solutions/06_where_finetuning_fits_exercises.ipynb)."""

from __future__ import annotations

import functools
import math
import statistics

from prompt_vs_finetune.checks.core import NotYet, default_model, exercise, require
from prompt_vs_finetune.data import load_tickets
from prompt_vs_finetune.measure.consistency import TEMPERATURES, expected_agreement
from prompt_vs_finetune.measure.evaluate import evaluate
from prompt_vs_finetune.prompting.fewshot import FewShotPrompt, build_prompt

# --- 06.1 ---------------------------------------------------------------------------------
#: Request times (seconds) with one slow outlier each: the mean and the median disagree.
PROMPTED_SECONDS = [0.21, 0.24, 0.22, 0.95, 0.23, 0.26]
TUNED_SECONDS = [0.061, 0.058, 0.066, 0.063, 0.41, 0.06]
MORE_CASES = [([0.3, 0.1, 0.2], [0.05, 0.1, 0.15]), ([2.0], [0.5])]


def _median_ratio(a: list[float], b: list[float]) -> float:
    return statistics.median(a) / statistics.median(b)


@exercise(
    "06.1",
    kind="design",
    title="How many times faster is the median request?",
    task=(
        "define `speedup(prompted_seconds, tuned_seconds)` that returns how many times faster "
        "the median (p50) request of the fine-tuned model is."
    ),
    hints=[
        "The check calls your function with lists of request times that contain one very slow "
        "request each, so the mean and the median give different answers; it wants the ratio "
        "of the medians, prompted over fine-tuned (a number above 1 when the fine-tune is faster).",
        "`statistics.median(xs)` or `numpy.median(xs)` gives the p50 of a list; return "
        "`median(prompted_seconds) / median(tuned_seconds)`.",
    ],
    solution=(
        "import numpy as np\n\n"
        "def speedup(prompted_seconds, tuned_seconds):\n"
        "    return float(np.median(prompted_seconds) / np.median(tuned_seconds))"
    ),
)
def _speedup(speedup) -> tuple[bool, str]:
    if not callable(speedup):
        raise NotYet(
            f"expected a function speedup(prompted_seconds, tuned_seconds), but got a "
            f"{type(speedup).__name__}. Define it with `def speedup(...):`."
        )
    value = speedup(list(PROMPTED_SECONDS), list(TUNED_SECONDS))
    require(value, float, "a number (the ratio of the two medians)")
    truth = _median_ratio(PROMPTED_SECONDS, TUNED_SECONDS)
    if math.isclose(value, truth, rel_tol=1e-3):
        for a, b in MORE_CASES:
            other = speedup(list(a), list(b))
            if not math.isclose(float(other), _median_ratio(a, b), rel_tol=1e-3):
                return False, (
                    f"right on the first lists, but for {a} and {b} it returned {other}: "
                    "make it work for any lists (odd or even length)."
                )
        return True, (
            f"the median request is {truth:.2f}x faster. A slow outlier moves the mean a lot "
            "and the median hardly at all; p95 is where the outliers show."
        )
    mean_ratio = statistics.mean(PROMPTED_SECONDS) / statistics.mean(TUNED_SECONDS)
    if math.isclose(value, 1 / truth, rel_tol=1e-3):
        return False, "the ratio is upside down: divide the prompted median by the fine-tuned one."
    if math.isclose(value, mean_ratio, rel_tol=1e-3):
        return False, (
            "that is the ratio of the means. One slow request pulls a mean up; the check wants "
            "the medians (p50)."
        )
    return False, (
        f"your function returned {value:.3g} for the check's lists; the ratio of the medians is "
        "different. Compute the median of each list, then divide prompted by fine-tuned."
    )


# --- 06.2 ---------------------------------------------------------------------------------
CONTEXT_SEED = 6
N_CONTEXT = 24
CONTEXT_TARGET = 13  # tickets right out of 24 (the instruction-only prompt gets 12)


@functools.cache
def context_tickets() -> tuple:
    """The 24 fixed dev tickets of exercise 06.2 (category task)."""
    return load_tickets("category").subset("dev", N_CONTEXT, seed=CONTEXT_SEED)


def tickets_right(prompt: FewShotPrompt) -> int:
    """How many of the 24 tickets the base model classifies right with ``prompt``."""
    task = load_tickets("category")
    return evaluate(default_model(), task, prompt, examples=context_tickets()).correct


@exercise(
    "06.2",
    kind="design",
    title="Give the base model Pebblewire's own conventions",
    task=(
        f"set `context_prompt` to a category prompt with company context (`context=`) that gets "
        f"at least {CONTEXT_TARGET} of the {N_CONTEXT} tickets right on the base model."
    ),
    hints=[
        f"The check needs a FewShotPrompt built from the category task with a non-empty "
        f"`context=` (what Pebblewire's team knows: how it sorts tickets, its product names), "
        f"and none of the {N_CONTEXT} check tickets among its examples. It scores them on the "
        f"base model and wants at least {CONTEXT_TARGET} right. `tickets_right(prompt)` tells "
        "you the number before you check.",
        "Start from the instruction-only prompt, `build_prompt(tickets, k=0)`, and add the "
        "context: `context=CATEGORY_GUIDE` is one; short lines per category work better than a "
        "long text. Examples can help or hurt a model this small: measure before you keep them.",
    ],
    solution="context_prompt = build_prompt(tickets, k=0, context=CATEGORY_GUIDE)",
)
def _context_prompt(context_prompt) -> tuple[bool, str]:
    require(context_prompt, FewShotPrompt, "a FewShotPrompt (from build_prompt)")
    task = load_tickets("category")
    if tuple(context_prompt.labels) != tuple(task.labels):
        return False, "build the prompt from the category task: build_prompt(tickets, ...)."
    if not (context_prompt.context or "").strip():
        return False, (
            "the prompt has no company context: pass what Pebblewire's team knows as "
            "`context=` (for example CATEGORY_GUIDE, or your own words)."
        )
    ids = {t.id for t in context_tickets()}
    if any(ex.id in ids for ex in context_prompt.examples):
        return False, "some examples in your prompt are check tickets: take examples from train."
    right = tickets_right(context_prompt)
    if right >= CONTEXT_TARGET:
        return True, f"{right} of {N_CONTEXT} tickets right with your company context."
    return False, (
        f"{right} of {N_CONTEXT} right; the check wants {CONTEXT_TARGET}. Change the context (one "
        "short line per category) or the number of examples, and measure each with tickets_right."
    )


# --- 06.3 ---------------------------------------------------------------------------------
AGREEMENT_TARGET = 0.5  # two calls give the same category more often than not
TEMPERATURE_SEED = 3


@functools.cache
def temperature_agreements() -> dict[float, float]:
    """Mean expected agreement of the 8-shot prompt on 12 dev tickets, per temperature."""
    tickets = load_tickets("category")
    examples = tickets.subset("dev", 12, seed=TEMPERATURE_SEED)
    scores = evaluate(default_model(), tickets, build_prompt(tickets, k=8), examples=examples)
    return {t: float(expected_agreement(scores.logprobs, t).mean()) for t in TEMPERATURES}


@exercise(
    "06.3",
    kind="design",
    title="Pick the hottest temperature that keeps answers consistent",
    task=(
        f"set `temperature` to the highest temperature of TEMPERATURES at which the 8-shot "
        f"prompt's expected agreement on the 12 tickets is still at least {AGREEMENT_TARGET}."
    ),
    hints=[
        f"The check computes `expected_agreement(scores.logprobs, t).mean()` for each t in "
        f"TEMPERATURES {TEMPERATURES} on the same 12 tickets and the same 8-shot prompt, and "
        f"wants the highest t where it is >= {AGREEMENT_TARGET}.",
        "Loop over TEMPERATURES, compute the mean agreement for each, and keep the last t "
        "whose agreement is at least the target (agreement only falls as t grows).",
    ],
    solution=(
        "agreements = {t: expected_agreement(scores.logprobs, t).mean() for t in TEMPERATURES}\n"
        f"temperature = max(t for t, a in agreements.items() if a >= {AGREEMENT_TARGET})"
    ),
)
def _temperature(temperature) -> tuple[bool, str]:
    require(temperature, float, "a number, one of TEMPERATURES")
    match = [t for t in TEMPERATURES if math.isclose(t, float(temperature), abs_tol=1e-9)]
    if not match:
        return False, f"{temperature} is not one of TEMPERATURES {TEMPERATURES}: pick one of them."
    agreements = temperature_agreements()
    truth = max(t for t, a in agreements.items() if a >= AGREEMENT_TARGET)
    t = match[0]
    if t == truth:
        return True, (
            f"at temperature {t} two calls agree {agreements[t]:.0%} of the time; hotter, and "
            "the same ticket starts to get different categories."
        )
    if agreements[t] < AGREEMENT_TARGET:
        return False, (
            f"at {t} the agreement is {agreements[t]:.2f}, below {AGREEMENT_TARGET}: too hot."
        )
    return False, (
        f"at {t} the agreement is {agreements[t]:.2f}; a higher temperature of the list still "
        f"keeps it at or above {AGREEMENT_TARGET}."
    )
