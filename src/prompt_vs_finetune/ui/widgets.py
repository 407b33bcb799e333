"""Interactive explorers for the lessons (ipywidgets), each backed by a plain function.

Every explorer is a small object:

* ``.controls``  dict of name -> ipywidget (sliders, dropdowns, checkboxes);
* ``.compute(**values)`` the backing function: the numbers for those control values,
  with no widget involved (tests and notebooks can call it directly);
* ``.update()`` recompute from the current control values and redraw (called
  automatically whenever a control changes);
* ``.result`` what ``compute`` last returned, ``.text`` an HTML widget with the summary,
  ``.output`` an ``ipywidgets.Output`` holding the plot as a PNG, ``.figure`` the last
  matplotlib Figure (closed, but its lines can still be inspected);
* ``.widget`` the container; the explorer itself displays as that container, so a
  notebook cell can end with ``cost_explorer(measured)``.

Plots are drawn on a standalone ``matplotlib.figure.Figure`` (not pyplot), rendered to
PNG and placed in the Output widget directly, so nothing leaks between updates and the
same values always give the same picture. Sliders update when released, not while
dragging, to keep a 2-core CPU responsive.
"""

from __future__ import annotations

import base64
import dataclasses
import io
import math
import numbers
import time
from collections.abc import Callable
from typing import Any

import ipywidgets as W

from prompt_vs_finetune.decision import advice as _decision
from prompt_vs_finetune.economics import costs as _costs
from prompt_vs_finetune.economics import roi as _roi
from prompt_vs_finetune.hybrid import cascade as _cascade

__all__ = [
    "CascadeExplorer",
    "CostExplorer",
    "DecisionQuestionnaire",
    "Explorer",
    "RoiExplorer",
    "SliderExplorer",
    "cascade_explorer",
    "cost_explorer",
    "decision_questionnaire",
    "roi_explorer",
    "slider_explorer",
]

_WIDE = {"description_width": "170px"}
_LAYOUT = {"width": "520px"}


def _slider(kind: type, description: str, **kwargs: Any) -> W.Widget:
    kwargs.setdefault("continuous_update", False)
    return kind(description=description, style=_WIDE, layout=W.Layout(**_LAYOUT), **kwargs)


def _html_escape(text: str) -> str:
    import html

    return html.escape(str(text))


class Explorer:
    """Base class: controls -> ``compute`` -> text (``describe``) and plot (``draw``)."""

    title = ""
    figsize: tuple[float, float] | None = (6.5, 3.8)

    def __init__(self, controls: dict[str, W.Widget], *, extra: list[W.Widget] | None = None):
        self.controls: dict[str, W.Widget] = dict(controls)
        self.text = W.HTML()
        self.output = W.Output()
        self.result: Any = None
        self.figure: Any = None
        self.error: str | None = None
        self._quiet = False
        header = [W.HTML(f"<b>{_html_escape(self.title)}</b>")] if self.title else []
        self.widget = W.VBox(
            [*header, *(extra or []), *self.controls.values(), self.text, self.output]
        )
        for control in self.controls.values():
            control.observe(self._changed, names="value")
        self.update()

    # -- to override ------------------------------------------------------------------------
    def compute(self, **values: Any) -> Any:
        raise NotImplementedError

    def describe(self, result: Any) -> str:
        return _html_escape(result)

    def draw(self, result: Any, ax: Any) -> None:  # noqa: B027 - optional hook
        """Draw ``result`` on ``ax``; explorers without a plot set ``figsize = None``."""

    # -- machinery ----------------------------------------------------------------------------
    def values(self) -> dict[str, Any]:
        """The current value of every control."""
        return {name: control.value for name, control in self.controls.items()}

    def set(self, **values: Any) -> Any:
        """Set several controls at once, then update once; returns the new result."""
        unknown = set(values) - set(self.controls)
        if unknown:
            raise KeyError(f"No control named {sorted(unknown)}; controls: {list(self.controls)}")
        self._quiet = True
        try:
            for name, value in values.items():
                self.controls[name].value = value
        finally:
            self._quiet = False
        self.update()
        return self.result

    def _changed(self, _change: Any = None) -> None:
        if not self._quiet:
            self.update()

    def update(self) -> Any:
        """Recompute from the controls and redraw text and plot. Returns the result."""
        try:
            result = self.compute(**self.values())
        except (ValueError, TypeError, KeyError) as error:
            self.error = str(error)
            self.text.value = (
                f"<span style='color:#b00'>Cannot compute: {_html_escape(error)}</span>"
            )
            return None
        self.error = None
        self.result = result
        self.text.value = self.describe(result)
        if self.figsize is not None:
            self._render(result)
        return result

    def _render(self, result: Any) -> None:
        from matplotlib.figure import Figure

        fig = Figure(figsize=self.figsize, dpi=90)
        ax = fig.subplots()
        self.draw(result, ax)
        fig.subplots_adjust(left=0.14, right=0.86, bottom=0.15, top=0.9)  # fixed: fast
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", metadata={"Software": None})
        self.figure = fig  # standalone Figure: not registered with pyplot, nothing to leak
        png = base64.b64encode(buffer.getvalue()).decode("ascii")
        self.output.outputs = (
            {
                "output_type": "display_data",
                "data": {"image/png": png, "text/plain": "<plot>"},
                "metadata": {},
            },
        )

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(controls={list(self.controls)})"


