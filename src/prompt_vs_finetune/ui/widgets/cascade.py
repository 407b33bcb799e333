"""Lesson 07: the cascade explorer, a threshold slider over ``cascade.cascade_at``."""

from __future__ import annotations

from typing import Any

import ipywidgets as W

from prompt_vs_finetune.hybrid import cascade as _cascade
from prompt_vs_finetune.ui.widgets.explorer import LAYOUT, WIDE, Explorer, slider

__all__ = ["CascadeExplorer", "cascade_explorer"]


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
            "threshold": slider(
                W.FloatSlider, "confidence threshold", value=threshold, min=0, max=1, step=0.01
            ),
            "kind": W.Dropdown(
                options=[("max probability", "max"), ("margin top-1 - top-2", "margin")],
                value=kind,
                description="confidence",
                style=WIDE,
                layout=W.Layout(**LAYOUT),
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
