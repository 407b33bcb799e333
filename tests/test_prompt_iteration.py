"""Prompt versions: readable edits of each other; plateau and verdict rules."""

from __future__ import annotations

import pytest

from prompt_vs_finetune.data import load_tickets
from prompt_vs_finetune.prompting.versions import TICKET_VERSIONS, PromptVersion, plateau_point


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


def test_plateau_point():
    assert plateau_point([0.3, 0.5, 0.6, 0.61, 0.7]) is None  # still paying at the end
    assert plateau_point([0.5, 0.4, 0.65, 0.66, 0.6, 0.66, 0.65]) == 3
    assert plateau_point([0.3, 0.5, 0.6], threshold=0.05) is None
    assert plateau_point([0.3, 0.5, 0.6], threshold=0.15) == 2
    assert plateau_point([0.5, 0.5, 0.4]) == 1
    with pytest.raises(ValueError):
        plateau_point([0.3])


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


def test_leaked_examples():
    from prompt_vs_finetune.prompting.fewshot import build_prompt
    from prompt_vs_finetune.prompting.versions import leaked_examples

    task = load_tickets()
    dev = task.subset("dev", 4)
    assert leaked_examples(build_prompt(task, k=6), dev) == []
    leaky = build_prompt(task, k=100, pool="dev")
    assert leaked_examples(leaky, dev) == sorted(ex.id for ex in dev)


def test_describe_edit():
    from prompt_vs_finetune.prompting.versions import describe_edit

    text = describe_edit(TICKET_VERSIONS[4], TICKET_VERSIONS[5])
    assert text.startswith("v5 -> v6") and "context added" in text and "billing:" in text
    assert "k: 2 -> 6" in describe_edit(TICKET_VERSIONS[3], TICKET_VERSIONS[4])
