"""The study's report: one self-contained HTML page built from the study's JSON.

``to_html(data)`` takes the dict of ``Study.to_json()`` and nothing else, so every number on
the page is one of the JSON's, written by one of the formatters in ``FORMATS``. A number in a
sentence is a ``<span class="n" data-path=... data-kind=...>`` naming the JSON value it
shows; tables are drawn by the library's ``html_table``. Plots are PNG images embedded as
base64: the page needs no other file and no network. ``write_report(data, folder)`` writes
``report.html`` and ``study.json`` and refuses to replace a file it did not write.
"""

from __future__ import annotations

import base64
import html
import io
import json
from collections.abc import Callable
from pathlib import Path
from string import Template
from types import SimpleNamespace
from typing import Any

from matplotlib.figure import Figure

from prompt_vs_finetune.economics.assumptions import DEFAULT_ASSUMPTIONS
from prompt_vs_finetune.finetune.plots import plot_dev_accuracy, plot_loss
from prompt_vs_finetune.measure.sweeps import plot_draws
from prompt_vs_finetune.own_task.summary import GENERATOR
from prompt_vs_finetune.ui.tables import html_table

__all__ = ["FORMATS", "JSON_NAME", "REPORT_NAME", "SECTIONS", "report_folder", "section", "to_html",
           "write_report"]

REPORT_NAME, JSON_NAME = "report.html", "study.json"

#: How the page writes a number of each kind (the test formats the JSON's values with these).
FORMATS: dict[str, Callable[[Any], str]] = {
    "rate": lambda v: f"{v:.3f}",
    "signed": lambda v: f"{v:+.3f}",
    "p": lambda v: f"{v:.3g}",
    "count": lambda v: f"{v:,.0f}",
    "seconds": lambda v: f"{v:.1f}",
    "ms": lambda v: f"{v * 1000:.0f}",
    "money": DEFAULT_ASSUMPTIONS.prices.money,
    "percent": lambda v: f"{v:.0%}",
}
_NONE = {"break_even": "never"}  # any other missing value is "none"

_PAGE = Template("""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="generator" content="$generator">
<title>$title</title><style>
body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse;margin:.5rem 0 1rem}td,th{border:1px solid #ccc;padding:.2rem .5rem}
th{background:#f3f3f3}.warn{color:#a40000}.n{font-variant-numeric:tabular-nums}img{max-width:100%}
</style></head><body>
<h1>$title</h1>
$body
</body></html>
""")


def _get(data: dict[str, Any], path: str) -> Any:
    value: Any = data
    for part in path.split("."):
        value = value[int(part)] if isinstance(value, list) else value[part]
    return value


def show(value: Any, kind: str, key: str = "") -> str:
    """``value`` as the page writes it (``_NONE`` words for a missing value)."""
    if value is None:
        return _NONE.get(key, "none")
    return FORMATS[kind](value)


def _n(data: dict[str, Any], path: str, kind: str) -> str:
    """A number in a sentence, tagged with the JSON path it comes from."""
    text = show(_get(data, path), kind, path.rsplit(".", 1)[-1])
    return f'<span class="n" data-path="{path}" data-kind="{kind}">{html.escape(text)}</span>'


def _e(text: Any) -> str:
    return html.escape(str(text))


def _image(fig: Figure) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=90, bbox_inches="tight")
    encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f'<img alt="plot" src="data:image/png;base64,{encoded}">'


# ---- sections ----------------------------------------------------------------------------------
def _header(d: dict[str, Any]) -> str:
    t = d["task"]
    sizes = ", ".join(f"{_n(d, f'task.sizes.{s}', 'count')} {s}" for s in t["sizes"])
    labels = ", ".join(_e(label) for label in t["labels"])
    return (
        f"<p>Model: <code>{_e(d['model'])}</code>. Data: {sizes} items; labels: {labels}. "
        f"Instruction: <i>{_e(t['instruction'])}</i></p><p>Every accuracy is measured on the "
        f"same test items and shown with its {_n(d, 'level', 'percent')} interval.</p>"
    )


