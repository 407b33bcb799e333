"""Every number of the cost, scaling and ROI lessons that cannot be measured on a laptop.

Token counts, training seconds and model sizes are measured; prices, people's hours,
volumes and horizons are not. They are all written here, once, each with what it means
and where it comes from: a kind of public source (a cloud price list, a salary survey)
with a typical figure taken as an assumption, the guide, or this course itself.

``Prices`` holds the price list; ``Assumptions`` holds the prices plus hours, volumes and
horizons. Every cost function reads them, so editing one value, e.g.
``Assumptions(engineer_hours=60, prices=Prices(input_per_1k=0.003))``, changes every
number downstream. ``describe()`` lists each value with its meaning and source.

Two named scenarios, ``PRESETS``, answer the question "what does a fine-tune cost?" for
two different people. **"this laptop"** is what this course measures and nothing else:
the training run as timed here, priced as renting a machine like this one, with no
people's time. **"a team on rented GPUs"** (the defaults, ``Assumptions()``) is a real
project: a bigger model trained several times on rented GPUs, evaluation runs, and
weeks of engineering and data preparation. ``compare_presets`` lists where they differ.
"""

from __future__ import annotations

import math
from dataclasses import MISSING, asdict, dataclass, field, fields
from typing import Any

from prompt_vs_finetune.economics.validate import check_number
from prompt_vs_finetune.ui.tables import Table

__all__ = [
    "DEFAULT_ASSUMPTIONS",
    "GB",
    "HOURS_PER_MONTH",
    "LAPTOP",
    "PRESETS",
    "TEAM",
    "Assumptions",
    "Prices",
    "as_assumptions",
    "compare_presets",
    "preset_name",
    "prices_of",
]

HOURS_PER_MONTH = 730.0  # 365 days * 24 h / 12 months, rounded
GB = 1e9  # bytes in a gigabyte (decimal, as storage is billed)

COURSE = "course assumption"
TYPICAL = "(typical)"  # a typical figure of that kind of source, taken as an assumption
EDITED = "your edit"


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


def _default(f: Any) -> Any:
    return f.default_factory() if f.default is MISSING else f.default


def _rows(obj: Any, prefix: str = "", notes: dict[str, tuple[Any, str]] | None = None) -> list:
    """One row per documented field. The source is the field's own when the value is its
    default, the note given for this value (a preset's source), or "your edit"."""
    rows = []
    for f in fields(obj):
        if "meaning" not in f.metadata:
            continue
        name, value = prefix + f.name, getattr(obj, f.name)
        noted = (notes or {}).get(name)
        if noted is not None and noted[0] == value:
            source = noted[1]
        else:
            source = f.metadata["source"] if value == _default(f) else EDITED
        rows.append({"assumption": name, "value": _show(value),
                     "meaning": f.metadata["meaning"], "source": source})  # fmt: skip
    return rows


