"""Checks of exercise set 02 (solutions/02_cost_benefit_exercises.ipynb).

02.2 build: the break-even rule, written by the learner and called on fresh numbers.
02.4 predict: how many times the 8-shot prompt's bill is the 0-shot prompt's when every
answer is a long reply instead of a label (measured tokens, assumed prices).
02.5 design: the longest prompt that stays cheaper than the fine-tune at the team's
volume; the bar follows the measured inputs (``measured()``) of lesson 02.
02.6 read: where the laptop fine-tune's break-even falls once it needs a machine of its own.
"""

from __future__ import annotations

import functools
import math
from typing import Any

from prompt_vs_finetune.checks.core import NotYet, exercise, require, retire
from prompt_vs_finetune.checks.predictions import compare, prediction_for
from prompt_vs_finetune.checks.readings import parse
from prompt_vs_finetune.economics.assumptions import PRESETS, Assumptions, Prices
from prompt_vs_finetune.economics.costs import cost_per_request, fine_tune_upfront_cost
from prompt_vs_finetune.economics.measured import serving_inputs
from prompt_vs_finetune.economics.presets import PLACES, break_even_place
from prompt_vs_finetune.economics.tokens import break_even_summary
from prompt_vs_finetune.finetune.recipes import course_run

retire(
    "02.1",
    "Exercise 02.1 (Price a month of 8-shot requests) was replaced by 02.4 "
    "(Predict the bill of long answers).",
)
retire(
    "02.3",
    "Exercise 02.3 (Make the prompt cheaper without losing accuracy) was replaced by 02.5 "
    "(A token budget for the prompt).",
)

LAPTOP, TEAM = PRESETS["this laptop"], PRESETS["a team on rented GPUs"]
REPLY_TOKENS = 120  # exercise 02.4: a short written reply instead of a label
MEASURED_KEYS = ("prompt_tokens_in", "tuned_tokens_in", "tokens_out")


@functools.cache
def measured() -> dict[str, float]:
    """Lesson 02's measured inputs: mean tokens a request sends with the 8-shot prompt
    (``prompt_tokens_in``) and the 0-shot prompt (``tuned_tokens_in``), answer tokens
    (``tokens_out``), and the seconds the category fine-tune trained (``train_seconds``)."""
    serving = serving_inputs(progress=True)
    run = course_run("category", progress=True)
    return {**{key: serving[key] for key in MEASURED_KEYS}, "train_seconds": run.seconds}


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


def _case_problem(break_even: Any, case: tuple[float, float, float, float]) -> str | None:
    """What is wrong with ``break_even`` on one case, or None when it is right."""
    upfront, c_prompt, c_tuned, months = case
    call = f"break_even({upfront:g}, {c_prompt:g}, {c_tuned:g}, {months:g})"
    try:
        got = break_even(upfront, c_prompt, c_tuned, months)
    except Exception as exc:  # noqa: BLE001 - the learner's code may raise anything
        return f"{call} raised {type(exc).__name__}: {exc}."
    want = _truth(*case)
    if want is None:
        if got is None or (isinstance(got, float) and math.isinf(got)):
            return None
        return (
            f"{call} returned {got!r}; a tuned request that is not cheaper never pays back: "
            "return None."
        )
    number = isinstance(got, int | float) and not isinstance(got, bool)
    if number and math.isclose(got, want, rel_tol=1e-6):
        return None
    if number and math.isclose(got, want * months, rel_tol=1e-6):
        return f"{call} returned {got:,.0f}: that is for the whole period; divide by the months."
    return f"{call} returned {got!r}; the check expects {want:,.0f} a month."


