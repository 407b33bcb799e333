"""What each approach costs: per request, per month, up front, and at scale.

The notebooks feed these functions *measured* quantities (tokens per request from the
tokenizer, seconds of training on this machine). Prices are different: nobody can
measure them on a laptop, so they live in one ``Prices`` object whose defaults are
**editable assumptions**, chosen to be plausible orders of magnitude, not quotes from any
provider. Change them and every number downstream follows.

The model in one paragraph: a request costs its input tokens plus its output tokens at
a price per 1,000 tokens. Prompting sends long prompts (instructions, examples) on every
request. A fine-tuned model needs a shorter input, so each request is cheaper, but you
pay first: compute for training runs plus people's time to prepare data and engineer the
training. Fine-tuning pays back when the per-request saving, summed over the months you
run it, covers that upfront bill (and any fixed monthly cost of hosting the tuned model).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from prompt_vs_finetune.ui.tables import Table

__all__ = [
    "HOURS_PER_MONTH",
    "Prices",
    "UpfrontCost",
    "break_even_requests",
    "cost_per_request",
    "cost_vs_volume",
    "cumulative_cost",
    "fine_tune_upfront_cost",
    "monthly_cost",
    "payback_months",
    "per_use_case_cost",
    "plot_break_even",
    "plot_cumulative_cost",
    "plot_per_use_case",
]

HOURS_PER_MONTH = 730.0  # 365 days * 24 h / 12 months, rounded

GB = 1e9  # bytes in a gigabyte (decimal, as storage is billed)


# ---- input checks (shared by roi.py and cascade.py) --------------------------------------
def _check_number(
    name: str,
    value: Any,
    *,
    minimum: float | None = 0.0,
    allow_inf: bool = False,
    positive: bool = False,
) -> float:
    """``value`` as a float, or a TypeError / ValueError that names the argument."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, not {type(value).__name__} ({value!r}).")
    value = float(value)
    if math.isnan(value):
        raise ValueError(f"{name} is NaN; give a real number.")
    if math.isinf(value) and not allow_inf:
        raise ValueError(f"{name} must be finite, not {value}.")
    if positive and value <= 0:
        raise ValueError(f"{name} must be greater than 0, not {value}.")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, not {value}.")
    return value


def _mean_tokens(name: str, tokens: Any) -> float:
    """A token count: one number, or the mean of a list of per-request counts."""
    if isinstance(tokens, str | bytes):
        raise TypeError(f"{name} must be a number of tokens, not text ({tokens!r}).")
    if isinstance(tokens, Iterable):
        values = [_check_number(f"{name}[{i}]", t) for i, t in enumerate(tokens)]
        if not values:
            raise ValueError(f"{name} is an empty list; give at least one token count.")
        return sum(values) / len(values)
    return _check_number(name, tokens)


# ---- prices --------------------------------------------------------------------------------
def _assumption(default: Any, meaning: str) -> Any:
    return field(default=default, metadata={"meaning": meaning})


