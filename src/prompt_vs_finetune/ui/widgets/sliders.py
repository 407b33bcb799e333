"""Any function behind sliders, each setting computed once (lessons 05 and 06)."""

from __future__ import annotations

import html
import math
import numbers
import time
from collections.abc import Callable
from typing import Any

import ipywidgets as W

from prompt_vs_finetune.ui.widgets.explorer import LAYOUT, WIDE, Explorer, slider

__all__ = ["SliderExplorer"]


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
        return slider(kind, name, min=lo, max=hi, step=step, value=lo)
    if isinstance(spec, list | tuple) and spec:
        if all(isinstance(v, numbers.Real) and not isinstance(v, bool) for v in spec):
            return slider(W.SelectionSlider, name, options=list(spec), value=spec[0])
        return W.Dropdown(
            options=list(spec),
            value=spec[0],
            description=name,
            style=WIDE,
            layout=W.Layout(**LAYOUT),
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
    one line per combination of the other controls. Controls: a widget; a ``(min, max[,
    step])`` tuple (slider); a list of numbers (selection slider); any other list
    (dropdown). For example, lesson 05's k-shot explorer::

        SliderExplorer(accuracy_for, {"k": [0, 1, 2, 4, 8], "strategy": ["balanced", "random"]})
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
        return f"{html.escape(setting)} &rarr; <b>{html.escape(shown)}</b> <i>({how})</i>"

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
