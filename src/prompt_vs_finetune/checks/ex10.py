"""Checks of exercise set 10 (solutions/10_roi_exercises.ipynb).

The ROI inputs are rebuilt from the results store exactly as the lesson builds them
(``roi_comparison.roi_inputs``), so an answer is compared with the same curves the
learner sees.
"""

from __future__ import annotations

from typing import Any

from prompt_vs_finetune.checks.core import NotYet, default_model, exercise, require
from prompt_vs_finetune.economics.assumptions import DEFAULT_ASSUMPTIONS
from prompt_vs_finetune.economics.measured import measured_inputs
from prompt_vs_finetune.economics.roi import payback_month, roi_curves
from prompt_vs_finetune.economics.roi_inputs import (
    VERSIONS_N,
    VERSIONS_SPLIT,
    prompt_versions,
    roi_inputs,
)

PAYBACK_VOLUME = 5_000_000  # 10.1: requests per month of the scenario
PAYBACK_MONTHS = 36
NEXT_VERSION_GAIN = 0.10  # 10.3: accuracy the learner's version must add over v1
EXPLAIN_WORDS = 6  # 10.2: shortest acceptable explanation

#: 10.2: which words show that an explanation talks about the lever that was moved.
LEVER_WORDS: dict[str, tuple[str, ...]] = {
    "volume_per_month": ("volume", "request", "traffic", "usage", "scale"),
    "value_per_correct_answer": ("value", "worth", "benefit", "earn"),
    "months": ("month", "horizon", "time", "long", "short", "year"),
    "accuracy_tuned": ("accura", "better", "worse", "quality", "correct"),
    "accuracy_prompt": ("accura", "better", "worse", "quality", "correct"),
    "cost_per_request_tuned": ("cost", "price", "expensive", "cheap"),
    "cost_per_request_prompt": ("cost", "price", "expensive", "cheap"),
    "fine_tune_upfront": ("upfront", "up front", "invest", "cost", "expensive"),
    "tuned_overhead_per_month": ("overhead", "hosting", "serving", "cost", "upkeep"),
    "build_months": ("build", "month", "time", "late", "delay"),
    "prompt_dev_cost": ("cost", "version", "develop"),
}


def lesson_inputs() -> dict[str, Any]:
    """The ROI inputs of lesson 10 (measured numbers, default assumptions)."""
    return roi_inputs(measured_inputs(), prompt_versions())


def payback_rows() -> Any:
    """The rows exercise 10.1 asks about."""
    return roi_curves(
        **{**lesson_inputs(), "volume_per_month": PAYBACK_VOLUME, "months": PAYBACK_MONTHS}
    )


# --- 10.1 -------------------------------------------------------------------------------------


@exercise(
    "10.1",
    kind="design",
    title="Read the payback month off the rows",
    task=(
        "set `payback` to the first month in which fine-tuning's cumulative value is zero or "
        "more (-1 if that never happens within the rows)."
    ),
    hints=[
        "Each row is one month; the column `fine_tuning` is the cumulative value of the "
        "fine-tune so far (it starts at minus the upfront cost). The check wants the "
        "`month` of the first row where that column is >= 0: a whole number.",
        "Loop over the rows in order and stop at the first match: "
        "`next((r['month'] for r in rows if r['fine_tuning'] >= 0), -1)`. "
        "`roi.payback_month(rows)` does the same.",
    ],
    solution=(
        "payback = next((r['month'] for r in rows if r['fine_tuning'] >= 0), -1)\n\n"
        "# roi.payback_month(rows, 'fine_tuning') gives the same month (None for never)."
    ),
)
def _payback(payback: int) -> tuple[bool, str]:
    require(payback, int)
    rows = payback_rows()
    truth = payback_month(rows, "fine_tuning")
    truth = -1 if truth is None else truth
    if payback == truth:
        if truth == -1:
            return True, "fine-tuning never gets back to zero within these rows."
        before = rows[truth - 1]["fine_tuning"] if truth > 0 else None
        return True, (
            f"fine-tuning is back above zero in month {truth} "
            f"(cumulative {rows[truth]['fine_tuning']:,.0f}"
            + (f", after {before:,.0f} the month before)." if before is not None else ").")
        )
    if payback == payback_month(rows, "prompting"):
        return False, "that is when *prompting* pays back. Read the `fine_tuning` column."
    if 0 <= payback < len(rows) and rows[payback]["fine_tuning"] < 0:
        return False, (
            f"in month {payback} fine-tuning is still at {rows[payback]['fine_tuning']:,.0f}: "
            "below zero. Look later."
        )
    if 0 <= payback < len(rows):
        return False, (
            f"fine-tuning is above zero in month {payback}, but it already was earlier. The "
            "exercise asks for the first such month."
        )
    return False, f"the rows cover months 0 to {len(rows) - 1}; {payback} is not one of them."


# --- 10.2 -------------------------------------------------------------------------------------


