"""Checks of exercise set 02 (solutions/02_cost_benefit_exercises.ipynb)."""

from __future__ import annotations

import functools
import math

from prompt_vs_finetune.checks.core import NotYet, default_model, exercise, require
from prompt_vs_finetune.data import load_tickets
from prompt_vs_finetune.economics.assumptions import Prices
from prompt_vs_finetune.economics.costs import monthly_cost
from prompt_vs_finetune.economics.tokens import answer_tokens
from prompt_vs_finetune.measure.evaluate import evaluate
from prompt_vs_finetune.prompting.fewshot import FewShotPrompt, build_prompt, prompt_tokens

VOLUME = 250_000  # tickets a month in exercise 02.1
N_TICKETS = 24  # fixed test tickets of exercise 02.3
TOLERANCE = 0.05  # exercise 02.3: accuracy may fall at most this far below the 8-shot prompt's


@functools.cache
def _task():
    return load_tickets("category")


@functools.cache
def eight_shot_tokens() -> tuple[float, float]:
    """Mean prompt tokens and answer tokens of the default 8-shot prompt on the test split."""
    lm, task = default_model(), _task()
    prompt = build_prompt(task, k=8, seed=0)
    tokens = prompt_tokens(lm, prompt, task.test)
    return sum(tokens) / len(tokens), answer_tokens(lm, prompt, task.labels)


@exercise(
    "02.1",
    kind="design",
    title="Price a month of 8-shot requests",
    task=f"set `monthly` to the cost of {VOLUME:,} 8-shot requests a month at Prices().",
    hints=[
        f"The check computes {VOLUME:,} x (cost of one request), where one request is "
        "tokens_in prompt tokens at input_per_1k per 1,000 tokens plus tokens_out answer "
        "tokens at output_per_1k per 1,000 tokens, with the default Prices(). Both token "
        "counts are the measured 8-shot numbers.",
        "monthly = monthly_cost(250_000, tokens_in, tokens_out, Prices()), or by hand: "
        "250_000 * (tokens_in / 1000 * p.input_per_1k + tokens_out / 1000 * p.output_per_1k).",
    ],
    solution="monthly = monthly_cost(250_000, tokens_in, tokens_out, Prices())",
)
def _monthly(monthly) -> tuple[bool, str]:
    require(monthly, float)
    t_in, t_out = eight_shot_tokens()
    p = Prices()
    truth = monthly_cost(VOLUME, t_in, t_out, p)
    if math.isclose(monthly, truth, rel_tol=0.01):
        return True, f"{VOLUME:,} requests of {t_in:.0f} tokens cost {p.money(truth)} a month."
    input_only = VOLUME * t_in / 1000 * p.input_per_1k
    if math.isclose(monthly, input_only, rel_tol=0.01):
        return False, "that is the input tokens only: add the answer tokens at the output price."
    if math.isclose(monthly, truth * 1000, rel_tol=0.01):
        return False, "1000 times too much: prices are per 1,000 tokens, not per token."
    if math.isclose(monthly, truth / VOLUME, rel_tol=0.01):
        return False, f"that is one request; the month has {VOLUME:,} of them."
    return False, (
        f"{monthly:,.2f} is not what the check computes. Use the measured 8-shot tokens_in "
        "and tokens_out, the default Prices(), and prices per 1,000 tokens."
    )


#: (upfront, cost per prompted request, cost per tuned request, months) for exercise 02.2.
BREAK_EVEN_CASES: tuple[tuple[float, float, float, float], ...] = (
    (12_000.0, 0.0003, 0.00004, 12),
    (5_000.0, 0.002, 0.0005, 6),
    (50_000.0, 0.00028, 0.00003, 24),
    (1_000.0, 0.01, 0.001, 1),
    (8_000.0, 0.0001, 0.0001, 12),  # not cheaper: never
    (8_000.0, 0.0001, 0.0002, 12),  # dearer: never
)


def _truth(upfront: float, c_prompt: float, c_tuned: float, months: float) -> float | None:
    saving = c_prompt - c_tuned
    return None if saving <= 0 else upfront / months / saving


