"""Every number of the cost, scaling and ROI lessons that cannot be measured on a laptop.

Token counts, training seconds and model sizes are measured; prices, people's hours,
volumes and horizons are not. They are all written here, once, each with what it means
and where it comes from (a public price list, the guide, or a course assumption: a round,
plausible order of magnitude chosen so the arithmetic is easy to follow).

``Prices`` holds the price list; ``Assumptions`` holds the prices plus hours, volumes and
horizons. Every cost function reads them, so editing one value, e.g.
``Assumptions(engineer_hours=60, prices=Prices(input_per_1k=0.003))``, changes every
number downstream. ``describe()`` lists each value with its meaning and source.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from prompt_vs_finetune.economics.validate import check_number
from prompt_vs_finetune.ui.tables import Table

__all__ = [
    "DEFAULT_ASSUMPTIONS",
    "GB",
    "HOURS_PER_MONTH",
    "Assumptions",
    "Prices",
    "as_assumptions",
    "prices_of",
]

HOURS_PER_MONTH = 730.0  # 365 days * 24 h / 12 months, rounded
GB = 1e9  # bytes in a gigabyte (decimal, as storage is billed)

COURSE = "course assumption"


def _value(default: Any, meaning: str, source: str) -> Any:
    return field(default=default, metadata={"meaning": meaning, "source": source})


def _show(value: Any) -> str:
    if value is None:
        return "same as base"
    if isinstance(value, tuple):
        text = ", ".join(f"{v:,}" for v in value)
        return text if len(text) <= 40 else f"{value[0]:,} ... {value[-1]:,} ({len(value)} values)"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return f"{value:g}" if isinstance(value, float) else str(value)


def _rows(obj: Any, prefix: str = "") -> list[dict[str, str]]:
    return [
        {
            "assumption": prefix + f.name,
            "value": _show(getattr(obj, f.name)),
            "meaning": f.metadata["meaning"],
            "source": f.metadata["source"],
        }
        for f in fields(obj)
        if "meaning" in f.metadata
    ]


@dataclass(frozen=True)
class Prices:
    """Prices used by every cost function. ALL DEFAULTS ARE ASSUMPTIONS: edit them.

    Round, plausible orders of magnitude for a small hosted model and a cloud GPU, not
    any vendor's price list. Replace them with your own quotes, e.g.
    ``Prices(input_per_1k=0.003, engineer_hourly=85)``.
    """

    input_per_1k: float = _value(
        0.0005, "1,000 prompt tokens sent to the model", f"{COURSE}: small hosted model"
    )
    output_per_1k: float = _value(
        0.0015, "1,000 tokens the model writes back", f"{COURSE}: 3x the input price"
    )
    tuned_input_per_1k: float | None = _value(
        None, "1,000 prompt tokens, fine-tuned model", f"{COURSE}: same as the base"
    )
    tuned_output_per_1k: float | None = _value(
        None, "1,000 output tokens, fine-tuned model", f"{COURSE}: same as the base"
    )
    engineer_hourly: float = _value(
        100.0, "one hour of an engineer's time", f"{COURSE}: loaded cost, rounded"
    )
    gpu_hourly: float = _value(
        2.5, "renting one cloud GPU for an hour", f"{COURSE}: on-demand cloud GPU"
    )
    gpus_per_deployment: float = _value(
        1.0, "GPUs always on to serve one own model", f"{COURSE}: small model, 1 GPU"
    )
    storage_per_gb_month: float = _value(
        0.023, "storing 1 GB of model files a month", "public price list: S3 Standard"
    )
    currency: str = _value("$", "printed in front of amounts", COURSE)

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "currency":
                if not isinstance(value, str):
                    raise TypeError(f"currency must be text like '$', not {value!r}.")
            elif value is not None or not f.name.startswith("tuned_"):
                check_number(f"Prices.{f.name}", value)

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
        """Every price as a table: assumption, value, meaning, source."""
        return Table(_rows(self))

    def as_dict(self) -> dict[str, Any]:
        """The prices as a plain dict (for the results store)."""
        return asdict(self)


@dataclass(frozen=True)
class Assumptions:
    """Prices, people's hours, volumes and horizons: every default of the cost lessons.

    ``describe()`` shows each with its meaning and source. Edit by building a new one:
    ``Assumptions(horizon_months=24)`` or ``dataclasses.replace(assumptions, ...)``.
    """

    prices: Prices = field(default_factory=Prices)
    # -- the upfront cost of a fine-tuning project
    engineer_hours: float = _value(
        40.0, "hours to train, test, deploy a fine-tune", f"{COURSE}: one working week"
    )
    data_prep_hours: float = _value(
        80.0, "hours collecting, labelling examples", f"{COURSE}: two working weeks"
    )
    # ~50x the model and ~30x the examples of the course's run, on a GPU ~30x faster than
    # two CPU cores: about 50 GPU-hours per hour of the measured CPU run.
    compute_scale: float = _value(
        50.0, "GPU-hours per hour of our CPU training", f"{COURSE}: bigger model, GPU"
    )
    training_runs: int = _value(
        5, "training runs a project pays for", f"{COURSE}: tries and re-runs"
    )
    # -- volumes and horizons
    horizon_months: float = _value(
        12.0, "months over which costs are compared", f"{COURSE}: one budget year"
    )
    high_volume: float = _value(
        1_000_000, "requests a month that count as high", "the guide: 'millions of API calls'"
    )
    mid_volume: float = _value(100_000, "requests a month between low and high", COURSE)
    low_volume: float = _value(10_000, "requests a month that count as low", COURSE)
    volume_grid: tuple[int, ...] = _value(
        tuple(10**e for e in range(3, 9)), "monthly volumes the scaling tables list", COURSE
    )
    use_case_counts: tuple[int, ...] = _value(
        (1, 2, 3, 5, 10, 20, 50), "use-case counts the scaling tables list", COURSE
    )
    # -- return on investment
    roi_months: int = _value(24, "months the ROI curves run", f"{COURSE}: two years")
    value_per_correct_answer: float = _value(
        0.05, "saved by one correctly routed ticket", f"{COURSE}: agent time saved"
    )
    prompt_hours_per_version: float = _value(
        4.0, "hours to write and test a prompt version", f"{COURSE}: half a working day"
    )
    prompt_versions_per_month: int = _value(1, "prompt versions written a month", COURSE)
    build_months: int = _value(1, "months before a fine-tune earns", COURSE)
    opportunity_cost_per_month: float = _value(
        2_000.0, "best other use of its people, a month", COURSE
    )

    def __post_init__(self) -> None:
        if not isinstance(self.prices, Prices):
            raise TypeError(f"prices must be a Prices object, not {type(self.prices).__name__}.")
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, tuple):
                for i, v in enumerate(value):
                    check_number(f"Assumptions.{f.name}[{i}]", v, positive=True)
            elif f.name != "prices":
                check_number(f"Assumptions.{f.name}", value)

    @property
    def people_hours(self) -> float:
        """Engineering plus data-preparation hours of one fine-tuning project."""
        return self.engineer_hours + self.data_prep_hours

    def describe(self) -> Table:
        """Every assumption, prices first: assumption, value, meaning, source."""
        return Table(_rows(self.prices, "prices.") + _rows(self))


DEFAULT_ASSUMPTIONS = Assumptions()


def as_assumptions(value: Assumptions | Prices | None) -> Assumptions:
    """``value`` as Assumptions: None gives the defaults, Prices the defaults with those prices."""
    if value is None:
        return DEFAULT_ASSUMPTIONS
    if isinstance(value, Assumptions):
        return value
    if isinstance(value, Prices):
        return Assumptions(prices=value)
    raise TypeError(f"assumptions must be Assumptions or Prices, not {type(value).__name__}.")


def prices_of(value: Prices | Assumptions | None) -> Prices:
    """The prices in ``value`` (Prices, or Assumptions' prices); None gives the defaults."""
    if value is None:
        return DEFAULT_ASSUMPTIONS.prices
    if isinstance(value, Prices):
        return value
    if isinstance(value, Assumptions):
        return value.prices
    raise TypeError(f"prices must be a Prices object, not {type(value).__name__}.")
