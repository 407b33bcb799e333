"""comparisons: scoring (model, prompt) conditions on the same tickets, cached."""

from __future__ import annotations

import numpy as np
import pytest

from prompt_vs_finetune.data import QUEUE_RULES, load_tickets
from prompt_vs_finetune.measure.comparisons import compare, examples_for, label_scores, with_account
from prompt_vs_finetune.prompting.fewshot import build_prompt


def test_label_scores_is_cached_and_complete(tiny_lm, tmp_cache):
    task = load_tickets("category")
    prompt = build_prompt(task, k=2)
    first = label_scores(tiny_lm, task, prompt, n=6)
    assert first["_cached"] is False and first["n"] == 6
    assert len(first["ids"]) == len(first["gold"]) == len(first["predictions"]) == 6
    assert np.asarray(first["logprobs"]).shape == (6, len(task.labels))
    assert first["labels"] == list(task.labels)
    assert first["mean_tokens"] == pytest.approx(np.mean(first["tokens_per_request"]))
    gold, pred = first["gold"], first["predictions"]
    assert first["accuracy"] == pytest.approx(
        np.mean([g == p for g, p in zip(gold, pred, strict=True)])
    )
    again = label_scores(tiny_lm, task, prompt, n=6)
    assert again["_cached"] is True and again["predictions"] == first["predictions"]
    assert [ex.id for ex in examples_for(task, "test", 6)] == first["ids"]


def test_instance_context_changes_the_request(tiny_lm, tmp_cache):
    task = load_tickets("queue")
    prompt = build_prompt(task, k=0, context=QUEUE_RULES)
    plain = label_scores(tiny_lm, task, prompt, n=4)
    account = label_scores(tiny_lm, task, prompt, n=4, instance="account")
    assert account["_cached"] is False  # a different stored result
    assert all(
        a > p
        for a, p in zip(account["tokens_per_request"], plain["tokens_per_request"], strict=True)
    )
    with pytest.raises(ValueError, match="instance"):
        label_scores(tiny_lm, task, prompt, n=4, instance="crm")


def test_with_account_states_plan_and_device():
    task = load_tickets("queue")
    ex = next(e for e in task.train if e.fields.get("plan") and e.fields.get("product"))
    text = with_account(ex)
    assert text.startswith(ex.text.strip())
    assert ex.fields["plan"] in text and ex.fields["product"] in text
    bare = next(e for e in task.train if not e.fields.get("plan"))
    assert "plan not known" in with_account(bare)


def test_compare_one_row_per_condition(tiny_lm, tmp_cache):
    task = load_tickets("category")
    table = compare(
        {
            "0-shot": (tiny_lm, build_prompt(task, k=0)),
            "2-shot": (tiny_lm, build_prompt(task, k=2)),
        },
        task,
        n=4,
    )
    assert table.column("condition") == ["0-shot", "2-shot"]
    assert table[1]["tokens"] > table[0]["tokens"]
    assert set(table.results) == {"0-shot", "2-shot"}
