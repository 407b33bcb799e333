"""Lesson 02 and 09: the cost explorer, sliders over ``costs.compare_at_volume``."""

from __future__ import annotations

import dataclasses
from typing import Any

import ipywidgets as W

from prompt_vs_finetune.economics.assumptions import Assumptions, Prices, as_assumptions
from prompt_vs_finetune.economics.costs import compare_at_volume, fine_tune_upfront_cost
from prompt_vs_finetune.economics.plots import plot_break_even
from prompt_vs_finetune.economics.validate import check_number, mean_tokens
from prompt_vs_finetune.ui.widgets.explorer import Explorer, require_keys, slider

__all__ = ["CostExplorer", "cost_explorer"]

#: Keys of ``measured`` that replace an assumption of the same name, for this explorer only.
OVERRIDES = ("engineer_hours", "data_prep_hours", "compute_scale", "training_runs")


def _log_slider(description: str, value: float, low: int, high: int, fmt: str) -> W.Widget:
    return slider(
        W.FloatLogSlider, description, value=value, base=10, min=low, max=high, step=0.1,
        readout_format=fmt,
    )  # fmt: skip


class CostExplorer(Explorer):
    title = "What does each approach cost? Move the sliders."

    def __init__(self, measured: dict, assumptions: Assumptions | Prices | None = None):
        require_keys(measured, "prompt_tokens_in", "tuned_tokens_in", "train_seconds")
        m = self.measured = dict(measured)
        a = as_assumptions(assumptions)
        a = dataclasses.replace(a, **{k: m[k] for k in OVERRIDES if k in m})
        self.prices = p = a.prices
        self.tuned_tokens_in = mean_tokens("tuned_tokens_in", m["tuned_tokens_in"])
        self.tokens_out = mean_tokens("tokens_out", m.get("tokens_out", 1))
        self.people_hours = float(a.engineer_hours) + float(a.data_prep_hours)
        upfront = fine_tune_upfront_cost(m["train_seconds"], a)
        self.evaluation = upfront.evaluation  # evaluation runs: fixed, not on a slider
        prompt_tokens = round(mean_tokens("prompt_tokens_in", m["prompt_tokens_in"]))
        volume = float(m.get("requests_per_month", a.high_volume))
        controls = {
            "price_per_1k": _log_slider("price / 1k input tokens", p.input_per_1k, -5, -1, ".2g"),
            "requests_per_month": _log_slider("requests per month", volume, 2, 9, ".3g"),
            "prompt_tokens": slider(
                W.IntSlider, "prompt length (tokens)", value=prompt_tokens, min=1,
                max=max(4 * prompt_tokens, 2000), step=1,
            ),
            "training_cost": _log_slider(
                f"training compute ({p.currency})", max(upfront.compute, 1.0), 0, 6, ",.0f"
            ),
            "hourly_rate": slider(
                W.FloatSlider, f"hourly rate ({p.currency})", value=p.engineer_hourly, min=0,
                max=max(300.0, p.engineer_hourly), step=5,
            ),
            "horizon_months": slider(
                W.IntSlider, "horizon (months)", value=int(a.horizon_months), min=1, max=36
            ),
        }  # fmt: skip
        super().__init__(controls)

    def compute(
        self,
        price_per_1k: float,
        requests_per_month: float,
        prompt_tokens: float,
        training_cost: float,
        hourly_rate: float,
        horizon_months: float,
    ) -> dict[str, Any]:
        """Costs and break-even for these slider values (pure: no widgets involved)."""
        prices = dataclasses.replace(
            self.prices, input_per_1k=price_per_1k, engineer_hourly=hourly_rate
        )
        upfront = (
            check_number("training_cost", training_cost)
            + self.evaluation
            + self.people_hours * check_number("hourly_rate", hourly_rate)
        )
        compared = compare_at_volume(
            requests_per_month, prompt_tokens, self.tuned_tokens_in, self.tokens_out, upfront,
            prices, horizon_months=horizon_months,
        )  # fmt: skip
        return {
            "prices": prices,
            "prompt_tokens": prompt_tokens,
            "tuned_tokens_in": self.tuned_tokens_in,
            "tokens_out": self.tokens_out,
            **compared,
        }

    def describe(self, r: dict[str, Any]) -> str:
        p = r["prices"]
        be = r["break_even"]
        be_text = (
            "never: a tuned request is not cheaper" if be is None else f"{be:,.0f} requests/month"
        )
        pay = r["payback_months"]
        pay_text = "never" if pay is None else f"{pay:,.1f} months"
        return (
            f"<b>Break-even over {r['horizon_months']:g} months: {be_text}</b><br>"
            f"Prompting: {p.money(r['cost_per_request_prompt'])} per request "
            f"({r['prompt_tokens']:,.0f} tokens in) = "
            f"{p.money(r['monthly_prompting'])} a month.<br>"
            f"Fine-tuned: {p.money(r['cost_per_request_tuned'])} per request "
            f"({r['tuned_tokens_in']:,.0f} tokens in) = {p.money(r['monthly_tuned'])} a month, "
            f"after {p.money(r['upfront'])} up front.<br>"
            f"At {r['requests_per_month']:,.0f} requests/month the cheaper option over the "
            f"horizon is <b>{r['cheaper']}</b>; fine-tuning pays back in {pay_text}.<br>"
            "<i>Prices are editable assumptions, token counts and training time are measured.</i>"
        )

    def draw(self, r: dict[str, Any], ax: Any) -> None:
        plot_break_even(
            r["prompt_tokens"],
            r["tuned_tokens_in"],
            r["tokens_out"],
            r["upfront"],
            r["prices"],
            horizon_months=r["horizon_months"],
            mark_volume=r["requests_per_month"],
            ax=ax,
        )


def cost_explorer(measured: dict, assumptions: Assumptions | Prices | None = None) -> CostExplorer:
    """Lesson 02 explorer: prices, volume, prompt length, training cost, hourly rate, horizon.

    ``measured`` needs ``prompt_tokens_in`` (tokens per prompted request, a number or a
    list), ``tuned_tokens_in`` and ``train_seconds``; optional ``tokens_out`` (1) and
    ``requests_per_month``. Every other start value comes from ``assumptions`` (or, for
    ``engineer_hours``, ``data_prep_hours``, ``compute_scale`` and ``training_runs``, from
    ``measured`` when it has them). Upfront cost = training compute slider + (engineer
    hours + data-prep hours) x hourly rate.
    """
    return CostExplorer(measured, assumptions)