@dataclass(frozen=True)
class Prices:
    """Prices used by every cost function. ALL DEFAULTS ARE ASSUMPTIONS: edit them.

    They are round, plausible orders of magnitude for a small hosted model and a cloud
    GPU, picked so the course's arithmetic is easy to follow. They are not any vendor's
    price list. Replace them with your own quotes, e.g.
    ``Prices(input_per_1k=0.003, engineer_hourly=85)``. ``Prices().describe()`` lists
    every field with what it means.
    """

    input_per_1k: float = _assumption(0.0005, "1,000 prompt tokens sent to the model")
    output_per_1k: float = _assumption(0.0015, "1,000 tokens the model writes back")
    tuned_input_per_1k: float | None = _assumption(None, "1,000 prompt tokens, fine-tuned model")
    tuned_output_per_1k: float | None = _assumption(None, "1,000 output tokens, fine-tuned model")
    engineer_hourly: float = _assumption(100.0, "one hour of an engineer's time")
    gpu_hourly: float = _assumption(2.5, "renting one cloud GPU for an hour")
    gpus_per_deployment: float = _assumption(1.0, "GPUs always on to serve one own model")
    storage_per_gb_month: float = _assumption(0.023, "storing 1 GB of model files a month")
    currency: str = _assumption("$", "printed in front of amounts")

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "currency":
                if not isinstance(value, str):
                    raise TypeError(f"currency must be text like '$', not {value!r}.")
            elif value is not None or not f.name.startswith("tuned_"):
                _check_number(f"Prices.{f.name}", value)

    @property
    def tuned_input(self) -> float:
        """Input price per 1k tokens on the tuned model (falls back to the base price)."""
        return self.input_per_1k if self.tuned_input_per_1k is None else self.tuned_input_per_1k

    @property
    def tuned_output(self) -> float:
        """Output price per 1k tokens on the tuned model (falls back to the base price)."""
        return self.output_per_1k if self.tuned_output_per_1k is None else self.tuned_output_per_1k

    def deployment_per_month(self) -> float:
        """Cost of keeping one dedicated model deployment up for a month (GPUs x hours)."""
        return self.gpu_hourly * self.gpus_per_deployment * HOURS_PER_MONTH

    def money(self, amount: float, digits: int | None = None) -> str:
        """An amount as text with the currency symbol, e.g. ``$1,234`` or ``$0.00042``."""
        if amount is None:
            return "n/a"
        if math.isinf(amount):
            return "never" if amount > 0 else "-inf"
        if digits is None:
            size = abs(amount)
            digits = 0 if size >= 100 else 2 if size >= 0.1 or size == 0 else 6
        sign = "-" if amount < 0 else ""
        return f"{sign}{self.currency}{abs(amount):,.{digits}f}"

    def describe(self) -> Table:
        """Every assumption as a table: name, value, meaning."""
        return Table(
            {
                "assumption": f.name,
                "value": _show(getattr(self, f.name)),
                "meaning": f.metadata["meaning"],
            }
            for f in fields(self)
        )

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _show(value: Any) -> str:
    if value is None:
        return "same as base"
    return f"{value:g}" if isinstance(value, float) else str(value)


def _prices(prices: Prices | None) -> Prices:
    if prices is None:
        return Prices()
    if not isinstance(prices, Prices):
        raise TypeError(f"prices must be a Prices object, not {type(prices).__name__}.")
    return prices


def _money(value: Any, name: str) -> float:
    """An amount of money: a number, or anything with ``__float__`` (like UpfrontCost)."""
    if isinstance(value, UpfrontCost):
        return value.total
    return _check_number(name, value, allow_inf=True)


# ---- per request and per month -------------------------------------------------------------
def cost_per_request(
    tokens_in: float | Sequence[float],
    tokens_out: float | Sequence[float],
    prices: Prices | None = None,
    *,
    tuned: bool = False,
) -> float:
    """Money for one request: input tokens and output tokens at the per-1k prices.

    ``tokens_in``/``tokens_out`` may be one number or a list of per-request counts (e.g.
    ``LabelScores.tokens_per_request``); a list is averaged. ``tuned=True`` uses the
    fine-tuned model's prices.
    """
    p = _prices(prices)
    n_in = _mean_tokens("tokens_in", tokens_in)
    n_out = _mean_tokens("tokens_out", tokens_out)
    price_in, price_out = (
        (p.tuned_input, p.tuned_output) if tuned else (p.input_per_1k, p.output_per_1k)
    )
    return n_in / 1000 * price_in + n_out / 1000 * price_out


def monthly_cost(
    requests_per_month: float,
    tokens_in: float | Sequence[float],
    tokens_out: float | Sequence[float],
    prices: Prices | None = None,
    *,
    tuned: bool = False,
    fixed_per_month: float = 0.0,
) -> float:
    """Requests per month x cost per request, plus any fixed monthly cost (hosting).

    Linear in volume: twice the requests, twice the variable bill.
    """
    volume = _check_number("requests_per_month", requests_per_month, allow_inf=True)
    fixed = _check_number("fixed_per_month", fixed_per_month)
    per_request = cost_per_request(tokens_in, tokens_out, prices, tuned=tuned)
    return volume * per_request + fixed if volume else fixed


