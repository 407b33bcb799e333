"""Generation tasks: ticket views whose answers are texts, and fine-tuning on them."""

from __future__ import annotations

import importlib.util
import json
import math
import sys
from pathlib import Path

import pytest
import torch

from prompt_vs_finetune.data import (
    GENERATION_TARGETS,
    TICKET_FIELDS,
    fields_json,
    load_ticket_records,
    load_tickets,
)
from prompt_vs_finetune.finetune import training
from prompt_vs_finetune.finetune.dev_metric import (
    GENERATION_METRIC,
    answer_probability,
    dev_scorer,
)
from prompt_vs_finetune.finetune.steps import answer_loss, training_pairs
from prompt_vs_finetune.measure.evaluate import score_examples
from prompt_vs_finetune.prompting.fewshot import build_prompt
from tests.conftest import make_tiny_lm

ROOT = Path(__file__).resolve().parents[1]


def test_fields_task_answers_with_the_gold_json():
    task = load_tickets("fields")
    assert task.name == "tickets/fields" and task.labels == ()
    assert all(name in task.instruction for name in TICKET_FIELDS)
    for ex in (*task.train, *task.dev, *task.test):
        assert json.loads(ex.label) == {name: ex.fields[name] for name in TICKET_FIELDS}
    assert (
        fields_json({"plan": "Flow 500"}, ["plan", "email"])
        == '{"plan": "Flow 500", "email": null}'
    )
    prompt = build_prompt(task, k=0)
    assert prompt.render("hi").endswith("Fields:") and prompt.answer(task.train[0].label).endswith(
        "}<|im_end|>"
    )


def test_reply_task_answers_with_the_reference_reply():
    task = load_tickets("reply")
    assert task.labels == () and (len(task.train), len(task.dev), len(task.test)) == (400, 100, 160)
    assert [ex.label for ex in task.test] == [ex.fields["reply"] for ex in task.test]
    assert set(GENERATION_TARGETS) == {"fields", "reply"}
    with pytest.raises(ValueError, match="reply"):
        load_tickets("replies")


def test_reply_is_the_last_field_and_depends_on_the_ticket_alone():
    spec = importlib.util.spec_from_file_location(
        "make_tickets", ROOT / "tools" / "make_tickets.py"
    )
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_tickets", mod)
    spec.loader.exec_module(mod)
    rec = dict(load_ticket_records()[0])
    assert list(rec)[-1] == "reply"
    assert mod.make_reply(rec) == mod.make_reply(dict(rec)) == rec["reply"]
    other = {**rec, "order_id": "ORD-99999", "intent": "track_order"}
    assert "ORD-99999" in mod.make_reply(other)


def test_answer_probability_is_exp_of_minus_the_answer_loss(tiny_lm):
    task = load_tickets("fields")
    prompt = build_prompt(task, k=0)
    pairs = training_pairs(tiny_lm.tokenizer, prompt, task.dev[:3], 24)
    pad = tiny_lm.tokenizer.pad_token_id
    with torch.no_grad():
        loss = float(answer_loss(tiny_lm.model, pairs, pad))
    assert answer_probability(tiny_lm.model, pairs, pad, batch_size=3) == pytest.approx(
        math.exp(-loss), rel=1e-5
    )
    # batches of different sizes weigh every answer token alike
    assert answer_probability(tiny_lm.model, pairs, pad, batch_size=2) == pytest.approx(
        math.exp(-loss), rel=1e-4
    )
    assert 0.0 < math.exp(-loss) < 1.0


def test_dev_score_is_accuracy_for_labels_and_probability_for_texts(tiny_lm):
    labels = load_tickets("category")
    prompt = build_prompt(labels, k=0)
    dev = list(labels.dev[:4])
    score = dev_scorer(tiny_lm, prompt, dev, 16)
    assert score(tiny_lm.model) == score_examples(tiny_lm, prompt, dev).accuracy
    texts = load_tickets("reply")
    value = dev_scorer(tiny_lm, build_prompt(texts, k=0), list(texts.dev[:2]), 16)(tiny_lm.model)
    assert 0.0 < value < 1.0


def test_only_generation_runs_name_their_dev_metric(tiny_lm):
    for target, named in (("category", False), ("fields", True)):
        task = load_tickets(target)
        config = training._data_config(tiny_lm, task, build_prompt(task, k=0), [], [])
        assert ("dev_metric" in config) is named
        if named:
            assert config["dev_metric"] == GENERATION_METRIC


def test_fine_tune_learns_a_generation_target(real_tokenizer, tmp_cache):
    lm = make_tiny_lm(real_tokenizer)
    with torch.no_grad():
        lm.model.get_input_embeddings().weight.mul_(20.0)
    run = training.fine_tune(
        load_tickets("reply"), base=lm, lr=5e-2, steps=12, batch_size=4, n_train=8, n_dev=4,
        max_text_tokens=16, eval_every=6, progress=False,
    )  # fmt: skip
    assert run.config["dev_metric"] == GENERATION_METRIC and run.config["labels"] == []
    assert [step for step, _ in run.dev_curve] == [0, 6, 12]
    assert all(0.0 < score < 1.0 for _, score in run.dev_curve)
    assert run.dev_curve[-1][1] > run.dev_curve[0][1]
    assert GENERATION_METRIC in repr(run)
