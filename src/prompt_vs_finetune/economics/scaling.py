"""Scaling: what happens to each approach's bill as volume and the number of use cases grow.

Two directions of growth, priced from measured inputs (``measured_inputs``):

* **more requests** (vertical): every prompted request carries the whole prompt, so the
  bill grows in proportion to volume with a slope set by the prompt's length; a
  fine-tuned model sends a short input, so its slope is flatter, but it starts with an
  upfront cost. ``volume_table`` and ``break_even_volume`` show where the lines cross.
* **more use cases** (horizontal): one prompt per use case costs nothing to serve beyond
  its requests, while one fully fine-tuned model per use case means one more model copy
  to store and serve each time. LoRA adapters shrink that: one shared base model plus a
  small adapter per use case. ``use_case_table`` prices both from the measured sizes.

The update cycle is the third axis: ``update_cycle`` sets the measured time of changing
a prompt against the measured time of retraining. ``verdict_for_c17`` turns all of it
into the claim's verdict.

Prices and the people-hours of a fine-tuning project are assumptions (``costs.Prices``,
``ENGINEER_HOURS``); every other number comes from the measured dict.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from prompt_vs_finetune.economics.costs import (
    Prices,
    UpfrontCost,
    break_even_requests,
    cost_per_request,
    fine_tune_upfront_cost,
    per_use_case_cost,
)
from prompt_vs_finetune.ui.tables import Table

__all__ = [
    "ENGINEER_HOURS",
    "HORIZON_MONTHS",
    "USE_CASES",
    "VOLUMES",
    "break_even_volume",
    "mean_adapter_bytes",
    "size_table",
    "upfront",
    "update_cycle",
    "use_case_table",
    "use_cases_to_save",
    "verdict_for_c17",
    "volume_table",
]

ENGINEER_HOURS = 40.0  # ASSUMPTION: a week of an engineer's time to train, test and deploy
HORIZON_MONTHS = 12.0  # costs are compared over one year
VOLUMES = (1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000)
USE_CASES = (1, 2, 3, 5, 10, 20, 50)


def upfront(measured: dict[str, Any], prices: Prices | None = None) -> UpfrontCost:
    """The fine-tune's one-off cost from its measured training time (``ENGINEER_HOURS``)."""
    return fine_tune_upfront_cost(measured["train_seconds"], ENGINEER_HOURS, prices)


def _per_request(measured: dict[str, Any], prices: Prices | None) -> tuple[float, float]:
    prompt = cost_per_request(measured["prompt_tokens_in"], measured["tokens_out"], prices)
    tuned = cost_per_request(
        measured["tuned_tokens_in"], measured["tokens_out"], prices, tuned=True
    )
    return prompt, tuned


def volume_table(
    measured: dict[str, Any],
    prices: Prices | None = None,
    volumes: Iterable[float] = VOLUMES,
) -> Table:
    """Monthly serving bill of each approach at each volume (upfront cost left out).

    Columns: requests_per_month, prompting, fine_tuned, growth (how many times the
    prompting bill of the row above this one; None on the first row) and
    prompting_over_tuned (how many times steeper prompting's line is).
    """
    c_prompt, c_tuned = _per_request(measured, prices)
    rows, previous = [], None
    for volume in volumes:
        bill = volume * c_prompt
        rows.append(
            {
                "requests_per_month": volume,
                "prompting": bill,
                "fine_tuned": volume * c_tuned,
                "growth": None if previous in (None, 0) else bill / previous,
                "prompting_over_tuned": c_prompt / c_tuned if c_tuned else None,
            }
        )
        previous = bill
    return Table(rows)


def break_even_volume(
    measured: dict[str, Any],
    prices: Prices | None = None,
    *,
    horizon_months: float = HORIZON_MONTHS,
    tuned_serving_overhead_per_month: float = 0.0,
) -> float | None:
    """Requests per month above which the fine-tuned model is cheaper over the horizon.

    From the measured tokens per request and training time, with ``ENGINEER_HOURS`` and
    the prices; None when the tuned request is not cheaper (never pays back).
    """
    return break_even_requests(
        measured["prompt_tokens_in"],
        measured["tuned_tokens_in"],
        measured["tokens_out"],
        upfront(measured, prices),
        prices,
        horizon_months=horizon_months,
        tuned_serving_overhead_per_month=tuned_serving_overhead_per_month,
    )


def mean_adapter_bytes(measured: dict[str, Any]) -> float:
    """Average size of the measured LoRA adapters (one per use case), in bytes."""
    sizes = list(measured["adapter_bytes"].values())
    if not sizes:
        raise ValueError("measured['adapter_bytes'] is empty: measure at least one adapter.")
    return sum(sizes) / len(sizes)