# ---- upfront cost of fine-tuning -----------------------------------------------------------
@dataclass(frozen=True)
class UpfrontCost:
    """The one-off bill of a fine-tuning project, split by where the money goes.

    ``float(cost)`` gives the total, so it can be passed wherever an amount is expected.
    """

    gpu_hours: float
    compute: float
    engineering: float
    data_prep: float
    assumptions: dict[str, float] = field(default_factory=dict)

    @property
    def total(self) -> float:
        return self.compute + self.engineering + self.data_prep

    def __float__(self) -> float:
        return self.total

    def table(self, prices: Prices | None = None) -> Table:
        """The split as rows (part, amount, share of total)."""
        p = _prices(prices)
        total = self.total or 1.0
        parts = [
            ("training compute", self.compute),
            ("engineering", self.engineering),
            ("data preparation", self.data_prep),
        ]
        rows = [
            {"part": name, "amount": p.money(value), "share": value / total}
            for name, value in parts
        ]
        rows.append({"part": "total", "amount": p.money(self.total), "share": 1.0})
        return Table(rows)


def fine_tune_upfront_cost(
    train_seconds: float,
    engineer_hours: float,
    prices: Prices | None = None,
    data_prep_hours: float = 80.0,
    *,
    compute_scale: float = 50.0,
    runs: int = 5,
) -> UpfrontCost:
    """Estimate the one-off cost of fine-tuning from a measured training time.

    ``train_seconds`` is what the course's tiny fine-tune took on this machine. A real
    project trains a bigger model on more data, on GPUs, so the measured time is scaled:

        GPU-hours = train_seconds / 3600 x compute_scale x runs

    ``compute_scale`` (ASSUMPTION, default 50): GPU-hours of one production run per hour
    of our CPU run. Reasoning behind the default: a ~50x larger model trained on ~30x more
    examples, on a GPU ~30x faster than two CPU cores. ``runs`` (ASSUMPTION, default 5): a
    project rarely trains once; count the tries, hyper-parameter searches and re-runs.

    People cost ``engineer_hours`` (training, evaluation, deployment) plus
    ``data_prep_hours`` (ASSUMPTION, default 80 = two working weeks collecting and
    labelling examples), both at ``prices.engineer_hourly``.
    """
    p = _prices(prices)
    seconds = _check_number("train_seconds", train_seconds)
    eng = _check_number("engineer_hours", engineer_hours)
    prep = _check_number("data_prep_hours", data_prep_hours)
    scale = _check_number("compute_scale", compute_scale)
    n_runs = _check_number("runs", runs)
    gpu_hours = seconds / 3600 * scale * n_runs
    return UpfrontCost(
        gpu_hours=gpu_hours,
        compute=gpu_hours * p.gpu_hourly,
        engineering=eng * p.engineer_hourly,
        data_prep=prep * p.engineer_hourly,
        assumptions={
            "train_seconds": seconds,
            "compute_scale": scale,
            "runs": n_runs,
            "engineer_hours": eng,
            "data_prep_hours": prep,
        },
    )


# ---- break-even ----------------------------------------------------------------------------
def _saving_per_request(
    prompt_tokens_in: Any, tuned_tokens_in: Any, tokens_out: Any, prices: Prices
) -> float:
    prompt = cost_per_request(prompt_tokens_in, tokens_out, prices)
    tuned = cost_per_request(tuned_tokens_in, tokens_out, prices, tuned=True)
    return prompt - tuned


def break_even_requests(
    prompt_tokens_in: float | Sequence[float],
    tuned_tokens_in: float | Sequence[float],
    tokens_out: float | Sequence[float],
    upfront_cost: float | UpfrontCost,
    prices: Prices | None = None,
    *,
    horizon_months: float = 12.0,
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
    p = _prices(prices)
    upfront = _money(upfront_cost, "upfront_cost")
    if upfront < 0:
        raise ValueError(f"upfront_cost must be at least 0, not {upfront}.")
    horizon = _check_number("horizon_months", horizon_months, allow_inf=True, positive=True)
    overhead = _check_number("tuned_serving_overhead_per_month", tuned_serving_overhead_per_month)
    saving = _saving_per_request(prompt_tokens_in, tuned_tokens_in, tokens_out, p)
    if saving <= 0 or math.isinf(upfront):
        return None
    return (upfront / horizon + overhead) / saving


def payback_months(
    requests_per_month: float,
    prompt_tokens_in: float | Sequence[float],
    tuned_tokens_in: float | Sequence[float],
    tokens_out: float | Sequence[float],
    upfront_cost: float | UpfrontCost,
    prices: Prices | None = None,
    *,
    tuned_serving_overhead_per_month: float = 0.0,
) -> float | None:
    """Months until fine-tuning's savings cover its upfront cost at a fixed volume.

    None when the monthly saving does not exceed the monthly overhead (never pays back).
    """
    p = _prices(prices)
    volume = _check_number("requests_per_month", requests_per_month)
    upfront = _money(upfront_cost, "upfront_cost")
    overhead = _check_number("tuned_serving_overhead_per_month", tuned_serving_overhead_per_month)
    monthly_saving = volume * _saving_per_request(prompt_tokens_in, tuned_tokens_in, tokens_out, p)
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
    prices: Prices | None = None,
    *,
    horizon_months: float = 12.0,
    tuned_serving_overhead_per_month: float = 0.0,
) -> Table:
    """Total cost over the horizon for each monthly volume: one row per volume.

    Columns: requests_per_month, prompting, fine_tuned (totals over the horizon,
    upfront included), cheaper ("prompting" / "fine-tuning").
    """
    p = _prices(prices)
    upfront = _money(upfront_cost, "upfront_cost")
    horizon = _check_number("horizon_months", horizon_months, positive=True)
    overhead = _check_number("tuned_serving_overhead_per_month", tuned_serving_overhead_per_month)
    c_prompt = cost_per_request(prompt_tokens_in, tokens_out, p)
    c_tuned = cost_per_request(tuned_tokens_in, tokens_out, p, tuned=True)
    rows = []
    for i, v in enumerate(volumes):
        volume = _check_number(f"volumes[{i}]", v)
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