def _accuracy(d: dict[str, Any]) -> str:
    rows, warnings = [], []
    for name, label in d["conditions"].items():
        a = d["accuracy"][name]
        rows.append([label, *(show(a[k], "rate") for k in ("value", "low", "high")),
                     f"{show(a['correct'], 'count')} of {show(a['n'], 'count')}",
                     show(a["tokens_per_request"], "count")])  # fmt: skip
        if a["below_baseline"]:
            warnings.append(
                f'<p class="warn">The {_e(label)} is below the baseline: its interval ends at '
                f"{_n(d, f'accuracy.{name}.high', 'rate')}, under the share of the commonest "
                "label.</p>"
            )
    table = html_table(["condition", "accuracy", "low", "high", "right", "tokens per request"],
                       rows)  # fmt: skip
    base = (f"<p>Baseline: always answering <b>{_e(d['baseline']['label'])}</b> is right on "
            f"{_n(d, 'baseline.share', 'rate')} of the test items.</p>")  # fmt: skip
    return "<h2>Accuracy on the test items</h2>" + table + base + "".join(warnings)


_READ = {
    "ahead": "its interval lies above zero: the second is measurably better on these items",
    "behind": "its interval lies below zero: the second is measurably worse on these items",
    "inconclusive": "its interval includes zero: these items cannot tell the two apart",
}


def _comparison(d: dict[str, Any], key: str) -> str:
    c, p = d["comparisons"][key], f"comparisons.{key}"
    names = d["conditions"]
    settle = ""
    if c["reading"] == "inconclusive" and c["items_to_settle"] is not None:
        settle = (f" About {_n(d, f'{p}.items_to_settle', 'count')} test items would be needed "
                  "to settle a difference of this size.")  # fmt: skip
    return (
        f"<p><b>{_e(names[c['b']])}</b> minus <b>{_e(names[c['a']])}</b>: "
        f"{_n(d, f'{p}.difference', 'signed')} [{_n(d, f'{p}.low', 'signed')}, "
        f"{_n(d, f'{p}.high', 'signed')}], {_e(c['test'])} p = {_n(d, f'{p}.p_value', 'p')}, "
        f"on {_n(d, f'{p}.n', 'count')} items ({_n(d, f'{p}.b_only', 'count')} right only "
        f"with the first named, {_n(d, f'{p}.a_only', 'count')} only with the second). "
        f"Reading: <b>{_e(c['reading'])}</b>; {_READ[c['reading']]}.{settle}</p>"
    )


def _accuracy_plot(d: dict[str, Any]) -> str:
    fig = Figure(figsize=(6.5, 3.2))
    ax = fig.add_subplot()
    names = list(d["conditions"])
    values = [d["accuracy"][n]["value"] for n in names]
    errors = [[v - d["accuracy"][n]["low"] for n, v in zip(names, values, strict=True)],
              [d["accuracy"][n]["high"] - v for n, v in zip(names, values, strict=True)]]
    ax.bar(range(len(names)), values, yerr=errors, capsize=6, color=["C7", "C0", "C3"])
    ax.axhline(d["baseline"]["share"], color="gray", linestyle=":", label="commonest label")
    ax.set_xticks(range(len(names)), [d["conditions"][n] for n in names])
    ax.set(ylim=(0, 1), ylabel="test accuracy", title="Accuracy with its interval")
    ax.legend(fontsize=8)
    return _image(fig)


