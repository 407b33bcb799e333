"""Checks of exercise set 09 (solutions/09_scaling_exercises.ipynb).

- 09.4 (predict): how many times the fine-tune's bill prompting's is, over the horizon,
  at a hundred times the lesson's volume. The upfront bill is paid once, so the ratio
  climbs towards the per-request ratio and never past it.
- 09.5 (design): the lowest volume at which a dedicated server for the fine-tune costs
  less a month than prompting priced per token (the baseline), under a named preset.
- 09.6 (read): what one more use case saves with adapters, and whether machines or
  storage make that saving, read off the per-use-case plot under the laptop's prices.

Every truth is computed from the measured inputs in the results store (``_measured``)
and the named presets, so any correct way of getting there passes, on any model.
"""

from __future__ import annotations

import math
from typing import Any

from prompt_vs_finetune.checks.core import NotYet, exercise, quietly, require, retire
from prompt_vs_finetune.checks.predictions import compare, prediction_for
from prompt_vs_finetune.checks.readings import parse
from prompt_vs_finetune.economics.assumptions import DEFAULT_ASSUMPTIONS, PRESETS, Assumptions
from prompt_vs_finetune.economics.costs import compare_at_volume, cost_per_request
from prompt_vs_finetune.economics.measured import measured_inputs
from prompt_vs_finetune.economics.scaling import upfront, use_case_table
from prompt_vs_finetune.economics.serving import flat_range

retire(
    "09.1",
    "Exercise 09.1 (How many use cases before adapters pay off?) was replaced by 09.6 "
    "(What does one more use case save?).",
)
retire(
    "09.2",
    "Exercise 09.2 (The volume where the fine-tuned model becomes cheaper) was removed: it "
    "repeated 02.2; 09.4 (A hundred times the traffic) covers what volume does to both bills.",
)
retire(
    "09.3",
    "Exercise 09.3 (A leaner prompt for high volume) was removed: it repeated 02.3; 09.5 (From "
    "what volume does a dedicated server beat prompting?) covers the bill at high volume.",
)

SCALE = 100  # 09.4: times the lesson's high volume
SERVING_PRESET = "a team on rented GPUs"  # 09.5: the scenario the serving bills are priced in
ADAPTER_PRESET = "this laptop"  # 09.6: the scenario the use-case plot is priced in
REL_TOL = 0.02  # numbers computed from the same inputs agree within 2%

#: 09.6: what a saving can come from, and the words a learner may use for each.
SAVING_WORDS: dict[str, tuple[str, ...]] = {
    "deployments": ("deployment", "machines", "machine", "servers", "server", "serving",
                    "gpu", "gpus", "replicas", "compute"),
    "storage": ("disk", "files", "file", "gigabytes", "gb", "size", "bytes", "weights"),
}  # fmt: skip


def _measured() -> dict[str, Any]:
    return quietly(measured_inputs)


def _close(value: float, target: float | None) -> bool:
    return target is not None and math.isclose(value, target, rel_tol=REL_TOL)


# --- 09.4 -------------------------------------------------------------------------------------


def ratio_at(volume: float, assumptions: Assumptions = DEFAULT_ASSUMPTIONS) -> float:
    """Prompting's total over the horizon divided by the fine-tune's (upfront included)."""
    m = _measured()
    totals = compare_at_volume(volume, m["prompt_tokens_in"], m["tuned_tokens_in"],
                               m["tokens_out"], upfront(m, assumptions), assumptions.prices,
                               horizon_months=assumptions.horizon_months)  # fmt: skip
    return totals["total_prompting"] / totals["total_tuned"]