def cumulative_cost(
    months: int,
    requests_per_month: float,
    prompt_tokens_in: float | Sequence[float],
    tuned_tokens_in: float | Sequence[float],
    tokens_out: float | Sequence[float],
    upfront_cost: float | UpfrontCost,
    prices: Prices | None = None,
    *,
    tuned_serving_overhead_per_month: float = 0.0,
) -> Table:
    """Money spent so far at the end of each month (month 0 = before any traffic)."""
    p = _prices(prices)
    n = int(_check_number("months", months, positive=True))
    volume = _check_number("requests_per_month", requests_per_month)
    upfront = _money(upfront_cost, "upfront_cost")
    overhead = _check_number("tuned_serving_overhead_per_month", tuned_serving_overhead_per_month)
    c_prompt = cost_per_request(prompt_tokens_in, tokens_out, p)
    c_tuned = cost_per_request(tuned_tokens_in, tokens_out, p, tuned=True)
    return Table(
        {
            "month": m,
            "prompting": m * volume * c_prompt,
            "fine_tuned": upfront + m * (volume * c_tuned + overhead),
        }
        for m in range(n + 1)
    )


# ---- many use cases: full copies vs adapters -----------------------------------------------
def per_use_case_cost(
    n_use_cases: int | Iterable[int],
    adapter_bytes: float,
    full_model_bytes: float,
    prices: Prices | None = None,
    *,
    months: float = 12.0,
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
    p = _prices(prices)
    adapter = _check_number("adapter_bytes", adapter_bytes)
    full = _check_number("full_model_bytes", full_model_bytes, positive=True)
    horizon = _check_number("months", months)
    train_full = _check_number("full_train_cost", full_train_cost)
    train_adapter = _check_number("adapter_train_cost", adapter_train_cost)
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


# ---- plots -----------------------------------------------------------------------------------
def _axes(ax: Any, figsize: tuple[float, float] = (6.5, 3.8)) -> Any:
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=figsize)
    return ax


def short_number(value: float, prefix: str = "") -> str:
    """1234567 -> '1.2M', 25000 -> '25k', 0.004 -> '0.004' (for axis labels)."""
    size = abs(value)
    for limit, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")):
        if size >= limit:
            return f"{prefix}{value / limit:.3g}{suffix}"
    return f"{prefix}{value:.3g}"


def _short_log_axes(ax: Any, currency: str) -> None:
    """Log scales with plain labels (1k, 1M, $10k) and no minor ticks: readable and fast."""
    from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator

    ax.set_xscale("log")
    ax.set_yscale("log")
    for axis, prefix in ((ax.xaxis, ""), (ax.yaxis, currency)):
        axis.set_major_locator(LogLocator(base=10, numticks=8))
        axis.set_major_formatter(FuncFormatter(lambda v, _pos, pre=prefix: short_number(v, pre)))
        axis.set_minor_locator(NullLocator())


def _log_volumes(low: float, high: float, n: int = 61) -> list[float]:
    low, high = math.log10(low), math.log10(high)
    return [10 ** (low + (high - low) * i / (n - 1)) for i in range(n)]


