"""Lesson 11: the decision questionnaire, a form over ``advice.recommend``."""

from __future__ import annotations

import dataclasses
from typing import Any

import ipywidgets as W

from prompt_vs_finetune.decision import advice
from prompt_vs_finetune.decision.case_studies import CASE_STUDIES
from prompt_vs_finetune.ui.widgets.explorer import Explorer

__all__ = ["DecisionQuestionnaire", "decision_questionnaire"]

_STYLE = {"description_width": "initial"}
_ROW = {"width": "720px"}
_OPTIONS = {"requirement_changes": advice.CHANGE_RATES, "upfront_budget": advice.BUDGETS}


def question_control(name: str, value: Any) -> W.Widget:
    """The control for one question of ``advice.CRITERIA``, starting at ``value``."""
    common = {"description": advice.CRITERIA[name], "style": _STYLE, "layout": W.Layout(**_ROW)}
    if name == "monthly_requests":
        return W.FloatLogSlider(
            value=max(float(value), 1.0), base=10, min=0, max=9, step=0.1,
            readout_format=",.0f", continuous_update=False, **common,
        )  # fmt: skip
    if name == "labelled_examples":
        return W.BoundedIntText(value=int(value), min=0, max=10**9, **common)
    if name in _OPTIONS:
        return W.Dropdown(options=list(_OPTIONS[name]), value=value, **common)
    return W.Checkbox(value=bool(value), indent=False, **common)


class DecisionQuestionnaire(Explorer):
    title = "Prompting, fine-tuning or both? Answer the questions."
    figsize = None

    def __init__(self, initial: advice.DecisionInputs | None = None):
        start = initial or advice.DecisionInputs(monthly_requests=50_000)
        if not isinstance(start, advice.DecisionInputs):
            raise TypeError(f"initial must be DecisionInputs, not {type(start).__name__}.")
        controls = {
            f.name: question_control(f.name, getattr(start, f.name))
            for f in dataclasses.fields(start)
            if f.name != "break_even_volume"  # measured, not asked
        }
        self.break_even_volume = self._initial_break_even = start.break_even_volume
        self.cases = {c.name: c for c in CASE_STUDIES}
        self.case_picker = W.Dropdown(
            options=[("(your own answers)", "")] + [(c.organisation, c.name) for c in CASE_STUDIES],
            value="",
            description="load a case study",
            style=_STYLE,
            layout=W.Layout(**_ROW),
        )
        self.case_picker.observe(self._pick_case, names="value")
        super().__init__(controls, extra=[self.case_picker])

    def _pick_case(self, change: Any) -> None:
        if change["new"]:
            self.load(self.cases[change["new"]].inputs)
        else:
            self.break_even_volume = self._initial_break_even
            self.update()

    def load(self, inputs: advice.DecisionInputs) -> advice.Recommendation:
        """Fill the form from a ``DecisionInputs`` (e.g. a case study) and recommend."""
        if not isinstance(inputs, advice.DecisionInputs):
            raise TypeError(f"load() needs DecisionInputs, not {type(inputs).__name__}.")
        self.break_even_volume = inputs.break_even_volume
        values = {k: getattr(inputs, k) for k in self.controls}
        values["monthly_requests"] = max(float(values["monthly_requests"]), 1.0)
        return self.set(**values)

    def inputs(self, **values: Any) -> advice.DecisionInputs:
        """The ``DecisionInputs`` for these answers (the form's measured break-even added)."""
        values = dict(values)
        if "monthly_requests" in values:
            values["monthly_requests"] = round(float(values["monthly_requests"]))
        values.setdefault("break_even_volume", self.break_even_volume)
        return advice.DecisionInputs(**values)

    def compute(self, **values: Any) -> advice.Recommendation:
        """The recommendation for these answers (keys: ``DecisionInputs`` fields)."""
        return advice.recommend(self.inputs(**values))

    def describe(self, rec: advice.Recommendation) -> str:
        return rec._repr_html_()


def decision_questionnaire(
    initial: advice.DecisionInputs | None = None,
) -> DecisionQuestionnaire:
    """Lesson 11: a form of the decision questions, answered live with reasons."""
    return DecisionQuestionnaire(initial)
