"""The prompting loop in numbers: every version evaluated, plotted, one turn's cost."""

from __future__ import annotations

import pytest

from prompt_vs_finetune.data import load_tickets
from prompt_vs_finetune.measure.evaluate import KIND, evaluate
from prompt_vs_finetune.prompting.iteration import (
    iteration_costs,
    measure_versions,
    plot_versions,
)
from prompt_vs_finetune.prompting.versions import TICKET_VERSIONS
from prompt_vs_finetune.store.results import ResultsStore


def test_measure_versions_reads_the_store(tiny_lm, tmp_cache):
    task = load_tickets()
    table = measure_versions(tiny_lm, task, TICKET_VERSIONS[:3], n=6)
    assert table.column("version") == ["v1", "v2", "v3"] and table[0]["gain"] is None
    assert len(ResultsStore(verbose=False).entries(KIND)) == 3
    base = {r["version"]: r["accuracy"] for r in table}
    for row, version in zip(table[1:], TICKET_VERSIONS[1:3], strict=True):
        assert row["base"] == version.base
        assert row["gain"] == pytest.approx(row["accuracy"] - base[version.base])
    accs = table.column("accuracy")
    assert table.column("best_so_far") == [max(accs[: i + 1]) for i in range(3)]
    assert table[0]["kept"] is True and table[0]["improvement"] is None
    v3 = evaluate(tiny_lm, task, TICKET_VERSIONS[2], split="dev", n=6)  # calibrated, stored
    assert v3.cached and v3.calibrated and table[2]["accuracy"] == v3.accuracy
    assert table[2]["tokens"] == v3.mean_tokens and table[2]["seconds"] == v3.seconds > 0


def test_measure_versions_refuses_other_things(tiny_lm, tmp_cache):
    with pytest.raises(TypeError, match="PromptVersion"):
        measure_versions(tiny_lm, load_tickets(), ["Classify the ticket."])


def test_iteration_costs():
    t = iteration_costs([2.0, 4.0, 3.0, 100.0, 1.0], [60.0, 90.0, 30.0])
    assert t.column("seconds per turn") == [3.0, 60.0] and t[1]["knobs"] > t[0]["knobs"]
    with pytest.raises(ValueError):
        iteration_costs([], [1.0])


def test_plot_versions():
    import matplotlib

    matplotlib.use("Agg")
    rows = [
        {"version": "v1", "accuracy": 0.5, "gain": None, "best_so_far": 0.5},
        {"version": "v2", "accuracy": 0.4, "gain": -0.1, "best_so_far": 0.5},
    ]
    ax = plot_versions(rows)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["v1", "v2"]
