"""Return on investment over time: prompting vs fine-tuning, month by month.

A deliberately small model, so that every number can be traced:

* Every request answered correctly is worth ``value_per_correct_answer`` (compared with
  a ``baseline_accuracy``, e.g. what you had before, default 0), and every request costs
  its serving price. Monthly net value = volume x (gain in accuracy x value - cost).
* **Prompting** starts almost at once. Its accuracy follows the list of *measured*
  accuracies per prompt version (lesson 08): each month the team writes
  ``prompt_versions_per_month`` new versions, each costing ``prompt_dev_cost``, until the
  list runs out. Because real prompt iterations improve less and less, the monthly value
  stops growing: this is where the plateau comes from, not from a formula.
* **Fine-tuning** pays ``fine_tune_upfront`` at month 0, earns nothing while it is built
  (``build_months``), then earns at the tuned accuracy and serving cost, minus any fixed
  monthly overhead (hosting, upkeep).
* **Opportunity cost**: the people and money tied up by the fine-tune could have done
  something else worth ``opportunity_cost_per_month``. The line
  ``fine_tuning_net_of_opportunity`` subtracts it, so fine-tuning is compared with the
  best alternative use of the same resources, not only with prompting.

Each track is judged on its own: both start from nothing at month 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from prompt_vs_finetune.economics.assumptions import DEFAULT_ASSUMPTIONS
from prompt_vs_finetune.economics.plots import new_axes
from prompt_vs_finetune.economics.validate import check_number
from prompt_vs_finetune.ui.tables import Table

__all__ = [
    "TRACKS",
    "crossover_month",
    "payback_month",
    "plot_roi",
    "roi_curves",
    "roi_summary",
    "version_gains",
]

TRACKS = ("prompting", "fine_tuning", "fine_tuning_net_of_opportunity")
_ALIASES = {
    "prompt": "prompting",
    "prompting": "prompting",
    "fine-tuning": "fine_tuning",
    "fine_tuning": "fine_tuning",
    "finetune": "fine_tuning",
    "fine_tuned": "fine_tuning",
    "fine_tuning_net_of_opportunity": "fine_tuning_net_of_opportunity",
    "opportunity": "fine_tuning_net_of_opportunity",
}


def _accuracy(name: str, value: Any) -> float:
    acc = check_number(name, value)
    if acc > 1:
        raise ValueError(f"{name} is an accuracy between 0 and 1, not {acc}.")
    return acc


def _accuracies(value: float | Sequence[float]) -> list[float]:
    if isinstance(value, str | bytes):
        raise TypeError("accuracy_prompt must be a number or a list of numbers, not text.")
    if isinstance(value, Sequence) or hasattr(value, "__iter__"):
        values = [_accuracy(f"accuracy_prompt[{i}]", v) for i, v in enumerate(value)]
        if not values:
            raise ValueError("accuracy_prompt is empty; give at least one measured accuracy.")
        return values
    return [_accuracy("accuracy_prompt", value)]


def version_gains(
    accuracies: Sequence[float],
    *,
    volume_per_month: float | None = None,
    value_per_correct_answer: float | None = None,
    prompt_dev_cost: float | None = None,
) -> Table:
    """What each prompt version added, to make diminishing returns visible.

    Columns: version, accuracy, gain (over the previous version) and share_of_best_gain
    (how much of the whole improvement, first version to best, is reached). Given a volume
    and a value per correct answer, also extra_value_per_month (what the gain is worth),
    and given ``prompt_dev_cost`` too, months_to_repay (months of that extra value needed
    to pay for writing the version; None when it adds nothing).
    """
    accs = _accuracies(accuracies)
    worth = None
    if volume_per_month is not None and value_per_correct_answer is not None:
        worth = check_number("volume_per_month", volume_per_month) * check_number(
            "value_per_correct_answer", value_per_correct_answer
        )
    dev = None if prompt_dev_cost is None else check_number("prompt_dev_cost", prompt_dev_cost)
    first, best = accs[0], max(accs)
    span = best - first
    rows, previous = [], None
    for i, acc in enumerate(accs):
        gain = None if previous is None else acc - previous
        row = {
            "version": i,
            "accuracy": acc,
            "gain": gain,
            "share_of_best_gain": 1.0 if span <= 0 else max(0.0, (acc - first) / span),
        }
        if worth is not None:
            extra = None if gain is None else gain * worth
            row["extra_value_per_month"] = extra
            if dev is not None:
                row["months_to_repay"] = dev / extra if extra and extra > 0 else None
        rows.append(row)
        previous = acc
    return Table(rows)


@dataclass(frozen=True)
class _Plan:
    """The checked inputs of ``roi_curves``."""

    months: int
    volume: float
    value: float
    accs: list[float]
    acc_tuned: float
    base: float
    c_prompt: float
    c_tuned: float
    upfront: float
    dev: float
    per_month: int
    build: int
    overhead: float
    opportunity: float
    opp_months: float | None


def _plan(
    months: Any, volume: Any, value: Any, accuracy_prompt: Any, accuracy_tuned: Any,
    cost_prompt: Any, cost_tuned: Any, upfront: Any, dev: Any, per_month: Any, build: Any,
    overhead: Any, opportunity: Any, opp_months: Any, baseline: Any,
) -> _Plan:  # fmt: skip
    n_months = check_number("months", months, positive=True)
    if n_months != int(n_months):
        raise ValueError(f"months must be a whole number, not {months}.")
    return _Plan(
        months=int(n_months),
        volume=check_number("volume_per_month", volume),
        value=check_number("value_per_correct_answer", value, minimum=None),
        accs=_accuracies(accuracy_prompt),
        acc_tuned=_accuracy("accuracy_tuned", accuracy_tuned),
        base=_accuracy("baseline_accuracy", baseline),
        c_prompt=check_number("cost_per_request_prompt", cost_prompt),
        c_tuned=check_number("cost_per_request_tuned", cost_tuned),
        upfront=check_number("fine_tune_upfront", getattr(upfront, "total", upfront)),
        dev=check_number("prompt_dev_cost", dev),
        per_month=int(check_number("prompt_versions_per_month", per_month, positive=True)),
        build=int(check_number("build_months", build)),
        overhead=check_number("tuned_overhead_per_month", overhead),
        opportunity=check_number("opportunity_cost_per_month", opportunity),
        opp_months=None if opp_months is None else check_number("opportunity_months", opp_months),
    )


def _month(plan: _Plan, m: int) -> tuple[int, float, float, float]:
    """Month ``m`` (from 1): prompt version live, net value of each track, opportunity cost."""
    last = len(plan.accs) - 1
    live = min((m - 1) * plan.per_month, last)
    written = max(0, min(m * plan.per_month, last) - (m - 1) * plan.per_month)
    gain = plan.accs[live] - plan.base
    prompt_net = plan.volume * (gain * plan.value - plan.c_prompt) - written * plan.dev
    if m > plan.build:
        tuned_gain = plan.acc_tuned - plan.base
        tuned_net = plan.volume * (tuned_gain * plan.value - plan.c_tuned) - plan.overhead
    else:
        tuned_net = 0.0
    opportunity = plan.opportunity if plan.opp_months is None or m <= plan.opp_months else 0.0
    return live, prompt_net, tuned_net, opportunity


def _rows(plan: _Plan) -> Table:
    prompt_total, tuned_total, opp_total = -plan.dev, -plan.upfront, 0.0
    rows = [
        {"month": 0, "prompt_version": None, "prompt_accuracy": None,
         "prompting_monthly": -plan.dev, "fine_tuning_monthly": -plan.upfront,
         "prompting": prompt_total, "fine_tuning": tuned_total,
         "fine_tuning_net_of_opportunity": tuned_total}
    ]  # fmt: skip
    for m in range(1, plan.months + 1):
        live, prompt_net, tuned_net, opportunity = _month(plan, m)
        opp_total += opportunity
        prompt_total += prompt_net
        tuned_total += tuned_net
        rows.append(
            {"month": m, "prompt_version": live, "prompt_accuracy": plan.accs[live],
             "prompting_monthly": prompt_net, "fine_tuning_monthly": tuned_net,
             "prompting": prompt_total, "fine_tuning": tuned_total,
             "fine_tuning_net_of_opportunity": tuned_total - opp_total}
        )  # fmt: skip
    return Table(rows)


def roi_curves(
    months: int,
    *,
    volume_per_month: float,
    value_per_correct_answer: float,
    accuracy_prompt: float | Sequence[float],
    accuracy_tuned: float,
    cost_per_request_prompt: float,
    cost_per_request_tuned: float,
    fine_tune_upfront: float,
    prompt_dev_cost: float = 0.0,
    prompt_versions_per_month: int = DEFAULT_ASSUMPTIONS.prompt_versions_per_month,
    build_months: int = DEFAULT_ASSUMPTIONS.build_months,
    tuned_overhead_per_month: float = 0.0,
    opportunity_cost_per_month: float = 0.0,
    opportunity_months: int | None = None,
    baseline_accuracy: float = 0.0,
) -> Table:
    """Cumulative net value (money) of each approach at the end of every month.

    ``accuracy_prompt``: one accuracy, or the measured accuracy of each prompt version in
    the order they were written (version 0 first). ``prompt_dev_cost``: cost of writing
    one version. ``opportunity_months``: how many months the fine-tune ties resources up
    (None: every month, since a tuned model keeps needing people).

    Rows for months 0..``months`` with columns: month, prompt_version, prompt_accuracy,
    prompting_monthly, fine_tuning_monthly, prompting, fine_tuning,
    fine_tuning_net_of_opportunity (the last three cumulative).
    """
    plan = _plan(
        months, volume_per_month, value_per_correct_answer, accuracy_prompt, accuracy_tuned,
        cost_per_request_prompt, cost_per_request_tuned, fine_tune_upfront, prompt_dev_cost,
        prompt_versions_per_month, build_months, tuned_overhead_per_month,
        opportunity_cost_per_month, opportunity_months, baseline_accuracy,
    )  # fmt: skip
    return _rows(plan)


def _track(which: str) -> str:
    if not isinstance(which, str) or which.lower() not in _ALIASES:
        raise ValueError(f"which must be one of {TRACKS}, not {which!r}.")
    return _ALIASES[which.lower()]


def payback_month(rows: Sequence[dict], which: str = "fine_tuning") -> int | None:
    """First month whose cumulative value is >= 0 after the investment (None: never).

    ``which``: "prompting", "fine_tuning" (or "fine-tuning") or
    "fine_tuning_net_of_opportunity". A track that never went below zero pays back at 0.
    """
    key = _track(which)
    for row in rows:
        if row[key] >= 0:
            return int(row["month"])
    return None


def crossover_month(
    rows: Sequence[dict], a: str = "fine_tuning", b: str = "prompting"
) -> int | None:
    """First month after 0 where track ``a`` has caught up with track ``b`` (None: never)."""
    ka, kb = _track(a), _track(b)
    behind = False
    for row in rows:
        if row[ka] < row[kb]:
            behind = True
        elif behind:
            return int(row["month"])
    return None


def roi_summary(rows: Sequence[dict]) -> dict[str, Any]:
    """The months that matter in ``roi_curves`` rows, and the last row.

    Keys: payback_prompting, payback_fine_tuning, payback_net_of_opportunity, crossover
    (fine-tuning catches up with prompting), crossover_net_of_opportunity (None: never
    within the rows) and final (the last row as a dict).
    """
    return {
        "payback_prompting": payback_month(rows, "prompting"),
        "payback_fine_tuning": payback_month(rows, "fine_tuning"),
        "payback_net_of_opportunity": payback_month(rows, "fine_tuning_net_of_opportunity"),
        "crossover": crossover_month(rows, "fine_tuning", "prompting"),
        "crossover_net_of_opportunity": crossover_month(
            rows, "fine_tuning_net_of_opportunity", "prompting"
        ),
        "final": dict(rows[-1]),
    }


def plot_roi(rows: Sequence[dict], ax: Any = None, currency: str = "$") -> Any:
    """Cumulative value by month: prompting, fine-tuning, and fine-tuning after its
    opportunity cost (dashed, drawn only when it differs). Payback months are dotted.

    Returns the Axes; lines are labelled "prompting", "fine-tuning" and
    "fine-tuning minus opportunity cost".
    """
    ax = new_axes(ax)
    months = [r["month"] for r in rows]
    styles = {
        "prompting": ("prompting", "tab:blue", "-"),
        "fine_tuning": ("fine-tuning", "tab:orange", "-"),
        "fine_tuning_net_of_opportunity": ("fine-tuning minus opportunity cost", "tab:red", "--"),
    }
    for key, (label, color, style) in styles.items():
        values = [r[key] for r in rows]
        if key == "fine_tuning_net_of_opportunity" and values == [r["fine_tuning"] for r in rows]:
            continue
        ax.plot(months, values, style, color=color, label=label, marker="o", markersize=3)
        if key != "fine_tuning_net_of_opportunity":
            paid = payback_month(rows, key)
            if paid:
                ax.axvline(paid, color=color, linestyle=":", linewidth=1)
    ax.axhline(0, color="black", linewidth=0.8)
    ax.set_xlabel("month")
    ax.set_ylabel(f"cumulative net value ({currency})")
    ax.set_title("Return on investment over time")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    return ax
