"""Lesson 10: the ROI explorer, sliders over ``roi.roi_curves`` and ``roi.roi_summary``."""

from __future__ import annotations

from typing import Any

import ipywidgets as W

from prompt_vs_finetune.economics.assumptions import Assumptions, Prices, as_assumptions
from prompt_vs_finetune.economics.roi import plot_roi, roi_curves, roi_summary
from prompt_vs_finetune.ui.widgets.explorer import Explorer, require_keys, slider

__all__ = ["RoiExplorer", "roi_explorer"]

#: Inputs of ``roi_curves`` the explorer needs, and those it passes on when given.
FIXED = (
    "accuracy_prompt",
    "accuracy_tuned",
    "cost_per_request_prompt",
    "cost_per_request_tuned",
    "fine_tune_upfront",
)
OPTIONAL = (
    "prompt_dev_cost",
    "prompt_versions_per_month",
    "build_months",
    "tuned_overhead_per_month",
    "opportunity_months",
    "baseline_accuracy",
)


def _month(value: int | None) -> str:
    return "not within the horizon" if value is None else f"month {value}"


class RoiExplorer(Explorer):
    title = "Return on investment over time"

    def __init__(self, inputs: dict, assumptions: Assumptions | Prices | None = None):
        require_keys(inputs, *FIXED)
        m = self.inputs = dict(inputs)
        a = as_assumptions(assumptions)
        self.prices = a.prices
        currency = a.prices.currency
        opportunity = float(m.get("opportunity_cost_per_month", a.opportunity_cost_per_month))
        controls = {
            "months": slider(
                W.IntSlider, "months", value=int(m.get("months", a.roi_months)), min=1, max=60
            ),
            "volume_per_month": slider(
                W.FloatLogSlider, "requests per month",
                value=float(m.get("volume_per_month", a.high_volume)), base=10, min=2, max=9,
                step=0.1, readout_format=".3g",
            ),
            "value_per_correct_answer": slider(
                W.FloatLogSlider, f"value per correct answer ({currency})",
                value=float(m.get("value_per_correct_answer", a.value_per_correct_answer)),
                base=10, min=-4, max=1, step=0.1, readout_format=".2g",
            ),
            "opportunity_cost_per_month": slider(
                W.FloatSlider, f"opportunity cost / month ({currency})", value=opportunity,
                min=0, max=max(50_000.0, opportunity), step=500,
            ),
        }  # fmt: skip
        super().__init__(controls)

    def compute(
        self,
        months: int,
        volume_per_month: float,
        value_per_correct_answer: float,
        opportunity_cost_per_month: float,
    ) -> dict[str, Any]:
        """ROI rows and the key months for these slider values."""
        kwargs = {k: self.inputs[k] for k in FIXED}
        kwargs.update({k: self.inputs[k] for k in OPTIONAL if k in self.inputs})
        rows = roi_curves(
            months,
            volume_per_month=volume_per_month,
            value_per_correct_answer=value_per_correct_answer,
            opportunity_cost_per_month=opportunity_cost_per_month,
            **kwargs,
        )
        return {"rows": rows, **roi_summary(rows)}

    def describe(self, r: dict[str, Any]) -> str:
        last = r["final"]
        money = self.prices.money
        return (
            f"Prompting pays back in {_month(r['payback_prompting'])}; fine-tuning in "
            f"{_month(r['payback_fine_tuning'])} "
            f"({_month(r['payback_net_of_opportunity'])} after opportunity cost).<br>"
            f"Fine-tuning overtakes prompting in {_month(r['crossover'])} "
            f"({_month(r['crossover_net_of_opportunity'])} after opportunity cost).<br>"
            f"After {last['month']} months: prompting {money(last['prompting'])}, "
            f"fine-tuning {money(last['fine_tuning'])}, "
            f"fine-tuning minus opportunity cost {money(last['fine_tuning_net_of_opportunity'])}."
        )

    def draw(self, r: dict[str, Any], ax: Any) -> None:
        plot_roi(r["rows"], ax=ax, currency=self.prices.currency)


def roi_explorer(inputs: dict, assumptions: Assumptions | Prices | None = None) -> RoiExplorer:
    """Lesson 10 explorer: months, volume, value per answer, opportunity cost.

    ``inputs`` needs ``accuracy_prompt`` (a list of accuracies per prompt version, or
    one number), ``accuracy_tuned``, ``cost_per_request_prompt``, ``cost_per_request_tuned``
    and ``fine_tune_upfront``; it may add any other ``roi_curves`` keyword
    (``prompt_dev_cost``, ``build_months``, ...) and starting slider values (``months``,
    ``volume_per_month``, ``value_per_correct_answer``, ``opportunity_cost_per_month``);
    missing start values and the currency come from ``assumptions``.
    ``roi_inputs.roi_inputs`` builds such a dict from the measurements.
    """
    return RoiExplorer(inputs, assumptions)
