"""What each approach costs: per request, per month, up front, and at scale.

The notebooks feed these functions *measured* quantities (tokens per request from the
tokenizer, seconds of training on this machine). Prices, people's hours and horizons
cannot be measured on a laptop: they come from ``assumptions.Assumptions`` (prices in
its ``Prices``), editable assumptions with a source each. Change them and every number
downstream follows.

The model in one paragraph: a request costs its input tokens plus its output tokens at
a price per 1,000 tokens. Prompting sends long prompts (instructions, examples) on every
request. A fine-tuned model needs a shorter input, so each request is cheaper, but you
pay first: compute for training runs plus people's time to prepare data and engineer the
training. Fine-tuning pays back when the per-request saving, summed over the months you
run it, covers that upfront bill (and any fixed monthly cost of hosting the tuned model).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from prompt_vs_finetune.economics.assumptions import (
    DEFAULT_ASSUMPTIONS,
    GB,
    Assumptions,
    Prices,
    as_assumptions,
    prices_of,
)
from prompt_vs_finetune.economics.validate import check_number, mean_tokens
from prompt_vs_finetune.ui.tables import Table

__all__ = [
    "UpfrontCost",
    "break_even_requests",
    "compare_at_volume",
    "cost_per_request",
    "cost_vs_volume",
    "fine_tune_upfront_cost",
    "monthly_cost",
    "payback_months",
    "per_use_case_cost",
]

HORIZON = DEFAULT_ASSUMPTIONS.horizon_months  # the default horizon of the functions below


def _money(value: Any, name: str) -> float:
    """An amount of money: a number, or an UpfrontCost (its total)."""
    if isinstance(value, UpfrontCost):
        return value.total
    return check_number(name, value, allow_inf=True)


# ---- per request and per month -------------------------------------------------------------
def cost_per_request(
    tokens_in: float | Sequence[float],
    tokens_out: float | Sequence[float],
    prices: Prices | Assumptions | None = None,
    *,
    tuned: bool = False,
) -> float:
    """Money for one request: input tokens and output tokens at the per-1k prices.

    ``tokens_in``/``tokens_out`` may be one number or a list of per-request counts (e.g.
    ``LabelScores.tokens_per_request``); a list is averaged. ``tuned=True`` uses the
    fine-tuned model's prices.
    """
    p = prices_of(prices)
    n_in = mean_tokens("tokens_in", tokens_in)
    n_out = mean_tokens("tokens_out", tokens_out)
    price_in, price_out = (
        (p.tuned_input, p.tuned_output) if tuned else (p.input_per_1k, p.output_per_1k)
    )
    return n_in / 1000 * price_in + n_out / 1000 * price_out


def monthly_cost(
    requests_per_month: float,
    tokens_in: float | Sequence[float],
    tokens_out: float | Sequence[float],
    prices: Prices | Assumptions | None = None,
    *,
    tuned: bool = False,
    fixed_per_month: float = 0.0,
) -> float:
    """Requests per month x cost per request, plus any fixed monthly cost (hosting).

    Linear in volume: twice the requests, twice the variable bill.
    """
    volume = check_number("requests_per_month", requests_per_month, allow_inf=True)
    fixed = check_number("fixed_per_month", fixed_per_month)
    per_request = cost_per_request(tokens_in, tokens_out, prices, tuned=tuned)
    return volume * per_request + fixed if volume else fixed


# ---- upfront cost of fine-tuning -----------------------------------------------------------
@dataclass(frozen=True)
class UpfrontCost:
    """The one-off bill of a fine-tuning project, split by where the money goes.

    ``float(cost)`` gives the total, so it can be passed wherever an amount is expected.
    ``parts()`` names each part (training compute, evaluation runs, engineering, data
    preparation).
    """

    gpu_hours: float
    compute: float
    engineering: float
    data_prep: float
    assumptions: dict[str, float] = field(default_factory=dict)
    evaluation: float = 0.0

    @property
    def total(self) -> float:
        return self.compute + self.evaluation + self.engineering + self.data_prep

    def __float__(self) -> float:
        return self.total

    def parts(self) -> dict[str, float]:
        """Each part of the bill by name, in the order of ``table``."""
        return {
            "training compute": self.compute,
            "evaluation runs": self.evaluation,
            "engineering": self.engineering,
            "data preparation": self.data_prep,
        }

    def table(self, prices: Prices | Assumptions | None = None) -> Table:
        """The split as rows (part, amount, share of total)."""
        p = prices_of(prices)
        total = self.total or 1.0
        rows = [
            {"part": name, "amount": p.money(value), "share": value / total}
            for name, value in self.parts().items()
        ]
        rows.append({"part": "total", "amount": p.money(self.total), "share": 1.0})
        return Table(rows)


def fine_tune_upfront_cost(
    train_seconds: float, assumptions: Assumptions | Prices | None = None
) -> UpfrontCost:
    """Estimate the one-off cost of fine-tuning from a measured training time.

    ``train_seconds`` is what the course's tiny fine-tune took on this machine. A real
    project trains a bigger model on more data, on GPUs, so the measured time is scaled
    (``compute_scale`` is 1 for "this laptop": the run as measured):

        machine hours = train_seconds / 3600 x compute_scale x training_runs

    Evaluation costs ``evaluation_runs`` x ``evaluation_hours`` of the same machine.
    People cost ``engineer_hours`` (training, evaluation, deployment) plus
    ``data_prep_hours`` (collecting and labelling examples), both at the engineer's
    hourly price. Every factor comes from ``assumptions`` (Prices alone: default hours).
    """
    a = as_assumptions(assumptions)
    seconds = check_number("train_seconds", train_seconds)
    gpu_hours = seconds / 3600 * a.compute_scale * a.training_runs
    hourly = a.prices.engineer_hourly
    return UpfrontCost(
        gpu_hours=gpu_hours,
        compute=gpu_hours * a.prices.gpu_hourly,
        engineering=a.engineer_hours * hourly,
        data_prep=a.data_prep_hours * hourly,
        assumptions={
            "train_seconds": seconds,
            "compute_scale": float(a.compute_scale),
            "runs": float(a.training_runs),
            "engineer_hours": float(a.engineer_hours),
            "data_prep_hours": float(a.data_prep_hours),
            "evaluation_runs": float(a.evaluation_runs),
            "evaluation_hours": float(a.evaluation_hours),
        },
        evaluation=a.evaluation_runs * a.evaluation_hours * a.prices.gpu_hourly,
    )


# ---- break-even ----------------------------------------------------------------------------
def _saving_per_request(
    prompt_tokens_in: Any, tuned_tokens_in: Any, tokens_out: Any, prices: Prices
) -> float:
    prompt = cost_per_request(prompt_tokens_in, tokens_out, prices)
    tuned = cost_per_request(tuned_tokens_in, tokens_out, prices, tuned=True)
    return prompt - tuned


def _upfront_and_overhead(upfront_cost: Any, overhead: Any) -> tuple[float, float]:
    """The upfront cost (at least 0) and the monthly serving overhead, checked."""
    upfront = _money(upfront_cost, "upfront_cost")
    if upfront < 0:
        raise ValueError(f"upfront_cost must be at least 0, not {upfront}.")
    return upfront, check_number("tuned_serving_overhead_per_month", overhead)


def break_even_requests(
    prompt_tokens_in: float | Sequence[float],
    tuned_tokens_in: float | Sequence[float],
    tokens_out: float | Sequence[float],
    upfront_cost: float | UpfrontCost,
    prices: Prices | Assumptions | None = None,
    *,
    horizon_months: float = HORIZON,
    tuned_serving_overhead_per_month: float = 0.0,
) -> float | None:
    """Requests per month above which fine-tuning is cheaper over ``horizon_months``.

    Over the horizon, prompting costs ``months x V x c_prompt`` and fine-tuning costs
    ``upfront + months x (V x c_tuned + overhead)``. They are equal at

        V* = (upfront / months + overhead) / (c_prompt - c_tuned)

    Returns None when fine-tuning never pays back: the tuned request is not cheaper, or
    the upfront cost is infinite. An infinite horizon gives the volume at which the
    monthly saving just covers the overhead (0 when there is no overhead).
    """
    upfront, overhead = _upfront_and_overhead(upfront_cost, tuned_serving_overhead_per_month)
    horizon = check_number("horizon_months", horizon_months, allow_inf=True, positive=True)
    saving = _saving_per_request(prompt_tokens_in, tuned_tokens_in, tokens_out, prices_of(prices))
    if saving <= 0 or math.isinf(upfront):
        return None
    return (upfront / horizon + overhead) / saving


def payback_months(
    requests_per_month: float,
    prompt_tokens_in: float | Sequence[float],
    tuned_tokens_in: float | Sequence[float],
    tokens_out: float | Sequence[float],
    upfront_cost: float | UpfrontCost,
    prices: Prices | Assumptions | None = None,
    *,
    tuned_serving_overhead_per_month: float = 0.0,
) -> float | None:
    """Months until fine-tuning's savings cover its upfront cost at a fixed volume.

    None when the monthly saving does not exceed the monthly overhead (never pays back).
    """
    volume = check_number("requests_per_month", requests_per_month)
    upfront, overhead = _upfront_and_overhead(upfront_cost, tuned_serving_overhead_per_month)
    saving = _saving_per_request(prompt_tokens_in, tuned_tokens_in, tokens_out, prices_of(prices))
    monthly_saving = volume * saving
    net = monthly_saving - overhead
    if net <= 0 or math.isinf(upfront):
        return None
    return upfront / net


def cost_vs_volume(
    volumes: Iterable[float],
    prompt_tokens_in: float | Sequence[float],
    tuned_tokens_in: float | Sequence[float],
    tokens_out: float | Sequence[float],
    upfront_cost: float | UpfrontCost,
    prices: Prices | Assumptions | None = None,
    *,
    horizon_months: float = HORIZON,
    tuned_serving_overhead_per_month: float = 0.0,
) -> Table:
    """Total cost over the horizon for each monthly volume: one row per volume.

    Columns: requests_per_month, prompting, fine_tuned (totals over the horizon,
    upfront included), cheaper ("prompting" / "fine-tuning").
    """
    p = prices_of(prices)
    upfront = _money(upfront_cost, "upfront_cost")
    horizon = check_number("horizon_months", horizon_months, positive=True)
    overhead = check_number("tuned_serving_overhead_per_month", tuned_serving_overhead_per_month)
    c_prompt = cost_per_request(prompt_tokens_in, tokens_out, p)
    c_tuned = cost_per_request(tuned_tokens_in, tokens_out, p, tuned=True)
    rows = []
    for i, v in enumerate(volumes):
        volume = check_number(f"volumes[{i}]", v)
        prompting = horizon * volume * c_prompt
        tuned = upfront + horizon * (volume * c_tuned + overhead)
        rows.append(
            {
                "requests_per_month": volume,
                "prompting": prompting,
                "fine_tuned": tuned,
                "cheaper": "fine-tuning" if tuned < prompting else "prompting",
            }
        )
    return Table(rows)


# ---- many use cases: full copies vs adapters -----------------------------------------------
def per_use_case_cost(
    n_use_cases: int | Iterable[int],
    adapter_bytes: float,
    full_model_bytes: float,
    prices: Prices | Assumptions | None = None,
    *,
    months: float = HORIZON,
    full_train_cost: float = 0.0,
    adapter_train_cost: float = 0.0,
) -> Table:
    """One fully fine-tuned model per use case vs one base model plus a LoRA adapter each.

    Pass the measured sizes on disk (``adapter_bytes`` of one adapter,
    ``full_model_bytes`` of one full checkpoint). Per use case count, the row holds:

    * storage in GB: ``n x full`` vs ``full + n x adapter`` (the base is kept once);
    * deployments: a full copy per use case needs its own serving deployment, while
      adapters are small enough to be swapped on one shared base deployment
      (ASSUMPTION: one deployment holds all adapters; traffic may need more, but that
      grows with volume for both designs);
    * monthly cost (storage + deployments, at ``prices``) and the total over ``months``
      including one training cost per use case (``full_train_cost`` /
      ``adapter_train_cost``, default 0 so only serving is compared).
    """
    p = prices_of(prices)
    adapter = check_number("adapter_bytes", adapter_bytes)
    full = check_number("full_model_bytes", full_model_bytes, positive=True)
    horizon = check_number("months", months)
    train_full = check_number("full_train_cost", full_train_cost)
    train_adapter = check_number("adapter_train_cost", adapter_train_cost)
    counts = [n_use_cases] if isinstance(n_use_cases, int | float) else list(n_use_cases)
    deployment = p.deployment_per_month()
    rows = []
    for n in counts:
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise ValueError(f"Use-case counts must be whole numbers >= 1, not {n!r}.")
        full_gb = n * full / GB
        adapter_gb = (full + n * adapter) / GB
        full_monthly = full_gb * p.storage_per_gb_month + n * deployment
        adapter_monthly = adapter_gb * p.storage_per_gb_month + deployment
        rows.append(
            {
                "n_use_cases": n,
                "full_storage_gb": full_gb,
                "adapter_storage_gb": adapter_gb,
                "full_deployments": n,
                "adapter_deployments": 1,
                "full_monthly": full_monthly,
                "adapter_monthly": adapter_monthly,
                "full_total": n * train_full + horizon * full_monthly,
                "adapter_total": n * train_adapter + horizon * adapter_monthly,
            }
        )
    return Table(rows)


def compare_at_volume(
    requests_per_month: float,
    prompt_tokens_in: float | Sequence[float],
    tuned_tokens_in: float | Sequence[float],
    tokens_out: float | Sequence[float],
    upfront_cost: float | UpfrontCost,
    prices: Prices | Assumptions | None = None,
    *,
    horizon_months: float = HORIZON,
) -> dict[str, Any]:
    """Both approaches at one monthly volume, side by side.

    Returns upfront, cost_per_request_prompt / _tuned, monthly_prompting / _tuned,
    total_prompting / _tuned (over the horizon, upfront included), break_even (requests
    per month, None: never), payback_months (None: never), requests_per_month,
    horizon_months and cheaper ("prompting" or "fine-tuning" over the horizon).
    """
    p = prices_of(prices)
    volume = check_number("requests_per_month", requests_per_month)
    upfront = _money(upfront_cost, "upfront_cost")
    args = (prompt_tokens_in, tuned_tokens_in, tokens_out, upfront, p)
    c_prompt = cost_per_request(prompt_tokens_in, tokens_out, p)
    c_tuned = cost_per_request(tuned_tokens_in, tokens_out, p, tuned=True)
    total_prompt = horizon_months * volume * c_prompt
    total_tuned = upfront + horizon_months * volume * c_tuned
    return {
        "upfront": upfront,
        "cost_per_request_prompt": c_prompt,
        "cost_per_request_tuned": c_tuned,
        "monthly_prompting": volume * c_prompt,
        "monthly_tuned": volume * c_tuned,
        "total_prompting": total_prompt,
        "total_tuned": total_tuned,
        "break_even": break_even_requests(*args, horizon_months=horizon_months),
        "payback_months": payback_months(volume, *args),
        "requests_per_month": volume,
        "horizon_months": horizon_months,
        "cheaper": "fine-tuning" if total_tuned < total_prompt else "prompting",
    }