def plot_break_even(
    prompt_tokens_in: float | Sequence[float],
    tuned_tokens_in: float | Sequence[float],
    tokens_out: float | Sequence[float],
    upfront_cost: float | UpfrontCost,
    prices: Prices | None = None,
    *,
    horizon_months: float = 12.0,
    tuned_serving_overhead_per_month: float = 0.0,
    volumes: Sequence[float] | None = None,
    mark_volume: float | None = None,
    ax: Any = None,
) -> Any:
    """Total cost over the horizon against monthly volume, both approaches, log axes.

    The break-even volume (if any) gets a dotted vertical line and a dot;
    ``mark_volume`` (e.g. your own traffic) a grey dashed line. Lines are labelled
    ``prompting`` and ``fine-tuned``. Returns the Axes.
    """
    p = _prices(prices)
    kwargs = {
        "horizon_months": horizon_months,
        "tuned_serving_overhead_per_month": tuned_serving_overhead_per_month,
    }
    args = (prompt_tokens_in, tuned_tokens_in, tokens_out, upfront_cost, p)
    be = break_even_requests(*args, **kwargs)
    if volumes is None:
        anchors = [v for v in (be, mark_volume) if v]
        centre = anchors[0] if anchors else 1e6
        low = min([centre / 1000, *anchors]) if anchors else 1e3
        high = max([centre * 1000, *anchors]) if anchors else 1e9
        volumes = _log_volumes(max(low, 1.0), max(high, 10.0))
    rows = cost_vs_volume(volumes, *args, **kwargs)
    ax = _axes(ax)
    xs = rows.column("requests_per_month")
    ax.plot(xs, rows.column("prompting"), label="prompting", color="tab:blue")
    ax.plot(xs, rows.column("fine_tuned"), label="fine-tuned", color="tab:orange")
    if be is not None and be > 0:
        prompt_cost = horizon_months * be * cost_per_request(prompt_tokens_in, tokens_out, p)
        ax.axvline(be, color="black", linestyle=":", linewidth=1)
        ax.plot([be], [prompt_cost], "ko")
        ax.annotate(
            f"break-even\n{be:,.0f} req/month",
            (be, prompt_cost),
            textcoords="offset points",
            xytext=(6, -28),
            fontsize=8,
        )
    if mark_volume:
        ax.axvline(mark_volume, color="grey", linestyle="--", linewidth=1, label="your volume")
    _short_log_axes(ax, p.currency)
    ax.set_xlabel("requests per month")
    ax.set_ylabel(f"total cost over {horizon_months:g} months ({p.currency})")
    title = "Break-even volume" if be is not None else "Fine-tuning never pays back here"
    ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    return ax


def plot_cumulative_cost(rows: Table, ax: Any = None, prices: Prices | None = None) -> Any:
    """Draw ``cumulative_cost`` rows: money spent so far by month, crossing marked."""
    p = _prices(prices)
    ax = _axes(ax)
    months = [r["month"] for r in rows]
    prompt = [r["prompting"] for r in rows]
    tuned = [r["fine_tuned"] for r in rows]
    ax.plot(months, prompt, "o-", label="prompting", color="tab:blue", markersize=3)
    ax.plot(months, tuned, "o-", label="fine-tuned", color="tab:orange", markersize=3)
    for m, a, b in zip(months, prompt, tuned, strict=True):
        if m > 0 and b <= a:
            ax.axvline(m, color="black", linestyle=":", linewidth=1)
            ax.annotate(
                f"paid back by month {m}", (m, b), xytext=(5, 5), textcoords="offset points"
            )
            break
    ax.set_xlabel("month")
    ax.set_ylabel(f"spent so far ({p.currency})")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    return ax


def plot_per_use_case(rows: Table, ax: Any = None, prices: Prices | None = None) -> Any:
    """Draw ``per_use_case_cost`` rows: monthly cost of full copies vs adapters."""
    p = _prices(prices)
    ax = _axes(ax)
    n = [r["n_use_cases"] for r in rows]
    ax.plot(n, [r["full_monthly"] for r in rows], "o-", label="one full model per use case")
    ax.plot(n, [r["adapter_monthly"] for r in rows], "o-", label="shared base + LoRA adapters")
    ax.set_xlabel("number of use cases")
    ax.set_ylabel(f"monthly serving + storage ({p.currency})")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    return ax
