"""Scaling: what happens to each approach's bill as volume and the number of use cases grow.

Two directions of growth, priced from measured inputs (``measured.measured_inputs``):

* **more requests** (vertical): every prompted request carries the whole prompt, so the
  bill grows in proportion to volume with a slope set by the prompt's length; a
  fine-tuned model sends a short input, so its slope is flatter, but it starts with an
  upfront cost. ``volume_table`` and ``break_even_volume`` show where the lines cross.
* **more use cases** (horizontal): one prompt per use case costs nothing to serve beyond
  its requests, while one fully fine-tuned model per use case means one more model copy
  to store and serve each time. LoRA adapters shrink that: one shared base model plus a
  small adapter per use case. ``use_case_table`` prices both from the measured sizes.

The update cycle is the third axis: ``update_cycle`` sets the measured time of changing
a prompt against the measured time of retraining. The rule of C17 in ``claims`` turns all
of it into the claim's verdict.

Prices, people's hours, volumes and the horizon come from ``assumptions.Assumptions``
(every function takes one, or only Prices, or nothing for the defaults); every other
number comes from the measured dict.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from prompt_vs_finetune.economics.assumptions import Assumptions, Prices, as_assumptions
from prompt_vs_finetune.economics.costs import (
    UpfrontCost,
    break_even_requests,
    cost_per_request,
    fine_tune_upfront_cost,
    per_use_case_cost,
)
from prompt_vs_finetune.ui.tables import Table

__all__ = [
    "break_even_volume",
    "mean_adapter_bytes",
    "size_table",
    "upfront",
    "update_cycle",
    "use_case_table",
    "volume_table",
]


def upfront(
    measured: dict[str, Any], assumptions: Assumptions | Prices | None = None
) -> UpfrontCost:
    """The fine-tune's one-off cost from its measured training time and the assumptions."""
    return fine_tune_upfront_cost(measured["train_seconds"], assumptions)


def _per_request(
    measured: dict[str, Any], assumptions: Assumptions | Prices | None
) -> tuple[float, float]:
    prices = as_assumptions(assumptions).prices
    prompt = cost_per_request(measured["prompt_tokens_in"], measured["tokens_out"], prices)
    tuned = cost_per_request(
        measured["tuned_tokens_in"], measured["tokens_out"], prices, tuned=True
    )
    return prompt, tuned


def volume_table(
    measured: dict[str, Any],
    assumptions: Assumptions | Prices | None = None,
    volumes: Iterable[float] | None = None,
) -> Table:
    """Monthly serving bill of each approach at each volume (upfront cost left out).

    ``volumes`` default to the assumptions' ``volume_grid``. Columns: requests_per_month,
    prompting, fine_tuned, growth (how many times the prompting bill of the row above
    this one; None on the first row) and prompting_over_tuned (how many times steeper
    prompting's line is).
    """
    c_prompt, c_tuned = _per_request(measured, assumptions)
    if volumes is None:
        volumes = as_assumptions(assumptions).volume_grid
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
    assumptions: Assumptions | Prices | None = None,
    *,
    tuned_serving_overhead_per_month: float = 0.0,
) -> float | None:
    """Requests per month above which the fine-tuned model is cheaper over the horizon.

    From the measured tokens per request and training time, with the assumptions' hours,
    prices and ``horizon_months``; None when the tuned request is not cheaper (never pays
    back).
    """
    a = as_assumptions(assumptions)
    return break_even_requests(
        measured["prompt_tokens_in"],
        measured["tuned_tokens_in"],
        measured["tokens_out"],
        upfront(measured, a),
        a.prices,
        horizon_months=a.horizon_months,
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
    assumptions: Assumptions | Prices | None = None,
    counts: Iterable[int] | None = None,
) -> Table:
    """``costs.per_use_case_cost`` fed with the measured adapter and full-model sizes,
    plus ``monthly_saving`` (full copies minus adapters, per month).

    ``counts`` default to the assumptions' ``use_case_counts``; totals run over their
    ``horizon_months``.
    """
    a = as_assumptions(assumptions)
    rows = per_use_case_cost(
        list(a.use_case_counts if counts is None else counts),
        mean_adapter_bytes(measured),
        measured["full_model_bytes"],
        a.prices,
        months=a.horizon_months,
    )
    return Table({**row, "monthly_saving": row["full_monthly"] - row["adapter_monthly"]}
                 for row in rows)  # fmt: skip


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