@dataclass(frozen=True)
class Prices:
    """Prices used by every cost function. ALL DEFAULTS ARE ASSUMPTIONS: edit them.

    Typical orders of magnitude for a small hosted model and a rented cloud GPU, not any
    vendor's quote. Replace them with your own, e.g.
    ``Prices(input_per_1k=0.003, engineer_hourly=85)``.

    A request to the fine-tuned model is priced like one to the base model (the two
    ``tuned_`` prices default to None, "same as base"): a LoRA fine-tune has the base
    model's architecture plus under 1% more weights, so each token costs the same compute,
    and hosts that serve adapters on a shared base model charge the base model's price.
    Set them when your provider charges a premium for custom models.
    """

    input_per_1k: float = _value(
        0.0005, "1,000 prompt tokens sent to the model", f"small-model price list {TYPICAL}"
    )
    output_per_1k: float = _value(
        0.0015, "1,000 tokens the model writes back", f"price lists: ~3x the input {TYPICAL}"
    )
    tuned_input_per_1k: float | None = _value(
        None, "1,000 prompt tokens, fine-tuned model", "LoRA on a shared base: same compute"
    )
    tuned_output_per_1k: float | None = _value(
        None, "1,000 output tokens, fine-tuned model", "LoRA on a shared base: same compute"
    )
    engineer_hourly: float = _value(
        100.0, "one hour of an engineer's time", f"salary survey + overheads {TYPICAL}"
    )
    gpu_hourly: float = _value(
        2.5, "one hour of the training/serving machine", f"cloud price list, one GPU {TYPICAL}"
    )
    gpus_per_deployment: float = _value(
        1.0, "machines always on to serve one model", f"{COURSE}: one GPU fits it"
    )
    storage_per_gb_month: float = _value(
        0.023, "storing 1 GB of model files a month", "cloud price list: object storage"
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
        """Cost of keeping one dedicated model deployment up for a month (machines x hours)."""
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

    The defaults are the scenario "a team on rented GPUs" (``TEAM``); ``LAPTOP`` is the
    other named scenario. ``describe()`` shows each value with its meaning and source.
    Edit by building a new one: ``Assumptions(horizon_months=24)`` or
    ``dataclasses.replace(assumptions, ...)``. ``notes`` (not compared) holds the sources
    of a preset's own values as (name, value, source); an edited value shows "your edit".
    """

    prices: Prices = field(default_factory=Prices)
    # -- the upfront cost of a fine-tuning project
    engineer_hours: float = _value(
        40.0, "hours to train, test, deploy a fine-tune", f"one working week {TYPICAL}"
    )
    data_prep_hours: float = _value(
        80.0, "hours collecting, labelling examples", f"two working weeks {TYPICAL}"
    )
    hours_per_week: float = _value(
        40.0, "working hours in one person-week", f"ILO forty-hour week {TYPICAL}"
    )
    # ~50x the model and ~30x the examples of the course's run, on a GPU ~30x faster than
    # two CPU cores: about 50 GPU-hours per hour of the measured CPU run.
    compute_scale: float = _value(
        50.0, "machine hours per hour of our CPU run", f"{COURSE}: 7B model on a GPU"
    )
    training_runs: int = _value(
        5, "training runs a project pays for", f"tries and re-runs {TYPICAL}"
    )
    evaluation_runs: int = _value(
        10, "evaluation runs a project pays for", f"each candidate, release {TYPICAL}"
    )
    evaluation_hours: float = _value(
        1.0, "machine hours of one evaluation run", f"{COURSE}: ~5k test items"
    )
    # -- serving a fine-tuned model on its own machines
    replica_requests_per_month: float = _value(
        20_000_000, "requests a month one deployment serves", f"{COURSE}: ~8 short requests/s"
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
    retrain_hours: float = _value(
        16.0, "hours to label a new class and retrain", f"two working days {TYPICAL}"
    )
    build_months: int = _value(
        1, "months before a fine-tune earns", f"{COURSE}: build, test, deploy"
    )
    opportunity_cost_per_month: float = _value(
        2_000.0, "best other use of its people, a month", COURSE
    )
    notes: tuple[tuple[str, Any, str], ...] = field(default=(), compare=False, repr=False)

    def __post_init__(self) -> None:
        if not isinstance(self.prices, Prices):
            raise TypeError(f"prices must be a Prices object, not {type(self.prices).__name__}.")
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "notes":
                continue
            if isinstance(value, tuple):
                for i, v in enumerate(value):
                    check_number(f"Assumptions.{f.name}[{i}]", v, positive=True)
            elif f.name != "prices":
                check_number(f"Assumptions.{f.name}", value)
        check_number("replica_requests_per_month", self.replica_requests_per_month, positive=True)
        check_number("hours_per_week", self.hours_per_week, positive=True)

    @property
    def people_hours(self) -> float:
        """Engineering plus data-preparation hours of one fine-tuning project."""
        return self.engineer_hours + self.data_prep_hours

    @property
    def people_weeks(self) -> float:
        """``people_hours`` in person-weeks of ``hours_per_week``."""
        return self.people_hours / self.hours_per_week

    def describe(self) -> Table:
        """Every assumption, prices first: assumption, value, meaning, source."""
        notes = {name: (value, source) for name, value, source in self.notes}
        return Table(_rows(self.prices, "prices.", notes) + _rows(self, "", notes))


DEFAULT_ASSUMPTIONS = Assumptions()

#: "a team on rented GPUs": the defaults, a real project's bill.
TEAM = DEFAULT_ASSUMPTIONS

_LAPTOP_VALUES: tuple[tuple[str, Any, str], ...] = (
    ("prices.gpu_hourly", 0.10, f"cloud price list, 2-vCPU VM {TYPICAL}"),
    ("prices.gpus_per_deployment", 1.0, "this course: one machine like this"),
    ("engineer_hours", 0.0, "compute only: people's time left out"),
    ("data_prep_hours", 0.0, "compute only: the data came labelled"),
    ("compute_scale", 1.0, "this course: the run as timed here"),
    ("training_runs", 1, "this course: one shared run per task"),
    ("evaluation_runs", 1, "this course: test split scored once"),
    ("evaluation_hours", 0.02, "this course: 160 tickets, about a minute"),
    ("replica_requests_per_month", 1_000_000, f"{COURSE}: one request per 2.6 s"),
    ("prompt_hours_per_version", 0.0, "compute only: people's time left out"),
    ("retrain_hours", 0.0, "compute only: people's time left out"),
    ("build_months", 0, "this course: trained in minutes"),
    ("opportunity_cost_per_month", 0.0, "compute only: people's time left out"),
)


def _laptop() -> Assumptions:
    prices = {n.removeprefix("prices."): v for n, v, _ in _LAPTOP_VALUES if n.startswith("prices.")}
    rest = {n: v for n, v, _ in _LAPTOP_VALUES if not n.startswith("prices.")}
    return Assumptions(prices=Prices(**prices), notes=_LAPTOP_VALUES, **rest)


#: "this laptop": what the course measures, compute only.
LAPTOP = _laptop()

#: The two named scenarios, cheapest first.
PRESETS: dict[str, Assumptions] = {"this laptop": LAPTOP, "a team on rented GPUs": TEAM}


def preset_name(assumptions: Assumptions | Prices | None) -> str:
    """The name of the preset equal to ``assumptions``, or "your assumptions"."""
    a = as_assumptions(assumptions)
    return next((name for name, preset in PRESETS.items() if preset == a), "your assumptions")


def compare_presets(presets: dict[str, Assumptions] | None = None) -> Table:
    """The assumptions on which the presets differ: one row each, a value per preset and the
    source of each value (columns ``source: <preset>``)."""
    presets = PRESETS if presets is None else presets
    tables = {name: a.describe() for name, a in presets.items()}
    first = next(iter(tables.values()))
    rows = []
    for i, row in enumerate(first):
        values = {name: table[i]["value"] for name, table in tables.items()}
        if len(set(values.values())) > 1:
            sources = {f"source: {name}": table[i]["source"] for name, table in tables.items()}
            rows.append({"assumption": row["assumption"], **values, **sources})
    return Table(rows)


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