def _ratio_misses(ratio: float, volume: float) -> str | None:
    """The reason a wrong ratio is wrong, when it is a known slip."""
    a, m = DEFAULT_ASSUMPTIONS, _measured()
    c_prompt = cost_per_request(m["prompt_tokens_in"], m["tokens_out"], a.prices)
    c_tuned = cost_per_request(m["tuned_tokens_in"], m["tokens_out"], a.prices, tuned=True)
    lesson = ratio_at(a.high_volume)
    one_month = volume * c_prompt / (upfront(m, a).total + volume * c_tuned)
    slips = (
        (c_prompt / c_tuned, "that is the ratio of one request's prices: the upfront bill "
                             "of the fine-tune is left out, and it still counts here."),
        (1 / ratio_at(volume), "that is the fine-tune's bill over prompting's: upside down."),
        (lesson, "that is the ratio at the lesson's volume; the exercise asks at a hundred "
                 "times it."),
        (SCALE * lesson, "that scales the lesson's ratio a hundred times, as if the "
                         "fine-tune's bill stayed put; its requests cost money too."),
        (one_month, "that charges the whole upfront bill to one month; compare the totals "
                    f"over {a.horizon_months:g} months."),
    )  # fmt: skip
    return next((why for value, why in slips if _close(ratio, value)), None)


@exercise(
    "09.4",
    kind="predict",
    title="A hundred times the traffic",
    task=(
        f"set `ratio` to prompting's total cost over the horizon divided by the fine-tune's "
        f"(upfront included) at {SCALE} times the lesson's high volume."
    ),
    hints=[
        "The check computes both totals over `assumptions.horizon_months` at "
        f"{SCALE} x `assumptions.high_volume` requests a month, with the lesson's default "
        "assumptions: prompting pays every request, the fine-tune pays its upfront bill once "
        "plus its own (shorter) requests. It wants prompting's total over the fine-tune's, "
        "within 2%.",
        "`compare_at_volume(volume, measured['prompt_tokens_in'], measured['tuned_tokens_in'], "
        "measured['tokens_out'], upfront(measured, assumptions), assumptions.prices)` returns "
        "`total_prompting` and `total_tuned`; divide the first by the second.",
    ],
    solution=(
        "big = compare_at_volume(100 * assumptions.high_volume, measured['prompt_tokens_in'],\n"
        "                        measured['tuned_tokens_in'], measured['tokens_out'],\n"
        "                        upfront(measured, assumptions), assumptions.prices,\n"
        "                        horizon_months=assumptions.horizon_months)\n"
        "ratio = big['total_prompting'] / big['total_tuned']\n\n"
        "# The upfront bill is paid once: the more requests share it, the closer the ratio\n"
        "# gets to what one request costs each way, and it never passes that."
    ),
)
def _hundred_times(ratio: float) -> tuple[bool, str]:
    require(ratio, float, "a number: prompting's total over the fine-tune's, like 2.5")
    first = prediction_for("09.4")
    a, m = DEFAULT_ASSUMPTIONS, _measured()
    volume = SCALE * a.high_volume
    truth = ratio_at(volume)
    if not _close(ratio, truth):
        why = _ratio_misses(ratio, volume)
        return False, why or (
            f"that is not the ratio of the two totals at {volume:,.0f} requests a month. "
            f"Compute each total over {a.horizon_months:g} months, then divide prompting's "
            "by the fine-tune's."
        )
    c_prompt = cost_per_request(m["prompt_tokens_in"], m["tokens_out"], a.prices)
    c_tuned = cost_per_request(m["tuned_tokens_in"], m["tokens_out"], a.prices, tuned=True)
    lesson = ratio_at(a.high_volume)
    return True, (
        f"{compare(first, truth, unit='x')} At the lesson's volume the ratio was "
        f"{lesson:.2f}x; a hundred times the requests made it {truth / lesson:.1f} times "
        f"larger, not {SCALE}: the upfront bill ({a.prices.money(upfront(m, a).total)}) is "
        "paid once, so the more requests share it, the closer the ratio comes to what one "
        f"request costs each way ({c_prompt / c_tuned:.2f}x), a ceiling it never passes."
    )


# --- 09.5 -------------------------------------------------------------------------------------


def serving_preset() -> Assumptions:
    """The scenario 09.5 prices its serving bills in."""
    return PRESETS[SERVING_PRESET]