@exercise(
    "02.2",
    kind="design",
    title="Write the break-even rule",
    task=(
        "write `break_even(upfront, cost_prompt, cost_tuned, months)`: the requests per month "
        "at which both approaches cost the same over `months`; None if tuning never pays back."
    ),
    hints=[
        "The check calls your function on fresh numbers. Over `months` months at V requests a "
        "month, prompting costs months x V x cost_prompt and fine-tuning costs upfront + "
        "months x V x cost_tuned. Solve for the V where they are equal. When a tuned request "
        "is not cheaper, there is no such V: return None.",
        "V = upfront / months / (cost_prompt - cost_tuned), and None when "
        "cost_prompt - cost_tuned <= 0.",
    ],
    solution=(
        "def break_even(upfront, cost_prompt, cost_tuned, months=12):\n"
        "    saving = cost_prompt - cost_tuned\n"
        "    if saving <= 0:\n"
        "        return None\n"
        "    return upfront / months / saving"
    ),
)
def _break_even(break_even) -> tuple[bool, str]:
    if not callable(break_even):
        raise NotYet(f"expected a function, but got a value of type {type(break_even).__name__}.")
    for upfront, c_prompt, c_tuned, months in BREAK_EVEN_CASES:
        call = f"break_even({upfront:g}, {c_prompt:g}, {c_tuned:g}, {months:g})"
        try:
            got = break_even(upfront, c_prompt, c_tuned, months)
        except Exception as exc:  # noqa: BLE001 - the learner's code may raise anything
            return False, f"{call} raised {type(exc).__name__}: {exc}."
        want = _truth(upfront, c_prompt, c_tuned, months)
        if want is None:
            if got is not None and not (isinstance(got, float) and math.isinf(got)):
                return False, (
                    f"{call} returned {got!r}; a tuned request that is not cheaper never pays "
                    "back: return None."
                )
            continue
        if (
            isinstance(got, bool)
            or not isinstance(got, int | float)
            or not math.isclose(got, want, rel_tol=1e-6)
        ):
            if isinstance(got, int | float) and math.isclose(got, want * months, rel_tol=1e-6):
                return False, (
                    f"{call} returned {got:,.0f}: that is for the whole period; divide by the "
                    "months."
                )
            return False, f"{call} returned {got!r}; the check expects {want:,.0f} a month."
    return True, f"your rule agrees with the check on all {len(BREAK_EVEN_CASES)} cases."


def fixed_tickets():
    """The 24 test tickets of exercise 02.3 (seeded, label-balanced)."""
    return _task().subset("test", N_TICKETS, seed=2)


def measure_prompt(prompt: FewShotPrompt) -> tuple[float, float]:
    """Mean prompt tokens and accuracy of ``prompt`` on the 24 fixed tickets."""
    result = evaluate(default_model(), _task(), prompt, examples=fixed_tickets())
    return result.mean_tokens, result.accuracy


@functools.cache
def eight_shot_on_tickets() -> tuple[float, float]:
    """Mean prompt tokens and accuracy of the lesson's 8-shot prompt on the 24 fixed tickets."""
    return measure_prompt(build_prompt(_task(), k=8, seed=0))


@exercise(
    "02.3",
    kind="design",
    title="Make the prompt cheaper without losing accuracy",
    task=(
        "set `short_prompt` to a ticket prompt sending under half the 8-shot prompt's tokens, "
        f"at most {TOLERANCE:.0%} less accurate on {N_TICKETS} tickets."
    ),
    hints=[
        f"The check measures the lesson's 8-shot prompt and yours on {N_TICKETS} fixed test "
        "tickets with measure_prompt: your mean prompt tokens must be below half of the "
        f"8-shot's, and your accuracy at least the 8-shot's minus {TOLERANCE:.0%}. It must be a "
        "FewShotPrompt for the ticket categories (from build_prompt(task, ...)).",
        "Fewer examples save the most tokens: each one costs a whole ticket. Measure "
        "build_prompt(task, k=k, seed=s) for small k (0 included) and a few seeds; a shorter "
        "instruction= (with the six labels) saves a little more. Keep the cheapest that passes.",
    ],
    solution=(
        'short_prompt = build_prompt(task, k=3, seed=0, instruction="Categories: billing, '
        'technical, shipping, account, cancellation, feature.")'
    ),
)
def _short_prompt(short_prompt) -> tuple[bool, str]:
    require(short_prompt, FewShotPrompt, "a FewShotPrompt (from build_prompt)")
    if tuple(short_prompt.labels) != tuple(_task().labels):
        return False, "this prompt is not for the ticket categories: build it from the ticket task."
    tokens, acc = measure_prompt(short_prompt)
    tokens8, acc8 = eight_shot_on_tickets()
    limit, floor = tokens8 / 2, acc8 - TOLERANCE
    summary = (
        f"{tokens:.0f} tokens per request, accuracy {acc:.0%} (8-shot: {tokens8:.0f}, {acc8:.0%})"
    )
    if tokens < limit and acc >= floor - 1e-9:
        return True, f"{summary}: much cheaper per request, and about as accurate."
    if tokens >= limit:
        return False, f"{summary}; the check wants fewer than {limit:.0f} tokens. Drop examples."
    return False, f"{summary}; the check wants at least {floor:.0%}. Try other examples."
