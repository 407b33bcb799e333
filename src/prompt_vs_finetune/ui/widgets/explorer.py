"""The base of every explorer: controls -> a pure ``compute`` -> a summary and a plot.

An explorer is a small object:

* ``.controls``  dict of name -> ipywidget (sliders, dropdowns, checkboxes);
* ``.compute(**values)`` the numbers for those control values, with no widget involved
  (tests and notebooks call it directly); each explorer's ``compute`` is a thin call of
  a plain library function;
* ``.update()`` recompute from the current control values and redraw; an
  ``ipywidgets.interactive`` calls it whenever a control changes;
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
import html
import io
from typing import Any

import ipywidgets as W

__all__ = ["Explorer", "require_keys", "slider"]

WIDE = {"description_width": "170px"}
LAYOUT = {"width": "520px"}


def slider(kind: type, description: str, **kwargs: Any) -> W.Widget:
    """A control of ``kind`` (e.g. ``W.FloatSlider``) that updates when released."""
    kwargs.setdefault("continuous_update", False)
    return kind(description=description, style=WIDE, layout=W.Layout(**LAYOUT), **kwargs)


def require_keys(measured: Any, *keys: str) -> None:
    """A clear error when ``measured`` is not a dict holding ``keys``."""
    if not isinstance(measured, dict):
        raise TypeError(
            f"measured must be a dict of measured numbers, not {type(measured).__name__}."
        )
    missing = [k for k in keys if k not in measured]
    if missing:
        raise KeyError(f"measured is missing {missing}; it needs at least {list(keys)}.")


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
        header = [W.HTML(f"<b>{html.escape(self.title)}</b>")] if self.title else []
        self.widget = W.VBox(
            [*header, *(extra or []), *self.controls.values(), self.text, self.output]
        )
        # interactive calls _changed now and after every change of a control
        self._interact = W.interactive(self._changed, **self.controls, clear_output=False)

    # -- to override ------------------------------------------------------------------------
    def compute(self, **values: Any) -> Any:
        raise NotImplementedError

    def describe(self, result: Any) -> str:
        return html.escape(str(result))

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

    def _changed(self, **_values: Any) -> None:
        if not self._quiet:
            self.update()

    def update(self) -> Any:
        """Recompute from the controls and redraw text and plot. Returns the result."""
        try:
            result = self.compute(**self.values())
        except (ValueError, TypeError, KeyError) as error:
            self.error = str(error)
            self.text.value = (
                f"<span style='color:#b00'>Cannot compute: {html.escape(str(error))}</span>"
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