@exercise(
    "02.2",
    kind="build",
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
    for case in BREAK_EVEN_CASES:
        problem = _case_problem(break_even, case)
        if problem is not None:
            return False, problem
    return True, f"your rule agrees with the check on all {len(BREAK_EVEN_CASES)} cases."


# --- 02.4: the bill of long answers -----------------------------------------------------------


def _bill_ratio(tokens_out: float, m: dict[str, float], *, same_price: bool = False) -> float:
    """The 8-shot request's cost over the 0-shot request's, answers of ``tokens_out`` tokens."""
    prices = Prices()
    if same_price:  # the slip of pricing output tokens like input tokens
        return (m["prompt_tokens_in"] + tokens_out) / (m["tuned_tokens_in"] + tokens_out)
    shots = cost_per_request(m["prompt_tokens_in"], tokens_out, prices)
    return shots / cost_per_request(m["tuned_tokens_in"], tokens_out, prices)


@exercise(
    "02.4",
    kind="predict",
    title="Predict the bill of long answers",
    task=(
        "set `ratio` to the cost of one 8-shot request over the cost of one 0-shot request "
        f"at the default prices, when each answer is a {REPLY_TOKENS}-token reply."
    ),
    hints=[
        "The check prices one request of each prompt with the default prices (input tokens "
        "at input_per_1k, output tokens at output_per_1k, per 1,000 tokens): the measured mean "
        f"prompt tokens of each, and {REPLY_TOKENS} output tokens for both. Your number is the "
        "8-shot cost divided by the 0-shot cost.",
        f"ratio = cost_per_request(shots_in, {REPLY_TOKENS}, prices) / "
        f"cost_per_request(zero_in, {REPLY_TOKENS}, prices), with the token counts of the "
        "table above and prices = Prices().",
    ],
    solution=(
        f"ratio = cost_per_request(shots_in, {REPLY_TOKENS}, prices) / "
        f"cost_per_request(zero_in, {REPLY_TOKENS}, prices)"
    ),
)
def _reply_bill(ratio: float) -> tuple[bool, str]:
    first = prediction_for("02.4")
    require(ratio, float)
    m = measured()
    truth = _bill_ratio(REPLY_TOKENS, m)
    labels = _bill_ratio(m["tokens_out"], m)
    if math.isclose(ratio, truth, rel_tol=1e-3):
        said = compare(first, truth, unit="x", digits=2)
        return True, (
            f"{said} With a label for an answer the same ratio is {labels:.2f}x: the examples "
            "were most of the bill. A reply costs the same with either prompt, and output "
            "tokens cost more than input tokens, so the longer the answer, the smaller the "
            "share of the bill the examples make. What an example costs depends on what else "
            "the request pays for."
        )
    slips = {
        m["prompt_tokens_in"] / m["tuned_tokens_in"]: "the ratio of prompt tokens; the reply "
        "is paid for too, the same with both prompts",
        labels: f"the ratio for a label answer; here each answer is {REPLY_TOKENS} tokens",
        _bill_ratio(REPLY_TOKENS, m, same_price=True): "what you get when output tokens cost "
        "as much as input tokens; they are priced at output_per_1k",
        1 / truth: "the 0-shot cost over the 8-shot cost: divide the other way",
    }
    for value, slip in slips.items():
        if math.isclose(ratio, value, rel_tol=1e-3):
            return False, f"that is {slip}."
    return False, (
        f"{ratio:.3g} is not the 8-shot request's cost over the 0-shot request's. Price both "
        f"with cost_per_request, {REPLY_TOKENS} output tokens each."
    )


# --- 02.5: the longest prompt that stays cheaper than the fine-tune ----------------------------


def token_budget(m: dict[str, float], a: Assumptions, volume: float) -> float:
    """Mean prompt tokens per request at which prompting costs as much as fine-tuning over
    ``a.horizon_months`` at ``volume`` requests a month (upfront bill included)."""
    p = a.prices
    upfront = fine_tune_upfront_cost(m["train_seconds"], a).total
    tuned = cost_per_request(m["tuned_tokens_in"], m["tokens_out"], p, tuned=True)
    allowed = tuned + upfront / (a.horizon_months * volume)
    return (allowed - cost_per_request(0, m["tokens_out"], p)) / cost_per_request(1, 0, p)


@exercise(
    "02.5",
    kind="design",
    title="A token budget for the prompt",
    task=(
        "set `budget` to the most prompt tokens a request may send for prompting to stay "
        "no dearer than the fine-tune over the horizon, at the team's high volume."
    ),
    hints=[
        "The check uses the team preset (the default Assumptions()): its horizon, its high "
        "volume, its prices, and the fine-tune's upfront bill from the measured training "
        "time. Over the horizon, prompting costs months x volume x cost of one request of "
        "`budget` tokens; fine-tuning costs the upfront bill plus months x volume x the "
        "tuned request. Your budget must make them equal, within 1%.",
        "Spread the upfront bill over every request of the horizon, add it to the tuned "
        "request's cost: that is the most a prompted request may cost. Take off the answer's "
        "output tokens, and divide by the price of one input token (cost_per_request(1, 0)).",
    ],
    solution=(
        "a = Assumptions()\n"
        'upfront = fine_tune_upfront_cost(m["train_seconds"], a).total\n'
        'tuned = cost_per_request(m["tuned_tokens_in"], m["tokens_out"], a.prices, tuned=True)\n'
        "allowed = tuned + upfront / (a.horizon_months * a.high_volume)\n"
        'budget = (allowed - cost_per_request(0, m["tokens_out"], a.prices)) / '
        "cost_per_request(1, 0, a.prices)"
    ),
)
def _token_budget(budget: float) -> tuple[bool, str]:
    require(budget, float)
    m = measured()
    truth = token_budget(m, TEAM, TEAM.high_volume)
    if math.isclose(budget, truth, rel_tol=0.01):
        example = (m["prompt_tokens_in"] - m["tuned_tokens_in"]) / 8
        extra = (truth - m["tuned_tokens_in"]) / example
        laptop = token_budget(m, LAPTOP, TEAM.high_volume)
        return True, (
            f"up to {truth:,.0f} tokens a request: about {extra:,.0f} worked examples of "
            f"{example:.0f} tokens on top of the instruction, where the 8-shot prompt sends "
            f"{m['prompt_tokens_in']:,.0f}. Under the laptop preset the budget is "
            f"{laptop:,.1f} tokens: with nobody's hours to pay, a fine-tune is cheaper as soon "
            "as the prompt holds one example. The people on the bill set the budget."
        )
    slips = {
        m["tuned_tokens_in"]: "the 0-shot prompt's tokens, as if fine-tuning cost nothing up front",
        token_budget(m, TEAM, TEAM.high_volume / TEAM.horizon_months): "the upfront bill "
        "spread over one month's requests; spread it over every month of the horizon",
    }
    for value, slip in slips.items():
        if math.isclose(budget, value, rel_tol=0.01):
            return False, f"that is {slip}."
    side = "dearer than" if budget > truth else "still cheaper than"
    return False, (
        f"at {budget:,.0f} tokens a request, prompting is {side} the fine-tune over the "
        "horizon. Find the length at which the two totals are equal (within 1%)."
    )


# --- 02.6: the break-even once the fine-tune needs a machine of its own ------------------------

PLACE_WORDS: dict[str, tuple[str, ...]] = {
    "inside": ("volume decides", "depends on volume", "depends on the volume", "inside",
               "inside the range", "in the range"),
    "below": ("pays back at any volume", "at any volume", "any volume", "always", "below",
              "always pays back"),
    "above": ("pays back at no volume", "at no volume", "no volume", "above", "too high"),
    "none": ("never", "never pays back", "none"),
}  # fmt: skip


def own_machine(m: dict[str, float]) -> dict[str, Any]:
    """The laptop preset's break-even when the fine-tune runs on its own always-on machine,
    with the volumes the preset considers (``volume_range``)."""
    args = [m[key] for key in MEASURED_KEYS]
    overhead = LAPTOP.prices.deployment_per_month()
    summary = break_even_summary(*args, m["train_seconds"], LAPTOP,
                                 tuned_overhead_per_month=overhead)  # fmt: skip
    return {**summary, "volume_range": (min(LAPTOP.volume_grid), max(LAPTOP.volume_grid))}


@exercise(
    "02.6",
    kind="read",
    title="Where does the break-even fall with a machine of its own?",
    task=(
        'set `reading` to (where the break-even falls: "volume decides", "pays back at any '
        'volume", "pays back at no volume" or "never", the break-even volume read off the plot).'
    ),
    hints=[
        "The check computes the laptop preset's break-even with the tuned model on its own "
        "always-on machine (the right-hand plot) and sets it against the volumes the preset "
        "considers (its volume_grid): inside them, volume decides; below them, it pays back "
        "at any of them; above them, at none. The volume must be within 10% of the break-even.",
        "Read the dotted line of the right-hand plot, then compare it with "
        "min(LAPTOP.volume_grid) and max(LAPTOP.volume_grid). The machine costs the same every "
        "month whatever the volume: only enough requests can pay for it.",
    ],
    solution=(
        'reading = ("volume decides", 340_000)  # the dotted line of the right-hand plot; '
        "inside 1k-100M"
    ),
)
def _own_machine(reading: tuple) -> tuple[bool, str]:
    word, volume = parse(reading, PLACE_WORDS, float, "the break-even volume, a number")
    summary = own_machine(measured())
    truth, be = break_even_place(summary), summary["break_even"]
    low, high = summary["volume_range"]
    if word != truth:
        return False, (
            f"the break-even does not fall where {reading[0]!r} says. Compare the dotted line with "
            f"the volumes the preset considers, {low:,.0f} to {high:,.0f} requests a month."
        )
    if be is not None and not math.isclose(volume, be, rel_tol=0.10):
        return False, f"{volume:,.0f} is not where the dotted line crosses; read it again."
    if be is None:
        return (
            True,
            f"{PLACES[truth]}: with the 0-shot prompt as long as this one, nothing is saved.",
        )
    money = LAPTOP.prices.money
    return True, (
        f"{PLACES[truth]}. The break-even is {be:,.0f} requests a month: the machine costs "
        f"{money(LAPTOP.prices.deployment_per_month())} every month whatever the traffic, "
        "while the fine-tune itself cost next to nothing. On shared serving the laptop's "
        "fine-tune paid back at any volume; a fixed monthly cost makes volume decide again."
    )
