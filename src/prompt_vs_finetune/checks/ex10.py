"""Checks of exercise set 10 (solutions/10_roi_exercises.ipynb).

- 10.4 (predict): the month in which fine-tuning overtakes prompting at ten times the
  lesson's volume. Both tracks earn in proportion to volume, so the month does not fall
  ten times: what volume cannot shrink is the month of building.
- 10.5 (design): the smallest change in one input of the ROI account that flips the
  decision (which track, net of the opportunity cost, ends the horizon ahead). The bar is
  computed from the lesson's inputs (``baseline``); what it costs to choose wrong there is
  the margin of that decision.
- 10.6 (read): does the decision at a higher volume hold when every accuracy moves to
  an end of its 95% interval? A status word and the margin at the end that threatens it.

The ROI inputs are rebuilt from the results store exactly as the lesson builds them
(``roi_inputs`` under the default scenario, "a team on rented GPUs").
"""

from __future__ import annotations

import math
from typing import Any

from prompt_vs_finetune.checks.core import NotYet, exercise, quietly, require, retire
from prompt_vs_finetune.checks.predictions import compare, prediction_for
from prompt_vs_finetune.checks.readings import CLAIM_WORDS, parse
from prompt_vs_finetune.claims.verdict import NOT_AT_THIS_SCALE, status_over_range
from prompt_vs_finetune.economics.assumptions import DEFAULT_ASSUMPTIONS, preset_name
from prompt_vs_finetune.economics.measured import measured_inputs
from prompt_vs_finetune.economics.roi import crossover_month, payback_month, roi_curves
from prompt_vs_finetune.economics.roi_inputs import ENDS, prompt_versions, roi_ends, roi_inputs

retire(
    "10.1",
    "Exercise 10.1 (Read the payback month off the rows) was replaced by 10.4 (Ten times the "
    "volume: when does fine-tuning overtake prompting?).",
)
retire(
    "10.2",
    "Exercise 10.2 (A scenario where fine-tuning never pays back) was replaced by 10.5 (The "
    "smallest change that flips the decision).",
)
retire(
    "10.3",
    "Exercise 10.3 (Write the next prompt version, and price it) was removed: calibrate=True "
    "solved it, as it solves 04.1; 10.5 (The smallest change that flips the decision) prices "
    "what an accuracy gain is worth.",
)

SCALE = 10  # 10.4: times the lesson's volume
TOLERANCE = 0.05  # 10.5: a change may be this much larger than the smallest that flips
READ_VOLUME = 5_000_000  # 10.6: requests a month at which the decision is read
#: 10.5: the inputs a learner may change, with the range each may take.
LEVERS: dict[str, tuple[float, float]] = {
    "volume_per_month": (0.0, math.inf),
    "value_per_correct_answer": (0.0, math.inf),
    "accuracy_tuned": (0.0, 1.0),
    "fine_tune_upfront": (0.0, math.inf),
    "opportunity_cost_per_month": (0.0, math.inf),
}


def _measured() -> dict[str, Any]:
    return quietly(measured_inputs)


def _versions() -> dict[str, Any]:
    return quietly(prompt_versions)


def lesson_inputs() -> dict[str, Any]:
    """The ROI inputs of lesson 10 (measured numbers, default assumptions)."""
    return roi_inputs(_measured(), _versions())


def margin(inputs: dict[str, Any]) -> float:
    """Fine-tuning, net of its opportunity cost, minus prompting at the horizon's end."""
    last = roi_curves(**inputs)[-1]
    return float(last["fine_tuning_net_of_opportunity"] - last["prompting"])


def decision(inputs: dict[str, Any]) -> str:
    """The track that ends the horizon ahead: "fine-tuning" or "prompting" (on a tie)."""
    return "fine-tuning" if margin(inputs) > 0 else "prompting"


# --- 10.4 -------------------------------------------------------------------------------------


def crossover_at(volume: float) -> int:
    """The month fine-tuning overtakes prompting at ``volume`` (-1: not within the rows)."""
    rows = roi_curves(**{**lesson_inputs(), "volume_per_month": volume})
    month = crossover_month(rows, "fine_tuning", "prompting")
    return -1 if month is None else month