def _search(d: dict[str, Any]) -> str:
    s, p = d["prompt_search"], "prompt_search"
    rows = [[r["technique"], show(r["k"], "count"), show(r["draws"], "count"),
             *(show(r[k], "rate") for k in ("mean", "min", "max", "spread")),
             show(r["tokens_per_request"], "count")] for r in s["summary"]]  # fmt: skip
    fig = Figure(figsize=(6.5, 3.2))
    ax = fig.add_subplot()
    for i, technique in enumerate(dict.fromkeys(r["technique"] for r in s["rows"])):
        mine = [r for r in s["rows"] if r["technique"] == technique]
        plot_draws(mine, ax=ax, label=technique, color=f"C{i}")
    ax.set(ylim=(0, 1), ylabel="dev accuracy", title="The prompt search on dev, every draw")
    ax.legend(fontsize=8)
    return (
        "<h2>The few-shot prompt, chosen on dev</h2><p>Each technique was tried at each k with "
        f"seeded draws of examples, all on the same {_n(d, f'{p}.dev_n', 'count')} dev items; "
        "the best mean on dev chose the technique and k, then its best draw. Chosen: "
        f"<b>{_e(s['technique'])}</b>, k = {_n(d, f'{p}.k', 'count')}, draw "
        f"{_n(d, f'{p}.draw', 'count')}, dev accuracy {_n(d, f'{p}.dev_accuracy', 'rate')}. "
        f"Over its {_n(d, f'{p}.draws', 'count')} draws the dev accuracy ranged from "
        f"{_n(d, f'{p}.dev_min', 'rate')} to {_n(d, f'{p}.dev_max', 'rate')} (spread "
        f"{_n(d, f'{p}.dev_spread', 'rate')}): that much depends on which examples are shown."
        "</p>"
        + html_table(["technique", "k", "draws", "mean", "min", "max", "spread", "tokens"], rows)
        + _image(fig)
    )


def _fine_tune(d: dict[str, Any]) -> str:
    f = d["fine_tune"]
    run = SimpleNamespace(**f)
    fig = Figure(figsize=(9, 3))
    left, right = fig.subplots(1, 2)
    plot_loss({"LoRA": run}, ax=left)
    plot_dev_accuracy({"LoRA": run}, ax=right)
    return (
        "<h2>The fine-tune</h2><p>LoRA with early stopping: a budget of "
        f"{_n(d, 'settings.steps', 'count')} steps, dev accuracy every "
        f"{_n(d, 'settings.eval_every', 'count')} steps, stopping after "
        f"{_n(d, 'settings.patience', 'count')} evaluations without a better one. It ran "
        f"{_n(d, 'fine_tune.steps_run', 'count')} steps (training and its dev evaluations took "
        f"{_n(d, 'fine_tune.train_seconds', 'seconds')} s) and kept the weights of step "
        f"{_n(d, 'fine_tune.best_step', 'count')} (dev accuracy "
        f"{_n(d, 'fine_tune.dev_accuracy', 'rate')}).</p>" + _image(fig)
    )


def _requests(d: dict[str, Any]) -> str:
    r = d["requests"]
    rows = [[name, show(c["mean_tokens"], "count"), show(c["p50"], "ms"), show(c["p95"], "ms"),
             show(c["mean"], "ms")] for name, c in r["conditions"].items()]  # fmt: skip
    return (
        f"<h2>One request at a time</h2><p>{_n(d, 'requests.n', 'count')} test items sent one "
        "by one to each model, taking turns, each answer cut at "
        f"{_n(d, 'requests.max_new_tokens', 'count')} tokens; milliseconds per request.</p>"
        + html_table(["condition", "prompt tokens", "median ms", "p95 ms", "mean ms"], rows)
    )


def _costs(d: dict[str, Any]) -> str:
    rows = [[name, show(c["break_even"], "count", "break_even"), show(c["upfront"], "money"),
             show(c["cost_per_request_prompt"], "money"),
             show(c["cost_per_request_tuned"], "money"), show(c["horizon_months"], "count")]
            for name, c in d["economics"]["presets"].items()]  # fmt: skip
    columns = ["cost preset", "break-even requests a month", "upfront", "per request, prompt",
               "per request, fine-tuned", "horizon (months)"]  # fmt: skip
    return (
        "<h2>What it costs</h2><p>From the measured tokens per request and training time, "
        "priced with each of the course's cost presets (<code>economics.assumptions</code>). "
        "Above the break-even volume the fine-tune is the cheaper of the two over the horizon."
        "</p>" + html_table(columns, rows)
    )


def _answer(value: Any) -> str:
    """One answer to a decision question as the page writes it."""
    if value is None:
        return "never"  # the break-even of a fine-tune that never pays back
    return str(value) if isinstance(value, str | bool) else show(value, "count")