def _require(measured: dict, *keys: str) -> None:
    if not isinstance(measured, dict):
        raise TypeError(
            f"measured must be a dict of measured numbers, not {type(measured).__name__}."
        )
    missing = [k for k in keys if k not in measured]
    if missing:
        raise KeyError(f"measured is missing {missing}; it needs at least {list(keys)}.")


# ---- lesson 02: cost explorer ----------------------------------------------------------------
class CostExplorer(Explorer):
    title = "What does each approach cost? Move the sliders."

    def __init__(self, measured: dict, prices: _costs.Prices | None = None):
        _require(measured, "prompt_tokens_in", "tuned_tokens_in", "train_seconds")
        self.prices = _costs._prices(prices)
        self.measured = dict(measured)
        m = self.measured
        self.tuned_tokens_in = _costs._mean_tokens("tuned_tokens_in", m["tuned_tokens_in"])
        self.tokens_out = _costs._mean_tokens("tokens_out", m.get("tokens_out", 1))
        self.people_hours = float(m.get("engineer_hours", 40.0)) + float(
            m.get("data_prep_hours", 80.0)
        )
        upfront = _costs.fine_tune_upfront_cost(
            m["train_seconds"],
            m.get("engineer_hours", 40.0),
            self.prices,
            m.get("data_prep_hours", 80.0),
            compute_scale=m.get("compute_scale", 50.0),
            runs=m.get("runs", 5),
        )
        prompt_tokens = round(_costs._mean_tokens("prompt_tokens_in", m["prompt_tokens_in"]))
        p = self.prices
        controls = {
            "price_per_1k": _slider(
                W.FloatLogSlider,
                "price / 1k input tokens",
                value=p.input_per_1k,
                base=10,
                min=-5,
                max=-1,
                step=0.1,
                readout_format=".2g",
            ),
            "requests_per_month": _slider(
                W.FloatLogSlider,
                "requests per month",
                value=float(m.get("requests_per_month", 1e6)),
                base=10,
                min=2,
                max=9,
                step=0.1,
                readout_format=".3g",
            ),
            "prompt_tokens": _slider(
                W.IntSlider,
                "prompt length (tokens)",
                value=prompt_tokens,
                min=1,
                max=max(4 * prompt_tokens, 2000),
                step=1,
            ),
            "training_cost": _slider(
                W.FloatLogSlider,
                f"training compute ({p.currency})",
                value=max(upfront.compute, 1.0),
                base=10,
                min=0,
                max=6,
                step=0.1,
                readout_format=",.0f",
            ),
            "hourly_rate": _slider(
                W.FloatSlider,
                f"hourly rate ({p.currency})",
                value=p.engineer_hourly,
                min=0,
                max=max(300.0, p.engineer_hourly),
                step=5,
            ),
            "horizon_months": _slider(W.IntSlider, "horizon (months)", value=12, min=1, max=36),
        }
        super().__init__(controls)

    def compute(
        self,
        price_per_1k: float,
        requests_per_month: float,
        prompt_tokens: float,
        training_cost: float,
        hourly_rate: float,
        horizon_months: float = 12,
    ) -> dict[str, Any]:
        """Costs and break-even for these slider values (pure: no widgets involved)."""
        prices = dataclasses.replace(
            self.prices, input_per_1k=price_per_1k, engineer_hourly=hourly_rate
        )
        upfront = _costs._check_number("training_cost", training_cost) + self.people_hours * (
            _costs._check_number("hourly_rate", hourly_rate)
        )
        args = (prompt_tokens, self.tuned_tokens_in, self.tokens_out, upfront, prices)
        c_prompt = _costs.cost_per_request(prompt_tokens, self.tokens_out, prices)
        c_tuned = _costs.cost_per_request(self.tuned_tokens_in, self.tokens_out, prices, tuned=True)
        break_even = _costs.break_even_requests(*args, horizon_months=horizon_months)
        total_prompt = horizon_months * requests_per_month * c_prompt
        total_tuned = upfront + horizon_months * requests_per_month * c_tuned
        return {
            "prices": prices,
            "prompt_tokens": prompt_tokens,
            "tuned_tokens_in": self.tuned_tokens_in,
            "tokens_out": self.tokens_out,
            "upfront": upfront,
            "cost_per_request_prompt": c_prompt,
            "cost_per_request_tuned": c_tuned,
            "monthly_prompting": requests_per_month * c_prompt,
            "monthly_tuned": requests_per_month * c_tuned,
            "total_prompting": total_prompt,
            "total_tuned": total_tuned,
            "break_even": break_even,
            "payback_months": _costs.payback_months(requests_per_month, *args),
            "requests_per_month": requests_per_month,
            "horizon_months": horizon_months,
            "cheaper": "fine-tuning" if total_tuned < total_prompt else "prompting",
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
        _costs.plot_break_even(
            r["prompt_tokens"],
            r["tuned_tokens_in"],
            r["tokens_out"],
            r["upfront"],
            r["prices"],
            horizon_months=r["horizon_months"],
            mark_volume=r["requests_per_month"],
            ax=ax,
        )


def cost_explorer(measured: dict, prices: _costs.Prices | None = None) -> CostExplorer:
    """Lesson 02 explorer: prices, volume, prompt length, training cost, hourly rate.

    ``measured`` needs ``prompt_tokens_in`` (tokens per prompted request, a number or a
    list), ``tuned_tokens_in`` and ``train_seconds``; optional ``tokens_out`` (1),
    ``engineer_hours`` (40), ``data_prep_hours`` (80), ``requests_per_month`` (1e6),
    ``compute_scale`` (50), ``runs`` (5). Upfront cost = training compute slider + (engineer
    hours + data-prep hours) x hourly rate.
    """
    return CostExplorer(measured, prices)


# ---- lesson 10: ROI explorer ------------------------------------------------------------------
class RoiExplorer(Explorer):
    title = "Return on investment over time"

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

    def __init__(self, measured: dict, currency: str = "$"):
        _require(measured, *self.FIXED)
        self.measured = dict(measured)
        self.currency = currency
        m = self.measured
        controls = {
            "months": _slider(W.IntSlider, "months", value=int(m.get("months", 24)), min=1, max=60),
            "volume_per_month": _slider(
                W.FloatLogSlider,
                "requests per month",
                value=float(m.get("volume_per_month", 1e6)),
                base=10,
                min=2,
                max=9,
                step=0.1,
                readout_format=".3g",
            ),
            "value_per_correct_answer": _slider(
                W.FloatLogSlider,
                f"value per correct answer ({currency})",
                value=float(m.get("value_per_correct_answer", 0.02)),
                base=10,
                min=-4,
                max=1,
                step=0.1,
                readout_format=".2g",
            ),
            "opportunity_cost_per_month": _slider(
                W.FloatSlider,
                f"opportunity cost / month ({currency})",
                value=float(m.get("opportunity_cost_per_month", 0.0)),
                min=0,
                max=max(50_000.0, float(m.get("opportunity_cost_per_month", 0.0))),
                step=500,
            ),
        }
        super().__init__(controls)

    def compute(
        self,
        months: int,
        volume_per_month: float,
        value_per_correct_answer: float,
        opportunity_cost_per_month: float,
    ) -> dict[str, Any]:
        """ROI rows and the key months for these slider values."""
        m = self.measured
        kwargs = {k: m[k] for k in self.FIXED}
        kwargs.update({k: m[k] for k in self.OPTIONAL if k in m})
        rows = _roi.roi_curves(
            months,
            volume_per_month=volume_per_month,
            value_per_correct_answer=value_per_correct_answer,
            opportunity_cost_per_month=opportunity_cost_per_month,
            **kwargs,
        )
        return {
            "rows": rows,
            "payback_prompting": _roi.payback_month(rows, "prompting"),
            "payback_fine_tuning": _roi.payback_month(rows, "fine_tuning"),
            "payback_net_of_opportunity": _roi.payback_month(
                rows, "fine_tuning_net_of_opportunity"
            ),
            "crossover": _roi.crossover_month(rows, "fine_tuning", "prompting"),
            "crossover_net_of_opportunity": _roi.crossover_month(
                rows, "fine_tuning_net_of_opportunity", "prompting"
            ),
            "final": dict(rows[-1]),
        }

    def describe(self, r: dict[str, Any]) -> str:
        def month(value: int | None) -> str:
            return "not within the horizon" if value is None else f"month {value}"

        last = r["final"]
        money = _costs.Prices(currency=self.currency).money
        return (
            f"Prompting pays back in {month(r['payback_prompting'])}; fine-tuning in "
            f"{month(r['payback_fine_tuning'])} "
            f"({month(r['payback_net_of_opportunity'])} after opportunity cost).<br>"
            f"Fine-tuning overtakes prompting in {month(r['crossover'])} "
            f"({month(r['crossover_net_of_opportunity'])} after opportunity cost).<br>"
            f"After {last['month']} months: prompting {money(last['prompting'])}, "
            f"fine-tuning {money(last['fine_tuning'])}, "
            f"fine-tuning minus opportunity cost {money(last['fine_tuning_net_of_opportunity'])}."
        )

    def draw(self, r: dict[str, Any], ax: Any) -> None:
        _roi.plot_roi(r["rows"], ax=ax, currency=self.currency)


def roi_explorer(measured: dict, currency: str = "$") -> RoiExplorer:
    """Lesson 10 explorer: months, volume, value per answer, opportunity cost.

    ``measured`` needs ``accuracy_prompt`` (a list of accuracies per prompt version, or
    one number), ``accuracy_tuned``, ``cost_per_request_prompt``, ``cost_per_request_tuned``
    and ``fine_tune_upfront``; it may add any other ``roi_curves`` keyword
    (``prompt_dev_cost``, ``build_months``, ...) and starting slider values (``months``,
    ``volume_per_month``, ``value_per_correct_answer``, ``opportunity_cost_per_month``).
    """
    return RoiExplorer(measured, currency)


# ---- lesson 07: cascade explorer ----------------------------------------------------------------
class CascadeExplorer(Explorer):
    title = "Cascade: when should the cheap model pass a request on?"

    def __init__(
        self,
        cheap_logprobs: Any,
        cheap_preds: Any,
        strong_preds: Any,
        gold: Any,
        cost_cheap: float,
        cost_strong: float,
        *,
        thresholds: Any = None,
        threshold: float = 0.5,
        kind: str = "max",
    ):
        self._args = (cheap_logprobs, cheap_preds, strong_preds, gold)
        self._costs = (cost_cheap, cost_strong)
        self._thresholds = thresholds
        self._sweeps: dict[str, Any] = {}
        self._sweep(kind)  # validates the inputs before any widget exists
        controls = {
            "threshold": _slider(
                W.FloatSlider, "confidence threshold", value=threshold, min=0, max=1, step=0.01
            ),
            "kind": W.Dropdown(
                options=[("max probability", "max"), ("margin top-1 - top-2", "margin")],
                value=kind,
                description="confidence",
                style=_WIDE,
                layout=W.Layout(**_LAYOUT),
            ),
        }
        super().__init__(controls)

    def _sweep(self, kind: str) -> Any:
        if kind not in self._sweeps:
            self._sweeps[kind] = _cascade.cascade_sweep(
                *self._args, self._thresholds, *self._costs, kind=kind
            )
        return self._sweeps[kind]

    def compute(self, threshold: float, kind: str = "max") -> dict[str, Any]:
        """The cascade at ``threshold`` plus the whole sweep (cached per confidence kind)."""
        row = _cascade.cascade_at(threshold, *self._args, *self._costs, kind=kind)
        return {
            "row": row,
            "rows": self._sweep(kind),
            "all_cheap": _cascade.cascade_at(0.0, *self._args, *self._costs, kind=kind),
            "all_strong": _cascade.cascade_at(1.0, *self._args, *self._costs, kind=kind),
        }

    def describe(self, r: dict[str, Any]) -> str:
        row, cheap, strong = r["row"], r["all_cheap"], r["all_strong"]
        return (
            f"<b>Threshold {row['threshold']:.2f}: {row['share_escalated']:.0%} escalated, "
            f"accuracy {row['accuracy']:.1%}, cost {row['cost_per_request']:.4g} per request"
            "</b><br>"
            f"Cheap model alone: accuracy {cheap['accuracy']:.1%}, cost "
            f"{cheap['cost_per_request']:.4g}. Everything escalated: accuracy "
            f"{strong['accuracy']:.1%}, cost {strong['cost_per_request']:.4g}."
        )

    def draw(self, r: dict[str, Any], ax: Any) -> None:
        _cascade.plot_cascade(r["rows"], ax=ax, threshold=r["row"]["threshold"])


def cascade_explorer(
    cheap_logprobs: Any,
    cheap_preds: Any,
    strong_preds: Any,
    gold: Any,
    cost_cheap: float,
    cost_strong: float,
    **kwargs: Any,
) -> CascadeExplorer:
    """Lesson 07 explorer: the same inputs as ``cascade.cascade_sweep`` (thresholds optional
    as a keyword), plus ``threshold=`` (start value) and ``kind=`` ("max" / "margin")."""
    return CascadeExplorer(
        cheap_logprobs, cheap_preds, strong_preds, gold, cost_cheap, cost_strong, **kwargs
    )


# ---- lesson 11: decision questionnaire -------------------------------------------------------
class DecisionQuestionnaire(Explorer):
    title = "Prompting, fine-tuning or both? Answer the questions."
    figsize = None

    def __init__(self, initial: _decision.DecisionInputs | None = None):
        from prompt_vs_finetune.decision.case_studies import CASE_STUDIES

        start = initial or _decision.DecisionInputs(monthly_requests=50_000)
        if not isinstance(start, _decision.DecisionInputs):
            raise TypeError(f"initial must be DecisionInputs, not {type(start).__name__}.")
        q = _decision.CRITERIA
        wide = {"description_width": "initial"}
        row = W.Layout(width="720px")
        controls: dict[str, W.Widget] = {}
        for f in dataclasses.fields(start):
            name, value = f.name, getattr(start, f.name)
            if name == "break_even_volume":
                continue
            if name == "monthly_requests":
                controls[name] = W.FloatLogSlider(
                    value=max(float(value), 1.0),
                    base=10,
                    min=0,
                    max=9,
                    step=0.1,
                    readout_format=",.0f",
                    continuous_update=False,
                    description=q[name],
                    style=wide,
                    layout=row,
                )
            elif name == "labelled_examples":
                controls[name] = W.BoundedIntText(
                    value=int(value), min=0, max=10**9, description=q[name], style=wide, layout=row
                )
            elif name == "requirement_changes":
                controls[name] = W.Dropdown(
                    options=list(_decision.CHANGE_RATES),
                    value=value,
                    description=q[name],
                    style=wide,
                    layout=row,
                )
            elif name == "upfront_budget":
                controls[name] = W.Dropdown(
                    options=list(_decision.BUDGETS),
                    value=value,
                    description=q[name],
                    style=wide,
                    layout=row,
                )
            else:
                controls[name] = W.Checkbox(
                    value=bool(value), description=q[name], style=wide, layout=row, indent=False
                )
        self.break_even_volume = self._initial_break_even = start.break_even_volume
        self.cases = {c.name: c for c in CASE_STUDIES}
        self.case_picker = W.Dropdown(
            options=[("(your own answers)", "")] + [(c.organisation, c.name) for c in CASE_STUDIES],
            value="",
            description="load a case study",
            style=wide,
            layout=row,
        )
        self.case_picker.observe(self._pick_case, names="value")
        super().__init__(controls, extra=[self.case_picker])

    def _pick_case(self, change: Any) -> None:
        if change["new"]:
            self.load(self.cases[change["new"]].inputs)
        else:
            self.break_even_volume = self._initial_break_even
            self.update()

    def load(self, inputs: _decision.DecisionInputs) -> _decision.Recommendation:
        """Fill the form from a ``DecisionInputs`` (e.g. a case study) and recommend."""
        if not isinstance(inputs, _decision.DecisionInputs):
            raise TypeError(f"load() needs DecisionInputs, not {type(inputs).__name__}.")
        self.break_even_volume = inputs.break_even_volume
        values = {k: getattr(inputs, k) for k in self.controls}
        values["monthly_requests"] = max(float(values["monthly_requests"]), 1.0)
        return self.set(**values)

    def inputs(self, **values: Any) -> _decision.DecisionInputs:
        values = dict(values)
        if "monthly_requests" in values:
            values["monthly_requests"] = round(float(values["monthly_requests"]))
        values.setdefault("break_even_volume", self.break_even_volume)
        return _decision.DecisionInputs(**values)

    def compute(self, **values: Any) -> _decision.Recommendation:
        """The recommendation for these answers (keys: ``DecisionInputs`` fields)."""
        return _decision.recommend(self.inputs(**values))

    def describe(self, rec: _decision.Recommendation) -> str:
        return rec._repr_html_()


def decision_questionnaire(
    initial: _decision.DecisionInputs | None = None,
) -> DecisionQuestionnaire:
    """Lesson 11: a form of the decision questions, answered live with reasons."""
    return DecisionQuestionnaire(initial)


# ---- lesson 05 and others: any function behind sliders, cached ------------------------------
def _control(name: str, spec: Any) -> W.Widget:
    """A widget from a short spec: a widget as is; (min, max[, step]) -> slider;
    a list of numbers -> selection slider; any other list -> dropdown."""
    if isinstance(spec, W.ValueWidget):
        return spec
    if (
        isinstance(spec, tuple)
        and len(spec) in (2, 3)
        and all(isinstance(v, numbers.Real) and not isinstance(v, bool) for v in spec)
    ):
        kind = W.IntSlider if all(isinstance(v, int) for v in spec) else W.FloatSlider
        lo, hi = spec[0], spec[1]
        step = spec[2] if len(spec) == 3 else (1 if kind is W.IntSlider else (hi - lo) / 20)
        return _slider(kind, name, min=lo, max=hi, step=step, value=lo)
    if isinstance(spec, list | tuple) and spec:
        if all(isinstance(v, numbers.Real) and not isinstance(v, bool) for v in spec):
            return _slider(W.SelectionSlider, name, options=list(spec), value=spec[0])
        return W.Dropdown(
            options=list(spec),
            value=spec[0],
            description=name,
            style=_WIDE,
            layout=W.Layout(**_LAYOUT),
        )
    raise TypeError(
        f"Cannot make a control for {name}={spec!r}: give a widget, a (min, max[, step]) "
        "tuple, or a non-empty list of options."
    )


class SliderExplorer(Explorer):
    """Calls ``fn(**values)`` whenever a control changes; each distinct set of values is
    computed once and cached, so going back to an earlier setting is instant.

    ``fn`` may return a number, or a dict (the number plotted is ``metric`` or its first
    numeric entry). The plot shows every result computed so far against the first control,
    one line per combination of the other controls.
    """

    title = ""

    def __init__(
        self,
        fn: Callable[..., Any],
        sliders: dict[str, Any],
        *,
        metric: str | None = None,
        title: str = "",
    ):
        if not callable(fn):
            raise TypeError(f"fn must be a function, not {type(fn).__name__}.")
        if not sliders:
            raise ValueError("Give at least one control, e.g. k=[0, 1, 2, 4, 8].")
        self.fn = fn
        self.metric = metric
        self.title = title
        self.cache: dict[tuple, Any] = {}
        self.seconds: dict[tuple, float] = {}
        self.calls = 0
        self._last_key: tuple | None = None
        controls = {name: _control(name, spec) for name, spec in sliders.items()}
        super().__init__(controls)

    @staticmethod
    def key(values: dict[str, Any]) -> tuple:
        return tuple(sorted(values.items()))

    def compute(self, **values: Any) -> Any:
        """``fn(**values)``, from the cache when these values were seen before."""
        key = self.key(values)
        self._last_key = key
        if key not in self.cache:
            start = time.perf_counter()
            self.cache[key] = self.fn(**values)
            self.seconds[key] = time.perf_counter() - start
            self.calls += 1
            self._fresh = True
        else:
            self._fresh = False
        return self.cache[key]

    def update(self) -> Any:
        if self.key(self.values()) not in self.cache:
            self.text.value = "<i>computing...</i>"  # visible while a slow fn runs
        return super().update()

    def number(self, result: Any) -> float | None:
        """The plotted number of a result."""
        if isinstance(result, numbers.Real) and not isinstance(result, bool):
            return float(result)
        if isinstance(result, dict):
            if self.metric is not None:
                return float(result[self.metric])
            for value in result.values():
                if isinstance(value, numbers.Real) and not isinstance(value, bool):
                    return float(value)
        return None

    def describe(self, result: Any) -> str:
        key = self._last_key
        setting = ", ".join(f"{k}={v}" for k, v in key)
        how = f"computed in {self.seconds[key]:.1f} s" if self._fresh else "from cache"
        if isinstance(result, dict):
            shown = ", ".join(
                f"{k}: {v:.3f}" if isinstance(v, float) else f"{k}: {v}" for k, v in result.items()
            )
        elif isinstance(result, float):
            shown = f"{result:.3f}"
        else:
            shown = str(result)
        return f"{_html_escape(setting)} &rarr; <b>{_html_escape(shown)}</b> <i>({how})</i>"

    def draw(self, result: Any, ax: Any) -> None:
        names = list(self.controls)
        x_name, others = names[0], names[1:]
        series: dict[tuple, list[tuple[Any, float]]] = {}
        for key, value in self.cache.items():
            y = self.number(value)
            if y is None or (isinstance(y, float) and math.isnan(y)):
                continue
            d = dict(key)
            series.setdefault(tuple(d[o] for o in others), []).append((d[x_name], y))
        current = dict(self._last_key or ())
        for group, points in sorted(series.items(), key=lambda kv: str(kv[0])):
            points.sort(key=lambda p: (str(type(p[0])), p[0]))
            label = ", ".join(f"{o}={v}" for o, v in zip(others, group, strict=True)) or "result"
            ax.plot(
                [str(p[0]) if not isinstance(p[0], numbers.Real) else p[0] for p in points],
                [p[1] for p in points],
                "o-",
                label=label,
            )
        y_now = self.number(result)
        if y_now is not None and x_name in current:
            ax.plot([current[x_name]], [y_now], "k*", markersize=12, label="current")
        ax.set_xlabel(x_name)
        ax.set_ylabel(self.metric or "result")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7)


def slider_explorer(fn: Callable[..., Any], /, **sliders: Any) -> SliderExplorer:
    """Put any function behind controls, e.g. lesson 05's k-shot explorer::

        slider_explorer(accuracy_for, k=[0, 1, 2, 4, 8], strategy=["balanced", "random"],
                        order=["grouped", "shuffled"])

    Controls: a widget; a ``(min, max[, step])`` tuple (slider); a list of numbers
    (selection slider); any other list (dropdown). Results are cached per setting. For a
    dict result and a chosen metric, use ``SliderExplorer(fn, sliders, metric="accuracy")``.
    """
    return SliderExplorer(fn, sliders)
