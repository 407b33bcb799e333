"""The Table record type: printing, filtering, saving, plotting."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest

from prompt_vs_finetune.ui.tables import Table

ROWS = [
    {"k": 0, "method": "prompt", "accuracy": 0.41234, "tokens": 120},
    {"k": 4, "method": "prompt", "accuracy": 0.6, "tokens": 480},
    {"k": 8, "method": "lora", "accuracy": 0.75, "tokens": None},
]


def test_is_a_list_of_rows():
    t = Table(ROWS)
    assert len(t) == 3 and t[0]["k"] == 0
    assert isinstance(t[:2], Table) and len(t[:2]) == 2
    t.append({"k": 16, "extra": "x"})
    assert t.columns == ["k", "method", "accuracy", "tokens", "extra"]


def test_str_aligns_and_rounds():
    text = str(Table(ROWS))
    lines = text.splitlines()
    assert lines[0].split() == ["k", "method", "accuracy", "tokens"]
    assert set(lines[1]) <= {"-", " "}
    assert "0.412" in text and "0.41234" not in text
    assert len({len(line) for line in lines[:2]}) == 1  # header as wide as the rule
    assert str(Table()) == "(empty table)"
    assert repr(Table(ROWS)) == text


def test_long_cells_are_cut_and_html_escaped():
    t = Table([{"raw": "<b>" + "x" * 100}])
    assert "..." in str(t) and len(str(t).splitlines()[-1]) <= 40
    html = t._repr_html_()
    assert "<table>" in html and "&lt;b&gt;" in html and "<b>" not in html


def test_column_and_where():
    t = Table(ROWS)
    assert t.column("k") == [0, 4, 8]
    assert t.column("tokens") == [120, 480, None]
    with pytest.raises(KeyError):
        t.column("nope")
    prompts = t.where(method="prompt")
    assert isinstance(prompts, Table) and prompts.column("k") == [0, 4]
    assert t.where(method="prompt", k=4).column("accuracy") == [0.6]


def test_json_round_trip():
    t = Table(ROWS, columns=["method", "k"])
    back = Table.from_json(t.to_json())
    assert back == t and back.columns == ["method", "k"]
    assert str(t).split()[:2] == ["method", "k"] and "accuracy" not in str(t)
    assert t.column("accuracy")[2] == 0.75  # hidden columns are still there
    assert Table.from_json('[{"a": 1}]').column("a") == [1]


def test_plot_line_and_bar():
    t = Table(ROWS)
    ax = t.plot("k", "accuracy", title="k-shot")
    assert ax.get_title() == "k-shot" and ax.get_xlabel() == "k" and len(ax.lines) == 1
    ax = t.plot("method", ["accuracy", "tokens"], kind="bar")
    assert len(ax.patches) == 6 and ax.get_legend() is not None
    _, given = plt.subplots()
    assert t.plot("method", "accuracy", ax=given) is given
    with pytest.raises(ValueError):
        t.plot("k", "accuracy", kind="pie")
    plt.close("all")


def test_html_table_is_the_one_renderer():
    from prompt_vs_finetune.ui.tables import html_table

    text = html_table(["a", "<b>"], [(1, "x & y"), (None, "<i>")])
    assert text.startswith("<table><thead><tr><th>a</th><th>&lt;b&gt;</th></tr></thead>")
    assert "<td>x &amp; y</td>" in text and "<td>&lt;i&gt;</td>" in text
    t = Table([{"k": 0, "name": "<b>"}])
    assert t._repr_html_() == html_table(["k", "name"], [["0", "<b>"]])
