"""A tiny table: a list of dict rows that prints well and plots in one call.

``Table`` is an ordinary list (append, len, loops, slicing all work), so any
function can return one and a notebook shows it as a neat table. No pandas.
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Iterable, Sequence
from typing import Any

MAX_CELL = 40  # characters shown per cell before it is cut with "..."


def _format(value: Any, digits: int) -> str:
    """One cell as text: floats rounded, None blank, long text cut."""
    if value is None:
        text = ""
    elif isinstance(value, bool):
        text = str(value)
    elif isinstance(value, float):
        text = "nan" if math.isnan(value) else f"{value:.{digits}f}"
    elif isinstance(value, dict | list | tuple):
        text = json.dumps(value, default=str)
    else:
        text = str(value)
    text = " ".join(text.split())  # one line per cell
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 3] + "..."


def html_table(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """An HTML table: a header row of ``columns``, then one row per item, all escaped.

    The one HTML table renderer of the library: ``Table``, the exercise progress table and
    the prompt playground all draw through it.
    """
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>" for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


class Table(list):
    """Rows of results (each a dict). Prints as an aligned table; ``.plot`` draws it.

    >>> t = Table([{"k": 0, "accuracy": 0.41}, {"k": 4, "accuracy": 0.62}])
    >>> t.column("accuracy")
    [0.41, 0.62]
    """

    digits = 3  # decimals shown for floats

    def __init__(self, rows: Iterable[dict[str, Any]] = (), columns: Sequence[str] | None = None):
        """``columns`` (optional) picks which columns print, and in what order."""
        super().__init__(dict(row) for row in rows)
        self._columns = list(columns) if columns is not None else None

    @property
    def columns(self) -> list[str]:
        """Columns shown: those given, else every key in the order it first appears."""
        if self._columns is not None:
            return list(self._columns)
        names: dict[str, None] = {}
        for row in self:
            names.update(dict.fromkeys(row))
        return list(names)

    def column(self, name: str) -> list[Any]:
        """All values of one column (None where a row lacks it)."""
        if not any(name in row for row in self):
            raise KeyError(f"No column {name!r}; the columns are {self.columns}.")
        return [row.get(name) for row in self]

    def where(self, **equal: Any) -> Table:
        """The rows whose columns equal the given values, e.g. ``t.where(method="lora")``."""
        return Table(
            (row for row in self if all(row.get(k) == v for k, v in equal.items())),
            self._columns,
        )

    def __getitem__(self, index):  # slices stay tables
        result = super().__getitem__(index)
        return Table(result, self._columns) if isinstance(index, slice) else result

    # ---- printing -------------------------------------------------------------------
    def _cells(self) -> tuple[list[str], list[list[str]]]:
        columns = self.columns
        cells = [[_format(row.get(c), self.digits) for c in columns] for row in self]
        return columns, cells

    def __str__(self) -> str:
        if not self:
            return "(empty table)"
        columns, cells = self._cells()
        widths = [max(len(c), *(len(r[i]) for r in cells)) for i, c in enumerate(columns)]
        numeric = [all(_is_number(r.get(c)) or r.get(c) is None for r in self) for c in columns]

        def line(values: Sequence[str]) -> str:
            parts = [
                v.rjust(w) if num else v.ljust(w)
                for v, w, num in zip(values, widths, numeric, strict=True)
            ]
            return "  ".join(parts).rstrip()

        rule = "  ".join("-" * w for w in widths)
        return "\n".join([line(columns), rule, *(line(r) for r in cells)])

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        if not self:
            return "<p><em>(empty table)</em></p>"
        return html_table(*self._cells())

    # ---- saving -----------------------------------------------------------------------
    def to_json(self) -> str:
        """The rows as a JSON string (values that JSON cannot hold become text)."""
        return json.dumps({"columns": self._columns, "rows": list(self)}, default=str)

    @classmethod
    def from_json(cls, text: str) -> Table:
        """Rebuild a table saved with ``to_json`` (a bare JSON list of rows also works)."""
        data = json.loads(text)
        if isinstance(data, list):
            return cls(data)
        return cls(data["rows"], data.get("columns"))

    # ---- plotting ---------------------------------------------------------------------
    def plot(
        self,
        x: str,
        y: str | Sequence[str],
        kind: str = "line",
        ax: Any = None,
        title: str | None = None,
    ) -> Any:
        """Draw column(s) ``y`` against column ``x`` as lines or grouped bars; return the Axes."""
        import matplotlib.pyplot as plt

        if kind not in ("line", "bar"):
            raise ValueError(f'kind must be "line" or "bar", not {kind!r}.')
        ys = [y] if isinstance(y, str) else list(y)
        xs = self.column(x)
        series = {name: self.column(name) for name in ys}
        if ax is None:
            _, ax = plt.subplots(figsize=(6, 3.5))
        numeric_x = all(_is_number(v) for v in xs)
        positions = list(range(len(xs)))
        if kind == "line":
            where = xs if numeric_x else positions
            for name, values in series.items():
                ax.plot(where, [math.nan if v is None else v for v in values], "o-", label=name)
        else:
            width = 0.8 / len(ys)
            for i, (name, values) in enumerate(series.items()):
                offsets = [p - 0.4 + width * (i + 0.5) for p in positions]
                ax.bar(offsets, [0 if v is None else v for v in values], width, label=name)
        if kind == "bar" or not numeric_x:
            ax.set_xticks(positions)
            ax.set_xticklabels([_format(v, self.digits) for v in xs])
        ax.set_xlabel(x)
        ax.set_ylabel(ys[0] if len(ys) == 1 else "value")
        if len(ys) > 1:
            ax.legend()
        if title:
            ax.set_title(title)
        ax.grid(alpha=0.3)
        return ax
