"""What changes (lesson 01, C2): the weight-change record and the C2 rule on it, on a tiny model."""

from __future__ import annotations

import copy

import torch

from prompt_vs_finetune.claims import judge
from prompt_vs_finetune.measure.what_changes import weight_change_record
from prompt_vs_finetune.model.generation import generate
from tests.conftest import make_tiny_lm


def test_prompting_changes_nothing_tuning_changes_something(real_tokenizer):
    base = make_tiny_lm(real_tokenizer)
    prompted = copy.deepcopy(base)
    generate(prompted, "Hello there", max_new_tokens=2)
    tuned = copy.deepcopy(base)
    with torch.no_grad():
        tuned.model.model.layers[1].self_attn.q_proj.weight.add_(0.01)
    record = weight_change_record(base, prompted, tuned)
    assert record["prompted_total"] == 0.0 and record["prompted_changed"] == 0.0
    assert record["tuned_total"] > 0 and 0 < record["tuned_changed"] < 1
    assert {r["group"] for r in record["tuned_layers"]} >= {"layer 0", "layer 1"}
    verdict = judge("C2", record)
    assert verdict.status == "supported" and "0% of the" in verdict.sentence