def size_table(measured: dict[str, Any]) -> Table:
    """Measured weights on disk: each LoRA adapter and one full model copy, in MB and as a
    share of the full copy."""
    full = measured["full_model_bytes"]
    rows = [
        {
            "weights": f"LoRA adapter: ticket {name}",
            "megabytes": size / 1e6,
            "share_of_full": size / full,
        }
        for name, size in measured["adapter_bytes"].items()
    ]
    rows.append({"weights": "full model copy", "megabytes": full / 1e6, "share_of_full": 1.0})
    return Table(rows)


def use_case_table(
    measured: dict[str, Any],
    prices: Prices | None = None,
    counts: Iterable[int] = USE_CASES,
    *,
    months: float = HORIZON_MONTHS,
) -> Table:
    """``costs.per_use_case_cost`` fed with the measured adapter and full-model sizes,
    plus ``monthly_saving`` (full copies minus adapters, per month)."""
    rows = per_use_case_cost(
        list(counts),
        mean_adapter_bytes(measured),
        measured["full_model_bytes"],
        prices,
        months=months,
    )
    return Table({**row, "monthly_saving": row["full_monthly"] - row["adapter_monthly"]}
                 for row in rows)  # fmt: skip


def use_cases_to_save(
    amount_per_month: float,
    measured: dict[str, Any],
    prices: Prices | None = None,
    *,
    max_use_cases: int = 10_000,
) -> int | None:
    """Fewest use cases at which adapters save at least ``amount_per_month`` over full
    copies (None if not reached by ``max_use_cases``)."""
    rows = use_case_table(measured, prices, range(1, max_use_cases + 1))
    for row in rows:
        if row["monthly_saving"] >= amount_per_month:
            return int(row["n_use_cases"])
    return None


def update_cycle(measured: dict[str, Any]) -> Table:
    """Machine time of shipping a change: edit the prompt vs retrain the model.

    Both rows leave people's time out. ``times_slower`` is relative to the prompt edit.
    """
    edit = float(measured["prompt_update_seconds"])
    retrain = float(measured["train_seconds"])
    return Table(
        [
            {"change": "edit the prompt", "seconds": edit, "times_slower": 1.0},
            {
                "change": "retrain the fine-tune",
                "seconds": retrain,
                "times_slower": retrain / edit if edit > 0 else None,
            },
        ]
    )


def verdict_for_c17(
    measured: dict[str, Any], prices: Prices | None = None
) -> tuple[str, str, dict[str, Any]]:
    """C17 from the measured inputs: (verdict, one-line explanation, detail).

    Two halves, each judged by a rule:

    * **vertical** - prompting's bill has the steeper slope (a prompted request sends at
      least 1.5x the tokens of a fine-tuned one) AND fine-tuning breaks even at some
      finite volume within ``HORIZON_MONTHS``;
    * **horizontal** - a LoRA adapter is under 10% of a full model copy on disk AND, at
      50 use cases, one full model per use case costs at least 10x as much a month as a
      shared base with adapters.

    Both hold: "supported"; one: "partly"; none: "not at this scale".
    """
    c_prompt, c_tuned = _per_request(measured, prices)
    token_ratio = measured["prompt_tokens_in"] / measured["tuned_tokens_in"]
    be = break_even_volume(measured, prices)
    vertical = token_ratio >= 1.5 and be is not None
    size_ratio = mean_adapter_bytes(measured) / measured["full_model_bytes"]
    at_50 = use_case_table(measured, prices, [50])[0]
    cost_ratio = at_50["full_monthly"] / at_50["adapter_monthly"]
    horizontal = size_ratio < 0.10 and cost_ratio >= 10
    verdict = (
        "supported" if vertical and horizontal
        else "partly" if vertical or horizontal
        else "not at this scale"
    )  # fmt: skip
    be_text = "never" if be is None else f"{be:,.0f} requests/month"
    explanation = (
        f"a prompted request sends {token_ratio:.1f}x the tokens of a fine-tuned one, so its "
        f"bill grows {c_prompt / c_tuned:.1f}x as steeply with volume; fine-tuning breaks even "
        f"at {be_text} over {HORIZON_MONTHS:g} months; a LoRA adapter is {size_ratio:.2%} of "
        f"a full model copy, and at 50 use cases full copies cost {cost_ratio:.0f}x as much "
        "a month as one base plus adapters."
    )
    detail = {
        "token_ratio": token_ratio,
        "cost_per_request_prompt": c_prompt,
        "cost_per_request_tuned": c_tuned,
        "break_even_requests_per_month": be,
        "adapter_to_full_size": size_ratio,
        "full_over_adapter_monthly_at_50": cost_ratio,
        "vertical_half": vertical,
        "horizontal_half": horizontal,
    }
    return verdict, explanation, detail