def _decision(d: dict[str, Any]) -> str:
    c = d["decision"]
    answers = [[name, _answer(v), c["sources"][name]] for name, v in c["answers"].items()]
    reasons = "".join(
        f"<li>{'<b>' if r['decisive'] else ''}{_e(r['criterion'])} ({_e(r['effect'])})"
        f"{'</b>' if r['decisive'] else ''}: {_e(r['explanation'])}</li>" for r in c["reasons"]
    )
    return (
        f"<h2>The decision tool</h2><p>Recommendation: <b>{_e(c['choice'])}</b>. "
        f"{_e(c['summary'])}</p><p>Its answers: measured where the study can measure them (the "
        f"break-even is the one of \u201c{_e(c['preset'])}\u201d; prompting counts as exhausted "
        "only when the fine-tune is measurably ahead of the best prompt), the course's defaults "
        "elsewhere, and yours where you gave them.</p>"
        + html_table(["question", "answer", "from"], answers) + f"<ul>{reasons}</ul>"
    )


def _steps(d: dict[str, Any]) -> str:
    rows = [[name, show(t["estimated_seconds"], "count"), show(t["seconds"], "seconds"),
             "yes" if t["from_store"] else "no"] for name, t in d["steps"].items()]  # fmt: skip
    return "<h2>The steps</h2>" + html_table(
        ["step", "estimated s", "measured s", "read from the store"], rows
    )


def _paired_section(d: dict[str, Any]) -> str:
    return "<h2>Paired differences</h2>" + "".join(_comparison(d, key) for key in d["comparisons"])


#: The report's sections in order; ``section(data, name)`` shows one (lesson 12 does).
SECTIONS: dict[str, Callable[[dict[str, Any]], str]] = {
    "data": _header,
    "accuracy": lambda d: _accuracy(d) + _accuracy_plot(d),
    "paired": _paired_section,
    "prompt search": _search,
    "fine-tune": _fine_tune,
    "requests": _requests,
    "costs": _costs,
    "decision": _decision,
    "steps": _steps,
}


class _Shown(str):
    """HTML that a notebook displays as HTML."""

    def _repr_html_(self) -> str:
        return str(self)


def section(data: dict[str, Any], name: str) -> str:
    """One section of the report, as HTML (a notebook cell shows it rendered)."""
    if name not in SECTIONS:
        raise KeyError(f"no section {name!r}; the sections are {', '.join(SECTIONS)}")
    return _Shown(SECTIONS[name](data))


def to_html(data: dict[str, Any]) -> str:
    """The report page for ``data`` (a ``Study.to_json()`` dict)."""
    d = data
    body = "".join(render(d) for render in SECTIONS.values())
    title = f"Prompting or fine-tuning: {d['task']['name']}"
    return _PAGE.substitute(generator=GENERATOR, title=_e(title), body=body)


def report_folder(data_path: str | Path) -> Path:
    """The default folder of a data file's report: ``reviews.csv`` -> ``reviews-compare``."""
    path = Path(data_path)
    return path.parent / f"{path.stem}-compare"


def _ours(path: Path) -> bool:
    """Whether ``path`` is missing or was written by this command."""
    if not path.exists():
        return True
    if not path.is_file():
        return False
    head = path.read_text(encoding="utf-8", errors="replace")[:2000]
    return GENERATOR in head


def write_report(data: dict[str, Any], folder: str | Path) -> tuple[Path, Path]:
    """Write ``report.html`` and ``study.json`` into ``folder`` (created if needed).

    Raises FileExistsError, naming the file, rather than replace a file of that name
    that this command did not write.
    """
    folder = Path(folder)
    paths = folder / REPORT_NAME, folder / JSON_NAME
    for path in paths:
        if not _ours(path):
            raise FileExistsError(
                f"{path} exists and was not written by this command: choose another --out."
            )
    if folder.exists() and not folder.is_dir():
        raise FileExistsError(f"{folder} is a file, not a folder: choose another --out.")
    folder.mkdir(parents=True, exist_ok=True)
    paths[0].write_text(to_html(data), encoding="utf-8")
    paths[1].write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return paths