def _crossover_misses(month: int, volume: float) -> str:
    rows = roi_curves(**{**lesson_inputs(), "volume_per_month": volume})
    slips = (
        (crossover_at(lesson_inputs()["volume_per_month"]), "that is the month at the "
         "lesson's volume; the exercise asks at ten times it."),
        (payback_month(rows, "fine_tuning"), "that is when fine-tuning pays back its own "
         "cost; the question is when it catches up with prompting."),
        (crossover_month(rows, "fine_tuning_net_of_opportunity", "prompting"), "that is "
         "the line net of the opportunity cost; read the plain fine-tuning line."),
    )  # fmt: skip
    why = next((text for value, text in slips if value is not None and month == value), None)
    return why or (
        f"that is not the month at {volume:,.0f} requests a month. Build the rows at that "
        "volume and find the first month fine-tuning's cumulative value catches up with "
        "prompting's (-1 if it never does)."
    )


@exercise(
    "10.4",
    kind="predict",
    title="Ten times the volume: when does fine-tuning overtake prompting?",
    task=(
        f"set `month` to the month in which fine-tuning overtakes prompting at {SCALE} times "
        "the lesson's volume (-1 if it never does within the rows)."
    ),
    hints=[
        f"The check runs `roi_curves` on the lesson's inputs with `volume_per_month` set to "
        f"{SCALE} times the lesson's and takes `crossover_month(rows, 'fine_tuning', "
        "'prompting')`: the first month after fine-tuning was behind in which its cumulative "
        "value is at least prompting's. It wants that whole number (-1 for never).",
        "`rows = roi_curves(**{**inputs, 'volume_per_month': 10 * inputs['volume_per_month']})`"
        ", then `crossover_month(rows, 'fine_tuning', 'prompting')`. Compare it with the month "
        "the lesson printed at its own volume.",
    ],
    solution=(
        "rows = roi_curves(**{**inputs, 'volume_per_month': 10 * inputs['volume_per_month']})\n"
        "month = crossover_month(rows, 'fine_tuning', 'prompting')\n"
        "month = -1 if month is None else month\n\n"
        "# Ten times the volume does not bring the month ten times closer: both tracks earn\n"
        "# in proportion to volume, and only the fixed costs shrink beside those earnings."
    ),
)
def _ten_times(month: int) -> tuple[bool, str]:
    require(month, int, "a whole number of months (-1 if never)")
    first = prediction_for("10.4")
    inputs = lesson_inputs()
    volume = SCALE * inputs["volume_per_month"]
    truth = crossover_at(volume)
    if month != truth:
        return False, _crossover_misses(month, volume)
    before = crossover_at(inputs["volume_per_month"])
    last = roi_curves(**{**inputs, "volume_per_month": volume})[-1]
    edge = (last["fine_tuning_monthly"] - last["prompting_monthly"]) / volume
    shown = "never" if before < 0 else f"month {before}"
    return True, (
        f"{compare(first, truth, digits=0)} At the lesson's volume it was {shown}. Both "
        "tracks earn in proportion to volume, so ten times the traffic shrinks only the fixed "
        "costs (the upfront bill, the versions' hours). What stays is the month of building, "
        "when prompting earns and the fine-tune does not, repaid by an edge of "
        f"{DEFAULT_ASSUMPTIONS.prices.money(edge)} a request that grows with volume just as fast."
    )


# --- 10.5 -------------------------------------------------------------------------------------


def baseline() -> dict[str, Any]:
    """The ROI inputs the decision is taken on: the lesson's (default scenario)."""
    return lesson_inputs()


def flip_point(inputs: dict[str, Any], lever: str) -> float | None:
    """The value of ``lever`` at which the decision flips (None: none within its range).

    The final margin is a straight line in each lever, so two points find the root.
    """
    x0, low, high = float(inputs[lever]), *LEVERS[lever]
    x1 = (x0 / 2 if x0 > 0 else 0.5) if lever == "accuracy_tuned" else (2 * x0 if x0 else 1.0)
    m0, m1 = margin(inputs), margin({**inputs, lever: x1})
    if m1 == m0:
        return None
    root = x0 - m0 * (x1 - x0) / (m1 - m0)
    return root if low <= root <= high else None


def _shown(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.4g}"


