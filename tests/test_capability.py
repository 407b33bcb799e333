"""Capability already there: the product view of the tickets and what its study prints."""

from __future__ import annotations

from prompt_vs_finetune.data import PRODUCTS, load_ticket_records
from prompt_vs_finetune.prompting import capability


def test_the_product_task_keeps_the_tickets_that_name_a_product():
    task = capability.product_task()
    assert task.name == "tickets/product" and task.labels == PRODUCTS
    named = [r for r in load_ticket_records() if r["split"] == "test" and r["product"]]
    assert [ex.id for ex in task.test] == [r["id"] for r in named]
    assert all(ex.label == ex.fields["product"] for ex in task.train + task.dev + task.test)
    assert all(product in task.instruction for product in PRODUCTS)


def _study(make_evaluation, zero_right: int, few_right: int, n: int = 40):
    labels = {"labels": list(PRODUCTS)}
    return capability.CapabilityStudy(
        make_evaluation(n, zero_right, **labels), make_evaluation(n, few_right, k=6, **labels)
    )


def test_a_high_instruction_with_nothing_added_says_prompting_is_the_answer(make_evaluation):
    lines = _study(make_evaluation, 38, 38).summary()
    assert lines[0].startswith("instruction alone (k=0): 0.950") and "chance 0.17" in lines[0]
    assert lines[1].startswith("6-shot minus instruction alone: +0.000")
    assert "at most 5% of the tickets" in lines[2]
    assert lines[3].startswith("high:") and "already there" in lines[3]
    assert lines[4] == "the examples add nothing the paired test can tell from noise"


def test_a_low_instruction_is_said_to_be_not_high(make_evaluation):
    lines = _study(make_evaluation, 20, 36).summary()
    assert lines[3].startswith("not high on this model")
    assert lines[4].endswith("+0.40, beyond the noise")


def test_a_small_gain_is_at_the_edge_of_the_noise(make_evaluation):
    # four tickets only the few-shot prompt gets right: the bootstrap interval clears zero,
    # McNemar's exact test (p = 0.125) does not
    lines = _study(make_evaluation, 32, 36).summary()
    assert "at the edge of the noise" in lines[4] and "disagree on 4 tickets" in lines[4]


def test_the_study_scores_the_instruction_and_a_few_shot_prompt(monkeypatch):
    calls = []
    monkeypatch.setattr(capability, "evaluate", lambda lm, task, k: calls.append((task.name, k)))
    capability.capability_study("lm")
    assert calls == [("tickets/product", 0), ("tickets/product", 6)]
