"""Extraction by a fine-tune against few-shot prompting: measured once, paired per ticket."""

from __future__ import annotations

import pytest

from prompt_vs_finetune.data import load_tickets
from prompt_vs_finetune.finetune import json_fields
from prompt_vs_finetune.finetune.json_fields import (
    best_fewshot,
    extraction_comparison,
    per_ticket,
    tuned_extraction,
)
from prompt_vs_finetune.prompting.fewshot import build_prompt


def _summary(failures, n_correct, tokens, ids=None):
    ids = ids or [f"t{i}" for i in range(len(failures))]
    records = [
        {"id": i, "failure": f, "n_correct": c, "tokens_in": tokens}
        for i, f, c in zip(ids, failures, n_correct, strict=True)
    ]
    return {"records": records}


def test_fine_tune_answers_with_its_own_short_prompt_and_is_kept(tiny_lm, tmp_cache):
    examples = load_tickets("intent").test[:2]
    first = tuned_extraction(tiny_lm, examples, max_new_tokens=4)
    again = tuned_extraction(tiny_lm, examples, max_new_tokens=4)
    assert first["_cached"] is False and again["_cached"] is True
    assert [r["id"] for r in first["records"]] == [ex.id for ex in examples]
    prompt = build_prompt(load_tickets("fields"), k=0)
    expected = len(tiny_lm.tokenizer(prompt.render(examples[0].text))["input_ids"])
    assert first["records"][0]["tokens_in"] == expected


def test_per_ticket_measures():
    s = _summary(["ok", "wrong_value", "no_json", "schema"], [6, 3, 0, 2], 300)
    measures = per_ticket(s)
    assert measures["valid JSON"] == [1, 1, 0, 1]
    assert measures["every field right"] == [1, 0, 0, 0]
    assert measures["share of fields right"] == [1.0, 0.5, 0.0, 2 / 6]


def test_comparison_pairs_the_same_tickets():
    prompted = _summary(["wrong_value"] * 5 + ["ok"], [4, 4, 5, 3, 4, 6], 420)
    tuned = _summary(["ok"] * 5 + ["wrong_value"], [6, 6, 6, 6, 6, 5], 80)
    rows = {row["property"]: row for row in extraction_comparison(prompted, tuned)}
    assert rows["every field right"]["prompt"] == pytest.approx(1 / 6)
    assert rows["every field right"]["fine-tune"] == pytest.approx(5 / 6)
    assert rows["every field right"]["test"] == "McNemar exact"
    assert rows["share of fields right"]["test"] == "Wilcoxon"
    assert list(rows) == ["valid JSON", "every field right", "share of fields right"]
    other = _summary(["ok"] * 6, [6] * 6, 80, ids=[f"x{i}" for i in range(6)])
    with pytest.raises(ValueError, match="different tickets"):
        extraction_comparison(prompted, other)


def test_best_fewshot_takes_the_higher_field_accuracy(monkeypatch):
    scores = {"example": 0.61, "fewshot": 0.55}
    seen = []

    def fake(lm, examples, technique, **options):
        seen.append((technique, options))
        return {"mean_field_accuracy": scores[technique]}

    monkeypatch.setattr(json_fields, "measure_technique", fake)
    name, summary = best_fewshot(None, [], max_new_tokens=96)
    assert name == "example" and summary["mean_field_accuracy"] == 0.61
    assert seen == [("example", {"max_new_tokens": 96}), ("fewshot", {"max_new_tokens": 96})]