def _flip_answer(change: Any) -> tuple[str, float]:
    require(change, dict, "a dict with one input and its new value, like {'volume_per_month': 2e6}")
    if len(change) != 1:
        raise NotYet(f"change exactly one input; your dict has {len(change)}.")
    lever, value = next(iter(change.items()))
    if lever not in LEVERS:
        raise NotYet(f"{lever!r} is not one of the inputs to change here: {', '.join(LEVERS)}.")
    require(value, float, f"a number for {lever}")
    low, high = LEVERS[lever]
    if not low <= value <= high:
        raise NotYet(f"{lever} must lie between {low:g} and {high:g}.")
    return lever, float(value)


def _sensitivity(inputs: dict[str, Any]) -> str:
    """The lever whose smallest flipping change is the smallest share of its value."""
    shares = {}
    for lever in LEVERS:
        root, x0 = flip_point(inputs, lever), float(inputs[lever])
        if root is not None and x0:
            shares[lever] = abs(root - x0) / abs(x0)
    if not shares:
        return ""
    lever = min(shares, key=shares.get)
    return f" Of the five inputs, {lever} flips it with the smallest change ({shares[lever]:.0%})."


@exercise(
    "10.5",
    kind="design",
    title="The smallest change that flips the decision",
    task=(
        "set `change` to a dict {input: new value} that changes one ROI input by as little as "
        "possible (within 5%) and flips which track ends the horizon ahead."
    ),
    hints=[
        "The decision is which track ends the last month ahead: fine-tuning net of its "
        "opportunity cost, or prompting (`margin`: the first minus the second). The check "
        "reruns `roi_curves` with your one change, wants the other track ahead, and computes "
        "the smallest change of that input that does it; yours may be at most 5% larger. "
        f"Inputs you may change: {', '.join(LEVERS)}.",
        "The final margin is a straight line in each of those inputs: compute it at the "
        "lesson's value and at one other value, and solve for zero. Then go a hair past it, "
        "so that the other track is strictly ahead.",
    ],
    solution=(
        "def smallest_flip(lever):  # the margin is a straight line in each input\n"
        "    x0 = inputs[lever]\n"
        "    x1 = x0 / 2 if x0 else 0.5\n"
        "    m0, m1 = margin(inputs), margin({**inputs, lever: x1})\n"
        "    return None if m1 == m0 else x0 - m0 * (x1 - x0) / (m1 - m0)\n\n"
        "roots = {lever: smallest_flip(lever) for lever in LEVERS}\n"
        "lever, root = next((k, r) for k, r in roots.items()\n"
        "                   if r is not None and LEVERS[k][0] <= r <= LEVERS[k][1])\n"
        "change = {lever: root + 0.001 * (root - inputs[lever])}\n\n"
        "# The margin at the lesson's values is what choosing wrong would cost; how far an\n"
        "# input must move before the answer changes is how safe the decision is."
    ),
)
def _flip(change: Any) -> tuple[bool, str]:
    lever, value = _flip_answer(change)
    inputs = baseline()
    before, money = decision(inputs), DEFAULT_ASSUMPTIONS.prices.money
    x0, root = float(inputs[lever]), flip_point(inputs, lever)
    after = {**inputs, lever: value}
    if root is None:
        return False, f"no value of {lever} in its range flips the decision: try another input."
    if decision(after) == before:
        side = "the other way" if (value - x0) * (root - x0) < 0 else "further"
        return False, (
            f"with {lever} = {_shown(value)} {before} still ends ahead (by "
            f"{money(abs(margin(after)))}). Move it {side}."
        )
    if abs(value - x0) > (1 + TOLERANCE) * abs(root - x0) + 1e-9 * max(1.0, abs(x0)):
        return False, (
            f"{lever} = {_shown(value)} flips it, but a smaller change does too: find the smallest "
            "(yours may be at most 5% larger)."
        )
    wrong = "fine-tuning" if before == "prompting" else "prompting"
    moved = (value - x0) / x0 if x0 else 1.0
    return True, (
        f"{lever} from {_shown(x0)} to {_shown(value)} ({moved:+.1%}) hands the "
        f"horizon to {wrong}. At the lesson's values, choosing {wrong} would cost "
        f"{money(abs(margin(inputs)))} over {inputs['months']} months: the price of choosing "
        f"wrong, and this input's margin of safety.{_sensitivity(inputs)}"
    )


