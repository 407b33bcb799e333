"""Two conditions on the same items, property by property: rates, intervals, paired tests.

A generated answer has several properties worth checking one by one (is it valid JSON,
are all fields right, is the reply's length in range, is the sign-off there). Each is a
per-item measurement for both conditions, in the same item order. ``paired_table`` gives
one row per property: each condition's rate with its 95% Wilson interval and B minus A with
its paired-bootstrap interval and McNemar's exact test (``intervals.paired``); a property
that is not 0/1 per item (a share of fields right, tokens per request) gets its mean with
a bootstrap interval instead, and the Wilcoxon signed-rank test (``intervals.paired_scores``).
``difference_lines`` turns the rows into sentences built from those numbers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from prompt_vs_finetune.measure.intervals import paired, paired_scores, rate
from prompt_vs_finetune.ui.tables import Table

__all__ = ["difference_lines", "paired_table", "reading"]


def _binary(values: Sequence[float]) -> bool:
    return all(v in (0, 1) for v in values)


def _interval(values: Sequence[float]) -> tuple[float, float, float]:
    """Mean, low, high: Wilson for 0/1 values; else the bootstrap interval of the mean (the
    paired interval of the values' difference from zero, so every bootstrap is the same one)."""
    if _binary(values):
        r = rate([int(v) for v in values])
        return r.value, r.low, r.high
    p = paired_scores([0.0] * len(values), values)
    return p.difference, p.low, p.high


def paired_table(
    a: Mapping[str, Sequence[float]],
    b: Mapping[str, Sequence[float]],
    names: tuple[str, str] = ("prompt", "fine-tune"),
) -> Table:
    """One row per property of ``a`` (condition A) and ``b`` (condition B), same items.

    Columns: property, A's mean and interval, B's mean and interval, difference (B minus
    A), its interval, p (the paired test's p-value), test, n.
    """
    rows = []
    for prop, xa in a.items():
        xb = b[prop]
        if len(xa) != len(xb) or not xa:
            raise ValueError(f"{prop}: both conditions need the same non-empty list of items")
        both_binary = _binary(xa) and _binary(xb)
        diff = paired([int(v) for v in xa], [int(v) for v in xb]) if both_binary else (
            paired_scores(xa, xb)
        )  # fmt: skip
        (va, la, ha), (vb, lb, hb) = _interval(xa), _interval(xb)
        rows.append(
            {
                "property": prop,
                names[0]: va,
                f"{names[0]} 95%": f"[{la:.2f}, {ha:.2f}]",
                names[1]: vb,
                f"{names[1]} 95%": f"[{lb:.2f}, {hb:.2f}]",
                "difference": diff.difference,
                "difference 95%": f"[{diff.low:+.2f}, {diff.high:+.2f}]",
                "p": diff.p_value,
                "test": diff.test,
                "n": diff.n,
                "_low": diff.low,
                "_high": diff.high,
            }
        )
    shown = [c for c in rows[0] if not c.startswith("_")] if rows else None
    return Table(rows, columns=shown)


def reading(low: float, high: float, names: tuple[str, str] = ("prompt", "fine-tune")) -> str:
    """What an interval of B minus A says: higher with B, higher with A, or not told apart."""
    if low > 0:
        return f"higher with the {names[1]}"
    if high < 0:
        return f"higher with the {names[0]}"
    return "not told apart on these items"


def difference_lines(
    table: Table, names: tuple[str, str] = ("prompt", "fine-tune"), digits: int = 2
) -> list[str]:
    """One sentence per row of ``paired_table``, every number read from the row."""
    lines = []
    for row in table:
        a, b = names
        lines.append(
            f"{row['property']}: {a} {row[a]:.{digits}f} {row[f'{a} 95%']}, {b} "
            f"{row[b]:.{digits}f} {row[f'{b} 95%']}; {b} minus {a} {row['difference']:+.{digits}f} "
            f"{row['difference 95%']}, {row['test']} p={row['p']:.2g} (n={row['n']}): "
            f"{reading(row['_low'], row['_high'], names)}"
        )
    return lines