def baseline() -> float:
    """Prompting's cost per request under the serving preset: the bill to beat."""
    m = _measured()
    return cost_per_request(m["prompt_tokens_in"], m["tokens_out"], serving_preset().prices)


def dedicated_wins_from(c_prompt: float, assumptions: Assumptions) -> float:
    """The lowest monthly volume at which a dedicated deployment costs less than prompting
    at ``c_prompt`` a request (inf: never, when a full deployment's requests cost less by
    prompt than the deployment's month)."""
    flat = flat_range(assumptions)
    if flat["up_to"] * c_prompt <= flat["monthly"]:
        return math.inf
    return flat["monthly"] / c_prompt


def _serving_misses(volume: float, truth: float) -> str:
    """Why ``volume`` is not the lowest volume at which the dedicated server wins."""
    a, m = serving_preset(), _measured()
    flat, c_prompt = flat_range(a), baseline()
    c_tuned = cost_per_request(m["tuned_tokens_in"], m["tokens_out"], a.prices, tuned=True)
    slips = (
        (flat["monthly"] / c_tuned, "that is where the server matches the fine-tune's own "
                                    "per-token bill; the bill to beat is prompting's."),
        (flat["up_to"], "that is where one deployment is full, not where the two bills cross."),
        ((flat["monthly"] + upfront(m, a).total / a.horizon_months) / c_prompt,
         "that adds the fine-tune's upfront bill; compare the monthly serving bills only."),
    )  # fmt: skip
    why = next((text for value, text in slips if _close(volume, value)), None)
    if why:
        return why
    money = a.prices.money
    if volume < truth:
        return (
            f"at {volume:,.0f} requests the server costs {money(flat['monthly'])} a month and "
            f"prompting {money(volume * c_prompt)}: prompting is still cheaper there."
        )
    lower = volume / (1 + 2 * REL_TOL)
    return (
        f"at {volume:,.0f} requests the server is cheaper, but it already is at {lower:,.0f}: "
        "find the lowest volume where the flat bill drops below prompting's."
    )


@exercise(
    "09.5",
    kind="design",
    title="From what volume does a dedicated server beat prompting?",
    task=(
        "set `from_volume` to the lowest monthly volume at which the fine-tune on a dedicated "
        "deployment costs less a month than prompting per token (math.inf if never)."
    ),
    hints=[
        f"The check prices both monthly serving bills under PRESETS[{SERVING_PRESET!r}], "
        "upfront left out: the dedicated bill is flat (one deployment's month) up to "
        "`replica_requests_per_month`, then steps up a deployment at a time; prompting's bill "
        "is the volume times its cost per request, the baseline the notebook prints. It "
        "wants the volume where the first drops below the second, within 2%.",
        "Below one deployment's capacity the dedicated bill does not move, so the crossing "
        "is where volume x prompting's cost per request equals one deployment's month "
        "(`flat_range(team)`). If that volume is past the capacity, the server never wins.",
    ],
    solution=(
        "flat = flat_range(team)\n"
        "crossing = flat['monthly'] / c_prompt  # below capacity the dedicated bill is flat\n"
        "from_volume = crossing if crossing < flat['up_to'] else math.inf\n\n"
        "# A dedicated machine is a fixed bill: it wins once the traffic that prompting\n"
        "# would bill per token is worth more than the machine's month."
    ),
)
def _dedicated(from_volume: float) -> tuple[bool, str]:
    require(from_volume, float, "a number of requests a month (math.inf if never)")
    a = serving_preset()
    c_prompt = baseline()
    truth = dedicated_wins_from(c_prompt, a)
    flat, money = flat_range(a), a.prices.money
    if math.isinf(truth) and math.isinf(from_volume):
        return True, (
            f"one deployment's month ({money(flat['monthly'])}) costs more than prompting "
            f"{flat['up_to']:,.0f} requests, its whole capacity: the server never wins."
        )
    if math.isinf(from_volume):
        return False, "the server does win from some volume on: compare the two bills again."
    if math.isinf(truth):
        return False, "is one deployment still enough at that volume? Check its capacity."
    if from_volume <= 0:
        raise NotYet("a volume is a number of requests a month, above zero.")
    if not _close(from_volume, truth):
        return False, _serving_misses(from_volume, truth)
    return True, (
        f"from about {truth:,.0f} requests a month one deployment ({money(flat['monthly'])} a "
        f"month, flat up to {flat['up_to']:,.0f}) costs less than prompting at "
        f"{money(c_prompt, 6)} a request. Below that the machine is paid for traffic it "
        "never gets; the bar moves with the prompt's length, since that sets prompting's bill."
    )


