"""Checks of exercise set 09 (solutions/09_scaling_exercises.ipynb).

Every number is compared with what the course's own functions compute from the
measured inputs in the results store (``measured_inputs``), so any correct way of
getting there passes.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from prompt_vs_finetune.checks.core import NotYet, default_model, exercise, require
from prompt_vs_finetune.economics.assumptions import DEFAULT_ASSUMPTIONS
from prompt_vs_finetune.economics.costs import cost_per_request
from prompt_vs_finetune.economics.measured import measured_inputs
from prompt_vs_finetune.economics.scaling import break_even_volume, upfront, use_case_table

if TYPE_CHECKING:
    from prompt_vs_finetune.measure.evaluate import Evaluation

SAVING_TARGET = 20_000.0  # 09.1: dollars a month that adapters should save
LEAN_N = 40  # 09.3: dev tickets the lean prompt is scored on
LEAN_TOKEN_SHARE = 0.6  # 09.3: at most this share of the 8-shot prompt's tokens per request
LEAN_SLACK = 0.05  # 09.3: accuracy may be this much below the 8-shot prompt's
HORIZON_MONTHS = DEFAULT_ASSUMPTIONS.horizon_months  # 09.2: the horizon of the comparison


def _measured() -> dict[str, Any]:
    return measured_inputs()


# --- 09.1 -------------------------------------------------------------------------------------


def use_cases_needed(target: float = SAVING_TARGET) -> tuple[int, Any]:
    """The fewest use cases at which adapters save ``target`` a month, and the table."""
    rows = use_case_table(_measured(), None, range(1, 201))
    for row in rows:
        if row["monthly_saving"] >= target:
            return int(row["n_use_cases"]), rows
    raise RuntimeError("the saving target is not reached within 200 use cases")


@exercise(
    "09.1",
    kind="design",
    title="How many use cases before adapters pay off?",
    task=(
        f"set `n_use_cases` to the fewest use cases at which one base model plus LoRA "
        f"adapters saves at least ${SAVING_TARGET:,.0f} a month over one full model per use case."
    ),
    hints=[
        "The check builds `use_case_table(measured, counts=range(1, 201))` with the measured "
        "adapter and full-model sizes and default Prices, and looks for the first row whose "
        f"`monthly_saving` (full_monthly - adapter_monthly) is at least {SAVING_TARGET:,.0f}. "
        "It wants that row's n_use_cases: a whole number.",
        "Loop over the rows and stop at the first one that reaches the target, e.g. "
        "`next(r['n_use_cases'] for r in rows if r['monthly_saving'] >= 20_000)`. Notice "
        "which column grows: each full copy needs its own deployment.",
    ],
    solution=(
        "rows = use_case_table(measured, counts=range(1, 201))\n"
        "n_use_cases = next(r['n_use_cases'] for r in rows if r['monthly_saving'] >= 20_000)\n\n"
        "# The disk space hardly matters in money; what adapters save is a serving deployment\n"
        "# per extra use case, and they can share one because each adapter is so small."
    ),
)
def _use_cases(n_use_cases: int) -> tuple[bool, str]:
    require(n_use_cases, int)
    truth, rows = use_cases_needed()
    saving = {int(r["n_use_cases"]): r["monthly_saving"] for r in rows}
    if n_use_cases == truth:
        return True, (
            f"with {truth} use cases adapters save ${saving[truth]:,.0f} a month; with "
            f"{truth - 1} only ${saving.get(truth - 1, 0):,.0f}."
        )
    if n_use_cases < 1:
        return False, "a number of use cases is at least 1."
    if n_use_cases < truth:
        got = saving.get(n_use_cases, 0.0)
        return False, (
            f"at {n_use_cases} use cases adapters save ${got:,.0f} a month, less than "
            f"${SAVING_TARGET:,.0f}. Look further down the table."
        )
    return False, (
        f"{n_use_cases} use cases save enough, but so does a smaller number. The exercise "
        "asks for the fewest: the first row that reaches the target."
    )


# --- 09.2 -------------------------------------------------------------------------------------


@exercise(
    "09.2",
    kind="design",
    title="The volume where the fine-tuned model becomes cheaper",
    task=(
        "set `volume` to the requests per month above which the fine-tuned model costs less "
        f"than prompting over {HORIZON_MONTHS:g} months (upfront cost included)."
    ),
    hints=[
        f"Over {HORIZON_MONTHS:g} months prompting costs months x V x c_prompt and the "
        "fine-tune costs upfront + months x V x c_tuned, with c_prompt and c_tuned the cost "
        "of one request from the measured tokens (`cost_per_request`) and upfront from the "
        "measured training time (`scaling.upfront(measured)`). The check wants the V where "
        "the two are equal, within 2%.",
        f"Solve upfront + {HORIZON_MONTHS:g} V c_tuned = {HORIZON_MONTHS:g} V c_prompt for V, "
        "or let the course do it: `costs.break_even_requests(prompt_tokens_in, "
        "tuned_tokens_in, tokens_out, upfront(measured))` (the tuned model's price: "
        "`tuned=True`).",
    ],
    solution=(
        "c_prompt = cost_per_request(measured['prompt_tokens_in'], measured['tokens_out'])\n"
        "c_tuned = cost_per_request(measured['tuned_tokens_in'], measured['tokens_out'], "
        "tuned=True)\n"
        "volume = upfront(measured).total / (assumptions.horizon_months * (c_prompt - c_tuned))"
        "\n\n"
        "# the same as scaling.break_even_volume(measured)"
    ),
)
def _break_even(volume: float) -> tuple[bool, str]:
    require(volume, float)
    measured = _measured()
    truth = break_even_volume(measured)
    if truth is None:  # pragma: no cover - only with prices where tuning never pays back
        raise NotYet("with these measured inputs fine-tuning never pays back.")
    if math.isclose(volume, truth, rel_tol=0.02):
        return True, (
            f"above about {truth:,.0f} requests a month the fine-tuned model is cheaper over "
            f"{HORIZON_MONTHS:g} months."
        )
    c_prompt = cost_per_request(measured["prompt_tokens_in"], measured["tokens_out"])
    c_tuned = cost_per_request(measured["tuned_tokens_in"], measured["tokens_out"], tuned=True)
    total = upfront(measured).total
    if volume > 0 and math.isclose(volume, total / (c_prompt - c_tuned), rel_tol=0.02):
        return False, (
            "that volume repays the upfront cost in a single month. The comparison is over "
            f"{HORIZON_MONTHS:g} months: spread the upfront cost over all of them."
        )
    if volume > 0 and math.isclose(volume, total / (HORIZON_MONTHS * c_prompt), rel_tol=0.02):
        return False, (
            "the fine-tuned model's requests are not free: subtract its own cost per request "
            "(c_prompt - c_tuned is the saving per request)."
        )
    side = "high" if volume > truth else "low"
    return False, (
        f"{volume:,.0f} requests a month is too {side}. At the break-even volume the two "
        f"{HORIZON_MONTHS:g}-month totals are equal; compute both at your volume to see."
    )


# --- 09.3 -------------------------------------------------------------------------------------


def _reference(lm: Any) -> Evaluation:
    """The default 8-shot prompt evaluated on the dev tickets (cached)."""
    from prompt_vs_finetune.data import load_tickets
    from prompt_vs_finetune.measure.evaluate import evaluate

    return evaluate(lm, load_tickets("category"), k=8, split="dev", n=LEAN_N)


@exercise(
    "09.3",
    kind="design",
    title="A leaner prompt for high volume",
    task=(
        f"set `lean_prompt` to a ticket-category prompt (a FewShotPrompt) that sends at most "
        f"{LEAN_TOKEN_SHARE:.0%} of the 8-shot prompt's tokens per request and loses at most "
        f"{LEAN_SLACK:.2f} accuracy on {LEAN_N} dev tickets."
    ),
    hints=[
        f"The check counts the tokens per request of your prompt on {LEAN_N} dev tickets and "
        f"compares them with the 8-shot prompt's: at most {LEAN_TOKEN_SHARE:.0%}. Then it "
        f"scores both on those tickets; yours may be at most {LEAN_SLACK:.2f} below. Build it "
        "with `build_prompt(task, k=..., ...)` for the category task.",
        "Fewer examples means fewer tokens on every request: count what k=2, 3 or 4 cost with "
        "`prompt_tokens` before asking the check (long examples eat the budget fast). A "
        "shorter instruction also saves tokens on every call.",
    ],
    solution=(
        "lean_prompt = build_prompt(task, k=2)\n\n"
        "# Every token cut from the prompt is cut from every request: at high volume that is\n"
        "# where prompting's bill comes from."
    ),
)
def _lean_prompt(lean_prompt: Any) -> tuple[bool, str]:
    from prompt_vs_finetune.data import load_tickets
    from prompt_vs_finetune.measure.evaluate import evaluate
    from prompt_vs_finetune.prompting.fewshot import FewShotPrompt

    require(lean_prompt, FewShotPrompt, "a FewShotPrompt, e.g. build_prompt(task, k=2)")
    task = load_tickets("category")
    if set(lean_prompt.labels) != set(task.labels):
        return False, (
            "this prompt's labels are not the ticket categories. Build it from "
            "`load_tickets('category')`."
        )
    lm = default_model()
    ref = _reference(lm)
    budget = LEAN_TOKEN_SHARE * ref.mean_tokens
    from prompt_vs_finetune.prompting.fewshot import prompt_tokens

    examples = task.subset("dev", LEAN_N, seed=0)
    tokens = prompt_tokens(lm, lean_prompt, examples)
    mean_tokens = sum(tokens) / len(tokens)
    if mean_tokens > budget:
        return False, (
            f"your prompt sends {mean_tokens:.0f} tokens per request; the budget is "
            f"{budget:.0f} ({LEAN_TOKEN_SHARE:.0%} of the 8-shot prompt's "
            f"{ref.mean_tokens:.0f}). Use fewer or shorter examples."
        )
    mine = evaluate(lm, task, lean_prompt, split="dev", n=LEAN_N).accuracy
    floor = ref.accuracy - LEAN_SLACK
    if mine + 1e-9 >= floor:
        return True, (
            f"{mean_tokens:.0f} tokens per request instead of {ref.mean_tokens:.0f} "
            f"({mean_tokens / ref.mean_tokens:.0%}), accuracy {mine:.2f} vs "
            f"{ref.accuracy:.2f} for the 8-shot prompt."
        )
    return False, (
        f"{mean_tokens:.0f} tokens per request is within budget, but accuracy is {mine:.2f}; "
        f"it needs at least {floor:.2f} (the 8-shot prompt scores {ref.accuracy:.2f}). "
        "Choose examples that teach more per token."
    )
