"""JSON extraction: prompts, generation that stops at the closed object, graded records."""

from __future__ import annotations

import pytest

from prompt_vs_finetune.data import TICKET_FIELDS, Example
from prompt_vs_finetune.model.generation import Generation
from prompt_vs_finetune.prompting import extraction
from prompt_vs_finetune.prompting.extraction import build_messages, extract_json
from prompt_vs_finetune.prompting.json_grading import field_accuracy, summarize_extraction

GOLD = {"customer_name": "Omar", "email": None, "order_id": "ORD-1", "product": "GlowCam"}
SCHEMA = {
    "customer_name": {"string", "null"},
    "email": {"string", "null"},
    "order_id": {"string", "null"},
    "product": {"string"},
}


def _examples():
    return [
        Example("t1", "Hi, Omar here, my GlowCam from ORD-1 is broken.", "x", GOLD),
        Example("t2", "Something else.", "x", {**GOLD, "customer_name": "Ann"}),
        Example("t3", "Third.", "x", GOLD),
    ]


@pytest.mark.parametrize("technique", extraction.TECHNIQUES)
def test_build_messages(technique):
    shots = _examples()[:2]
    messages = build_messages("TICKET TEXT", technique, shots=shots, fields=TICKET_FIELDS)
    assert messages[-1]["role"] == "user" and "TICKET TEXT" in messages[-1]["content"]
    text = " ".join(m["content"] for m in messages)
    assert all(name in text for name in TICKET_FIELDS)
    if technique in ("example", "fewshot"):
        assert '"customer_name": "Omar"' in text
    if technique == "fewshot":
        assert [m["role"] for m in messages] == ["system"] + ["user", "assistant"] * 2 + ["user"]
    if technique != "plain":
        assert "GlowCam" in text and "null" in text


def test_build_messages_errors():
    with pytest.raises(ValueError):
        build_messages("x", "fewshot")
    with pytest.raises(ValueError):
        build_messages("x", "telepathy")


class _Tokenizer:
    def apply_chat_template(self, messages, add_generation_prompt, tokenize):
        return "<chat>" + messages[-1]["content"]


class _LM:
    tokenizer = _Tokenizer()


def test_extract_json_builds_records(monkeypatch):
    replies = iter(
        [
            '```json\n{"customer_name": "Omar", "email": null, "order_id": "ORD-1", '
            '"product": "GlowCam"}\n```',
            '{"customer_name": "Bob", "email": null, "order_id": "ORD-1", "product": "GlowCam"}',
            "I cannot help with that.",
        ]
    )
    seen = []

    def fake_generate(lm, prompts, *, max_new_tokens, chat, prefill, progress):
        seen.extend((prompt, prefill, max_new_tokens) for prompt in prompts)
        return [
            Generation(next(replies), tokens_in=50, tokens_out=20, seconds=0.5) for _ in prompts
        ]

    monkeypatch.setattr(extraction, "generate_many_json", fake_generate)
    fields = list(SCHEMA)
    records = extract_json(_LM(), _examples(), "schema", fields=fields, schema=SCHEMA)
    assert records.column("id") == ["t1", "t2", "t3"]
    assert records.column("failure") == ["ok", "wrong_value", "no_json"]
    assert records.column("n_correct") == [4, 3, 0]
    assert records[1]["correct"]["customer_name"] is False
    assert records[0]["parsed"]["product"] == "GlowCam" and records[2]["parsed"] is None
    assert records[0]["tokens_in"] == 50 and records[0]["seconds"] == 0.5
    assert seen[0][1] == "" and seen[0][2] == 96 and isinstance(seen[0][0], list)
    assert str(records).split()[:3] == ["id", "technique", "failure"]  # prints as a table

    summary = summarize_extraction(records)
    assert summary["json_valid"] == pytest.approx(2 / 3)
    assert summary["schema_valid"] == pytest.approx(2 / 3)
    assert summary["all_correct"] == pytest.approx(1 / 3)
    assert summary["field_accuracy"]["customer_name"] == pytest.approx(1 / 3)
    assert summary["field_accuracy"]["product"] == pytest.approx(2 / 3)
    assert summary["failures"] == {
        "ok": 1,
        "wrong_value": 1,
        "schema": 0,
        "invalid_json": 0,
        "no_json": 1,
    }
    assert summary["seconds"] == 1.5 and summary["mean_tokens_out"] == 20
    assert summary["null_baseline"] == pytest.approx(1 / 4)  # only email is null in GOLD
    assert summary["cut_off"] == 0 and records[2]["cut_off"] is False
    assert field_accuracy(records) == summary["field_accuracy"]


def test_extract_json_prefill_and_custom_technique(monkeypatch):
    seen = []

    def fake_generate(lm, prompts, *, max_new_tokens, chat, prefill, progress):
        seen.extend((prompt, prefill) for prompt in prompts)
        return [Generation(prefill + ' "Omar"}', 10, 3, 0.1) for _ in prompts]

    monkeypatch.setattr(extraction, "generate_many_json", fake_generate)
    fields = ["customer_name"]
    records = extract_json(_LM(), _examples()[:1], "prefill", fields=fields)
    assert seen[0][1] == '{"customer_name":' and isinstance(seen[0][0], list)
    assert records[0]["raw"] == '{"customer_name": "Omar"}' and records[0]["failure"] == "ok"

    def my_prompt(text):
        return f"JSON please: {text}"

    assert records[0]["cut_off"] is False  # a complete answer is never cut off
    monkeypatch.setattr(
        extraction,
        "generate_many_json",
        lambda lm, prompts, **k: [Generation('{"customer_name": "O', 5, 3, 0.1) for _ in prompts],
    )
    records = extract_json(_LM(), _examples()[:1], "schema", fields=fields, max_new_tokens=3)
    assert records[0]["cut_off"] is True and records[0]["failure"] == "invalid_json"
    assert records[0]["problems"] == ["cut off at max_new_tokens=3"]
    assert summarize_extraction(records)["cut_off"] == 1.0
    monkeypatch.setattr(extraction, "generate_many_json", fake_generate)

    records = extract_json(_LM(), my_prompt, _examples()[:1], fields=fields)  # either order
    assert records[0]["technique"] == "my_prompt"
    assert seen[-1] == ("JSON please: Hi, Omar here, my GlowCam from ORD-1 is broken.", "")
    with pytest.raises(ValueError):
        extract_json(_LM(), _examples(), "telepathy")


def test_generate_json_on_a_tiny_model(tiny_lm):
    out = extraction.generate_json(tiny_lm, "Give JSON.", max_new_tokens=5, prefill='{"a":')
    assert out.text.startswith('{"a":') and 1 <= out.tokens_out <= 5
    plain = extraction.generate_json(tiny_lm, [{"role": "user", "content": "Hi"}], max_new_tokens=3)
    assert plain.tokens_in < out.tokens_in and plain.seconds >= 0
    many = extraction.generate_many_json(
        tiny_lm, ["Give JSON.", "Hi"], max_new_tokens=5, prefill='{"a":', batch_size=2
    )
    assert many[0].text == out.text and many[0].tokens_in == out.tokens_in


def test_ticket_schema_comes_from_gold_data():
    schema = extraction._ticket_schema()
    assert set(schema) == set(TICKET_FIELDS)
    assert "null" in schema["email"] and schema["intent"] == {"string"}