# --- 09.6 -------------------------------------------------------------------------------------


def adapter_preset() -> Assumptions:
    """The scenario 09.6's use-case plot is priced in."""
    return PRESETS[ADAPTER_PRESET]


def saving_per_use_case() -> dict[str, float]:
    """What one more use case saves a month with adapters: ``total``, and the parts that
    come from ``deployments`` and from ``storage``."""
    a = adapter_preset()
    first, second = use_case_table(_measured(), a, counts=[1, 2])
    total = second["monthly_saving"] - first["monthly_saving"]
    deployments = a.prices.deployment_per_month()
    return {"total": total, "deployments": deployments, "storage": total - deployments}


@exercise(
    "09.6",
    kind="read",
    title="What does one more use case save?",
    task=(
        "set `reading` to a pair: what the adapters' saving comes from ('deployments' or "
        "'storage'), and how much one more use case saves a month."
    ),
    hints=[
        f"The check builds `use_case_table` under PRESETS[{ADAPTER_PRESET!r}] and takes the "
        "step of `monthly_saving` from one use case to the next: that is the saving of one "
        "more use case (within 5%). The word must name the part of that step that is larger: "
        "a deployment's month, or the storage of one more full copy.",
        "Read the slope of the full-copies line on the plot: each use case adds one "
        "deployment and one model file to it, and nothing but an adapter file to the shared "
        "design. Price each part: `prices.deployment_per_month()` against the gigabytes of a "
        "full copy times `prices.storage_per_gb_month`.",
    ],
    solution=(
        "rows = use_case_table(measured, laptop, counts=[10, 11])\n"
        "reading = ('deployments', rows[1]['monthly_saving'] - rows[0]['monthly_saving'])\n\n"
        "# Even at the laptop's price for a machine, a month of it costs thousands of times\n"
        "# what a month of storing a model copy costs."
    ),
)
def _one_more(reading: Any) -> tuple[bool, str]:
    word, amount = parse(reading, SAVING_WORDS, float, "the monthly saving of one more use case")
    a = adapter_preset()
    money = a.prices.money
    parts = saving_per_use_case()
    truth = "deployments" if parts["deployments"] >= parts["storage"] else "storage"
    rows = use_case_table(_measured(), a)
    last = rows[-1]
    if math.isclose(amount, last["monthly_saving"], rel_tol=REL_TOL) and last["n_use_cases"] > 2:
        return False, (
            f"that is the saving of all {last['n_use_cases']} use cases together; one more use "
            "case adds the step from one row to the next."
        )
    if not math.isclose(amount, parts["total"], rel_tol=2.5 * REL_TOL):
        return False, (
            f"one more use case does not save {money(amount, 2)} a month here. Read how much "
            "the full copies' line rises per use case, less what the adapters' line rises."
        )
    if word != truth:
        return False, (
            f"the amount is right, but the storage of one more full copy costs "
            f"{money(parts['storage'], 4)} a month, its deployment {money(parts['deployments'])}: "
            f"the saving comes from {truth}."
        )
    return True, (
        f"one more use case saves {money(parts['total'], 2)} a month, of which "
        f"{money(parts['deployments'], 2)} is a deployment that stays up all month and "
        f"{money(parts['storage'], 4)} the storage of a full copy. Even at the laptop's price "
        "for a machine, storage hardly counts: adapters save machines, and their small size "
        "is what lets one machine hold them all."
    )
