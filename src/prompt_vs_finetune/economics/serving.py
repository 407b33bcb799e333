"""Serving a fine-tuned model: priced per token, or on dedicated machines at a flat rate.

The guide says a fine-tuned model's calls "cost the same regardless of volume". That holds
for one way of serving and not for the other:

* **dedicated** - the model runs on machines rented by the month. Below the capacity of
  one deployment (``Assumptions.replica_requests_per_month``) the bill is flat: one more
  request costs nothing extra, so the cost *per request* falls as volume grows. Past that
  capacity a second deployment (replica) is needed, and the bill steps up.
* **per token** - a host serves the model (for a LoRA fine-tune, an adapter on a shared
  base model) and bills every token, as for the base model. The bill grows with every
  request, like prompting's, only with a shorter input.

``serving_table`` prices both at each volume from the measured tokens of a fine-tuned
request; ``flat_range`` says up to which volume the dedicated bill stays flat, and
``serving_summary`` says both in a sentence.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from prompt_vs_finetune.economics.assumptions import Assumptions, Prices, as_assumptions
from prompt_vs_finetune.economics.costs import cost_per_request
from prompt_vs_finetune.economics.validate import check_number
from prompt_vs_finetune.ui.tables import Table

__all__ = ["dedicated_monthly", "flat_range", "replicas", "serving_summary", "serving_table"]


def replicas(requests_per_month: float, assumptions: Assumptions | Prices | None = None) -> int:
    """Deployments needed to serve ``requests_per_month`` (at least one)."""
    volume = check_number("requests_per_month", requests_per_month)
    capacity = as_assumptions(assumptions).replica_requests_per_month
    return max(1, math.ceil(volume / capacity))


def dedicated_monthly(
    requests_per_month: float, assumptions: Assumptions | Prices | None = None
) -> float:
    """Monthly bill of serving on dedicated deployments: replicas x one deployment's month."""
    a = as_assumptions(assumptions)
    return replicas(requests_per_month, a) * a.prices.deployment_per_month()


def flat_range(assumptions: Assumptions | Prices | None = None) -> dict[str, float]:
    """Where the dedicated bill is flat: ``up_to`` requests a month, at ``monthly``."""
    a = as_assumptions(assumptions)
    return {"up_to": a.replica_requests_per_month, "monthly": a.prices.deployment_per_month()}


def serving_table(
    measured: dict[str, Any],
    assumptions: Assumptions | Prices | None = None,
    volumes: Iterable[float] | None = None,
) -> Table:
    """The fine-tuned model's monthly serving bill at each volume, both ways.

    ``measured`` needs ``tuned_tokens_in`` and ``tokens_out``; ``volumes`` default to the
    assumptions' ``volume_grid``. Columns: requests_per_month, per_token (bill at the
    fine-tuned per-token price), dedicated (replicas x a deployment's month), replicas,
    per_request_dedicated (the dedicated bill divided by the requests) and flat (True when
    the dedicated bill equals the one at the smallest volume listed).
    """
    a = as_assumptions(assumptions)
    c_tuned = cost_per_request(measured["tuned_tokens_in"], measured["tokens_out"], a.prices,
                               tuned=True)  # fmt: skip
    rows, first = [], None
    for volume in a.volume_grid if volumes is None else volumes:
        bill = dedicated_monthly(volume, a)
        first = bill if first is None else first
        rows.append(
            {"requests_per_month": volume, "per_token": volume * c_tuned, "dedicated": bill,
             "replicas": replicas(volume, a),
             "per_request_dedicated": bill / volume if volume else None,
             "flat": bill == first}
        )  # fmt: skip
    return Table(rows)


def serving_summary(
    measured: dict[str, Any], assumptions: Assumptions | Prices | None = None
) -> str:
    """``serving_table`` in one sentence: where the dedicated bill is flat, where it steps
    up, and how the per-token bill grows from the smallest to the largest volume listed."""
    a = as_assumptions(assumptions)
    money, rows, flat = a.prices.money, serving_table(measured, a), flat_range(a)
    first, last = rows[0], rows[-1]
    stepped = next((r for r in rows if not r["flat"]), None)
    step = (
        f"; at {stepped['requests_per_month']:,.0f} it needs {stepped['replicas']} replicas "
        f"({money(stepped['dedicated'])})" if stepped else ""
    )
    return (
        f"dedicated, flat at {money(flat['monthly'])} a month up to {flat['up_to']:,.0f} "
        f"requests{step}; per token, {money(first['per_token'])} a month at "
        f"{first['requests_per_month']:,.0f} requests and {money(last['per_token'])} at "
        f"{last['requests_per_month']:,.0f}."
    )