@exercise(
    "10.2",
    kind="design",
    title="A scenario where fine-tuning never pays back",
    task=(
        "set `scenario` to a dict of roi_curves inputs to change (e.g. 'volume_per_month') "
        "plus a 'why' sentence, such that fine-tuning never pays back."
    ),
    hints=[
        "The check starts from the lesson's inputs, replaces those named in your dict (any "
        "roi_curves keyword: volume_per_month, months, value_per_correct_answer, "
        "fine_tune_upfront, ...), runs roi_curves and wants the `fine_tuning` column to stay "
        f"below zero in every month. It also wants a 'why' of at least {EXPLAIN_WORDS} words "
        "that talks about what you changed.",
        "Fine-tuning earns volume x (accuracy x value - cost per request) a month after it is "
        "built, and must first earn back its upfront cost. Shrink what it earns each month "
        "(fewer requests, less value per answer) or the time it has to earn it (fewer months), "
        "and say so in 'why'.",
    ],
    solution=(
        "scenario = {\n"
        '    "volume_per_month": 1_000,\n'
        '    "why": "At a thousand requests a month the monthly gain is tiny, so the upfront '
        'cost is never earned back within two years.",\n'
        "}"
    ),
)
def _never(scenario: dict) -> tuple[bool, str]:
    require(scenario, dict)
    changes = {k: v for k, v in scenario.items() if k != "why"}
    if not changes:
        return False, "change at least one input (e.g. 'volume_per_month') besides 'why'."
    base = lesson_inputs()
    unknown = sorted(set(changes) - set(base) - {"tuned_overhead_per_month", "baseline_accuracy",
                                                  "opportunity_months"})  # fmt: skip
    if unknown:
        return False, (
            f"{', '.join(map(repr, unknown))} is not an input of roi_curves. Use names such as "
            "'volume_per_month', 'months' or 'value_per_correct_answer'."
        )
    try:
        rows = roi_curves(**{**base, **changes})
    except (TypeError, ValueError) as exc:
        raise NotYet(f"roi_curves cannot use these inputs: {exc}") from None
    paid = payback_month(rows, "fine_tuning")
    if paid is not None:
        return False, (
            f"with these inputs fine-tuning is back above zero in month {paid} "
            f"(cumulative {rows[paid]['fine_tuning']:,.0f}). Push harder on the lever, or "
            "choose another."
        )
    why = scenario.get("why")
    if not isinstance(why, str) or len(why.split()) < EXPLAIN_WORDS:
        return False, (
            f"fine-tuning never pays back here. Now add a 'why' of at least {EXPLAIN_WORDS} "
            "words saying what makes it so."
        )
    text = why.lower()
    words = {w for key in changes for w in LEVER_WORDS.get(key, (key.split("_")[0],))}
    if not any(w in text for w in words):
        return False, (
            "fine-tuning never pays back, but 'why' does not mention what you changed "
            f"({', '.join(changes)}). Explain how that change stops it paying back."
        )
    return True, (
        f"after {len(rows) - 1} months fine-tuning is still at {rows[-1]['fine_tuning']:,.0f}: "
        "it never earns back its upfront cost."
    )


# --- 10.3 -------------------------------------------------------------------------------------


def first_version_accuracy() -> float:
    """Accuracy of lesson 08's first prompt version on the ROI tickets (from the store)."""
    return float(prompt_versions()["accuracies"][0])


@exercise(
    "10.3",
    kind="design",
    title="Write the next prompt version, and price it",
    task=(
        "set `next_version` to a PromptVersion (e.g. TICKET_VERSIONS[0].edit(...)) that scores "
        f"at least {NEXT_VERSION_GAIN:.2f} higher than the first version on the lesson's "
        "tickets."
    ),
    hints=[
        f"The check measures your version with `evaluate(lm, task, next_version, "
        f"split={VERSIONS_SPLIT!r}, n={VERSIONS_N})` on the ticket categories and compares "
        f"with the first version (TICKET_VERSIONS[0]); yours must add at least "
        f"{NEXT_VERSION_GAIN:.2f} accuracy. Make it with "
        "`TICKET_VERSIONS[0].edit('mine', 'what I changed', instruction=...)`.",
        "A small model learns more from examples than from wording: show solved tickets "
        "(k=6 gives one per category). `calibrate=True` also removes the model's bias towards "
        "some labels. Combine the two.",
    ],
    solution=(
        "next_version = TICKET_VERSIONS[0].edit(\n"
        '    "mine", "calibrate, and show one solved ticket per category", calibrate=True, k=6\n'
        ")\n\n"
        "# An early edit like this one adds more accuracy than any later polish: it pays\n"
        "# for its half day of work within days at high volume."
    ),
)
def _next_version(next_version: Any) -> tuple[bool, str]:
    from prompt_vs_finetune.data import load_tickets
    from prompt_vs_finetune.measure.evaluate import evaluate
    from prompt_vs_finetune.prompting.versions import PromptVersion

    require(next_version, PromptVersion, "a PromptVersion, e.g. TICKET_VERSIONS[0].edit(...)")
    task = load_tickets("category")
    mine = evaluate(
        default_model(), task, next_version, split=VERSIONS_SPLIT, n=VERSIONS_N
    ).accuracy
    first = first_version_accuracy()
    gain = mine - first
    if gain + 1e-9 < NEXT_VERSION_GAIN:
        return False, (
            f"your version scores {mine:.2f}, the first one {first:.2f}: a gain of {gain:+.2f}, "
            f"and the check wants at least +{NEXT_VERSION_GAIN:.2f}. Change what the model is "
            "told or shown, not only the wording."
        )
    inputs = lesson_inputs()
    worth = gain * inputs["volume_per_month"] * inputs["value_per_correct_answer"]
    cost = inputs["prompt_dev_cost"]
    hours = DEFAULT_ASSUMPTIONS.prompt_hours_per_version
    return True, (
        f"{mine:.2f} vs {first:.2f} ({gain:+.2f}). At {inputs['volume_per_month']:,.0f} "
        f"requests a month that gain is worth about ${worth:,.0f} a month, against "
        f"${cost:,.0f} ({hours:g} hours) to write it."
    )
