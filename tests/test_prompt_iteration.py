"""Prompt versions, measured through the results store; plateau and verdict rules."""

from __future__ import annotations

import pytest

from prompt_vs_finetune.data import load_tickets
from prompt_vs_finetune.prompting.versions import (
    TICKET_VERSIONS,
    PromptVersion,
    iteration_costs,
    measure_version,
    measure_versions,
    plateau_point,
    verdict_for_c7,
    verdict_for_c16,
)


def test_versions_are_successive_readable_edits():
    task = load_tickets()
    names = [v.name for v in TICKET_VERSIONS]
    assert names == [f"v{i}" for i in range(1, len(names) + 1)]
    keys = [(v.build(task).key(), v.calibrate) for v in TICKET_VERSIONS]
    assert len(set(keys)) == len(keys)  # every edit changes the prompt
    assert all(v.change for v in TICKET_VERSIONS)
    assert TICKET_VERSIONS[0].build(task).k == 0 and TICKET_VERSIONS[-1].build(task).k > 0


def test_edit_keeps_the_rest():
    v = TICKET_VERSIONS[2].edit("mine", "more examples", k=3)
    assert (v.name, v.k, v.context) == ("mine", 3, TICKET_VERSIONS[2].context)
    assert v.base == TICKET_VERSIONS[2].name and v.instruction == TICKET_VERSIONS[2].instruction


def test_every_version_edits_an_earlier_one():
    from prompt_vs_finetune.prompting.versions import edit_history

    seen = set()
    for v in TICKET_VERSIONS:
        assert v.base is None if not seen else v.base in seen
        seen.add(v.name)
    text = edit_history()
    assert text.startswith("v1:") and text.count(" -> ") >= len(TICKET_VERSIONS) - 1


def test_measure_is_cached_and_counts_time(tiny_lm, tmp_cache):
    task = load_tickets()
    first = measure_version(tiny_lm, task, TICKET_VERSIONS[1], n=6)
    again = measure_version(tiny_lm, task, TICKET_VERSIONS[1], n=6)
    assert first["_cached"] is False and again["_cached"] is True
    assert first["accuracy"] == again["accuracy"] and 0 <= first["accuracy"] <= 1
    assert first["n"] == 6 and first["seconds"] > 0 and first["tokens"] > 0
    table = measure_versions(tiny_lm, task, TICKET_VERSIONS[:3], n=6)
    assert table.column("version") == ["v1", "v2", "v3"] and table[0]["gain"] is None
    base = {r["version"]: r["accuracy"] for r in table}
    for row, version in zip(table[1:], TICKET_VERSIONS[1:3], strict=True):
        assert row["base"] == version.base
        assert row["gain"] == pytest.approx(row["accuracy"] - base[version.base])
    accs = table.column("accuracy")
    assert table.column("best_so_far") == [max(accs[: i + 1]) for i in range(3)]
    assert table[0]["kept"] is True and table[0]["improvement"] is None


def test_measure_refuses_other_things(tiny_lm, tmp_cache):
    with pytest.raises(TypeError):
        measure_version(tiny_lm, load_tickets(), "Classify the ticket.")


def test_plateau_point():
    assert plateau_point([0.3, 0.5, 0.6, 0.61, 0.7]) is None  # still paying at the end
    assert plateau_point([0.5, 0.4, 0.65, 0.66, 0.6, 0.66, 0.65]) == 3
    assert plateau_point([0.3, 0.5, 0.6], threshold=0.05) is None
    assert plateau_point([0.3, 0.5, 0.6], threshold=0.15) == 2
    assert plateau_point([0.5, 0.5, 0.4]) == 1
    with pytest.raises(ValueError):
        plateau_point([0.3])


@pytest.mark.parametrize(
    ("accs", "verdict"),
    [
        ([0.3, 0.5, 0.6, 0.65, 0.66, 0.66, 0.67], "supported"),
        ([0.3, 0.35, 0.4, 0.45, 0.5, 0.52, 0.53], "partly"),
        ([0.3, 0.31, 0.32, 0.33, 0.4, 0.5, 0.6], "not at this scale"),
        ([0.5, 0.4, 0.45, 0.5], "not at this scale"),
    ],
)
def test_verdict_for_c16(accs, verdict):
    got, why = verdict_for_c16(accs)
    assert got == verdict and "edits" in why


def test_verdict_for_c16_needs_the_gain_to_hold():
    accs = [0.3, 0.5, 0.6, 0.65, 0.66, 0.66, 0.67]
    assert verdict_for_c16(accs, held_out_gain=0.1)[0] == "supported"
    verdict, why = verdict_for_c16(accs, held_out_gain=-0.01)
    assert verdict == "not at this scale" and "held-out" in why


def test_iteration_costs_and_c7():
    t = iteration_costs([2.0, 4.0, 3.0, 100.0, 1.0], [60.0, 90.0, 30.0])
    assert t.column("seconds per turn") == [3.0, 60.0] and t[1]["knobs"] > t[0]["knobs"]
    assert verdict_for_c7(3.0, 60.0, 3, 3)[0] == "partly"
    assert verdict_for_c7(30.0, 60.0, 3, 3)[0] == "not at this scale"
    with pytest.raises(ValueError):
        iteration_costs([], [1.0])
    with pytest.raises(ValueError):
        verdict_for_c7(0.0, 1.0, 1, 1)


def test_custom_version():
    v = PromptVersion("mine", "a test", "Pick a category.", k=2, strategy="random")
    p = v.build(load_tickets())
    assert p.k == 2 and p.instruction == "Pick a category."


def test_as_prompt_accepts_three_forms():
    from prompt_vs_finetune.prompting.fewshot import build_prompt
    from prompt_vs_finetune.prompting.versions import as_prompt

    task = load_tickets()
    assert as_prompt("Sort the ticket.", task).instruction == "Sort the ticket."
    assert as_prompt(TICKET_VERSIONS[4], task).k == 6
    p = build_prompt(task, k=2)
    assert as_prompt(p, task) is p
    with pytest.raises(ValueError):
        as_prompt("  ", task)
    with pytest.raises(ValueError):
        as_prompt(build_prompt(load_tickets("priority"), k=0), task)
    with pytest.raises(TypeError):
        as_prompt(42, task)


def test_prompt_accuracy_refuses_leaks(tiny_lm):
    from prompt_vs_finetune.prompting.fewshot import build_prompt
    from prompt_vs_finetune.prompting.versions import prompt_accuracy

    task = load_tickets()
    dev = task.subset("dev", 4)
    r = prompt_accuracy(tiny_lm, build_prompt(task, k=0), dev)
    assert r["n"] == 4 and 0 <= r["accuracy"] <= 1 and r["tokens"] > 0
    leaky = build_prompt(task, k=100, pool="dev")
    with pytest.raises(ValueError, match="scored on"):
        prompt_accuracy(tiny_lm, leaky, dev)


def test_describe_edit_and_plot():
    import matplotlib

    matplotlib.use("Agg")
    from prompt_vs_finetune.prompting.versions import describe_edit, plot_versions

    text = describe_edit(TICKET_VERSIONS[4], TICKET_VERSIONS[5])
    assert text.startswith("v5 -> v6") and "context added" in text and "billing:" in text
    assert "k: 2 -> 6" in describe_edit(TICKET_VERSIONS[3], TICKET_VERSIONS[4])
    rows = [
        {"version": "v1", "accuracy": 0.5, "gain": None, "best_so_far": 0.5},
        {"version": "v2", "accuracy": 0.4, "gain": -0.1, "best_so_far": 0.5},
    ]
    ax = plot_versions(rows)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["v1", "v2"]