# --- 10.6 -------------------------------------------------------------------------------------


#: 10.6: what each status means for the decision.
_MEANING = {
    "supported": "Fine-tuning is the answer wherever in their intervals the accuracies lie.",
    "contradicted": "Prompting is the answer wherever in their intervals the accuracies lie.",
    "inconclusive": "The decision rests on noise: more dev tickets would narrow the intervals "
    "before the money is spent.",
}


def end_margins(volume: float = READ_VOLUME) -> dict[str, float]:
    """The final margin (``margin``) at each end of the accuracy intervals, by end name,
    under the lesson's scenario, at ``volume`` requests a month."""
    scenario = {preset_name(DEFAULT_ASSUMPTIONS): DEFAULT_ASSUMPTIONS}
    ends = roi_ends(_measured(), _versions(), scenario)
    return {end: margin({**ends[end]["inputs"], "volume_per_month": volume}) for end in ENDS}


@exercise(
    "10.6",
    kind="read",
    title="Does the decision survive the accuracy intervals?",
    task=(
        "set `reading` to a pair: the status of 'fine-tuning ends ahead' across the accuracy "
        "intervals, and the final margin at the end 'prompting at its best'."
    ),
    hints=[
        f"At {READ_VOLUME:,} requests a month the check computes the final margin (fine-tuning "
        "net of its opportunity cost minus prompting) at both ends of the accuracy intervals "
        f"({', '.join(ENDS)}). The status follows the rule for computed claims: supported when "
        "fine-tuning ends ahead at both ends, contradicted at neither, inconclusive when only "
        "at one. The number must be the margin at 'prompting at its best' (within 2%).",
        "The notebook's `ends` holds both ends' inputs: run `roi_curves` on each at the "
        "volume, take the last row's `fine_tuning_net_of_opportunity - prompting`, and look "
        "at the sign at each end before choosing the word.",
    ],
    solution=(
        "margins = {end: margin({**ends[end]['inputs'], 'volume_per_month': volume}) "
        "for end in ends}\n"
        "ahead = sum(value > 0 for value in margins.values())\n"
        "word = {2: 'supported', 1: 'inconclusive', 0: 'contradicted'}[ahead]\n"
        "reading = (word, margins['prompting at its best'])\n\n"
        "# A decision read at the measured accuracies alone hides how wide their intervals are\n"
        "# on a few dozen dev tickets."
    ),
)
def _survive(reading: Any) -> tuple[bool, str]:
    word, amount = parse(reading, CLAIM_WORDS, float, "the margin at 'prompting at its best'")
    margins = end_margins()
    worst, best = (margins[end] for end in ENDS)
    truth = status_over_range(worst > 0, best > 0)
    money = DEFAULT_ASSUMPTIONS.prices.money
    if word == NOT_AT_THIS_SCALE:
        return False, "the range here is the accuracies' noise, not the model's size."
    if math.isclose(amount, best, rel_tol=0.02) and not math.isclose(best, worst, rel_tol=0.02):
        return False, f"that is the margin at '{ENDS[1]}'; the evidence is the one at '{ENDS[0]}'."
    if not math.isclose(amount, worst, rel_tol=0.02, abs_tol=1.0):
        return False, (
            f"that is not the final margin at '{ENDS[0]}': fine-tuning net of its opportunity "
            "cost minus prompting, in the last row."
        )
    measured = margin({**lesson_inputs(), "volume_per_month": READ_VOLUME})
    if word != truth:
        at = "ahead" if measured > 0 else "behind"
        return False, (
            f"at the measured accuracies fine-tuning ends {at}, but that is one point of the "
            f"range: its final margin is {money(worst)} at '{ENDS[0]}' and {money(best)} at "
            f"'{ENDS[1]}'. Which status do those two signs give?"
        )
    return True, (
        f"fine-tuning's final margin is {money(worst)} at '{ENDS[0]}' and {money(best)} at "
        f"'{ENDS[1]}' ({money(measured)} at the measured accuracies): {truth}. "
        f"{_MEANING[truth]}"
    )
