"""Grading JSON answers: finding the object, the schema check, the ladder of failures."""

from __future__ import annotations

import pytest

from prompt_vs_finetune.prompting.json_grading import (
    check_schema,
    grade,
    infer_schema,
    json_closed,
    parse_json,
)

GOLD = {"customer_name": "Omar", "email": None, "order_id": "ORD-1", "product": "GlowCam"}
SCHEMA = {
    "customer_name": {"string", "null"},
    "email": {"string", "null"},
    "order_id": {"string", "null"},
    "product": {"string"},
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"a": 1}', {"a": 1}),
        ('```json\n{"a": 1}\n```', {"a": 1}),
        ('Sure! Here is the JSON: {"a": 1}\nHope this helps {really}.', {"a": 1}),
        ('{"a": {"b": [1, {"c": 2}]}, "d": "}"} trailing', {"a": {"b": [1, {"c": 2}]}, "d": "}"}),
        ('{"q": "he said \\"{hi}\\""}', {"q": 'he said "{hi}"'}),
        ('{not json} then {"a": 2}', {"a": 2}),
    ],
)
def test_parse_json_finds_the_object(text, expected):
    assert parse_json(text) == (expected, "ok")


@pytest.mark.parametrize(
    ("text", "failure"),
    [
        ("The customer is Omar.", "no_json"),
        ("", "no_json"),
        ('{"a": 1, "b": ', "invalid_json"),  # cut off by max_new_tokens
        ("{'a': 1}", "invalid_json"),  # Python, not JSON
        ('{"a": 1,}', "invalid_json"),
        ('{"a": 1}}', "ok"),  # the first balanced block is fine
    ],
)
def test_parse_json_failures(text, failure):
    assert parse_json(text)[1] == failure


def test_infer_and_check_schema():
    gold = [{"a": "x", "b": None}, {"a": "y", "b": "z"}, {"a": "w", "b": 3}]
    schema = infer_schema(gold, ["a", "b", "c"])
    assert schema == {"a": {"string"}, "b": {"null", "string", "integer"}, "c": {"string", "null"}}
    assert check_schema({"a": "x", "b": None, "c": None, "extra": 1}, schema) == []
    problems = check_schema({"a": None, "b": [1]}, schema)
    assert problems == [
        "a is null, expected string",
        "b is array, expected integer or null or string",
        "missing c",
    ]
    assert check_schema({"n": 3}, {"n": {"number"}}) == []


def test_grade_failure_ladder():
    ok = '{"customer_name": " omar ", "email": null, "order_id": "ord-1", "product": "GLOWCAM"}'
    result = grade(ok, GOLD, SCHEMA)
    assert result["failure"] == "ok" and all(result["correct"].values())
    wrong = ok.replace("GLOWCAM", "KnockBell")
    result = grade(wrong, GOLD, SCHEMA)
    assert result["failure"] == "wrong_value"
    assert result["correct"] == {
        "customer_name": True,
        "email": True,
        "order_id": True,
        "product": False,
    }
    missing = '{"customer_name": "Omar", "product": null}'
    result = grade(missing, GOLD, SCHEMA)
    assert result["failure"] == "schema"
    assert result["correct"]["customer_name"] is True and result["correct"]["product"] is False
    assert "missing email" in result["problems"]
    assert grade("no idea", GOLD, SCHEMA)["failure"] == "no_json"
    assert not any(grade("{oops}", GOLD, SCHEMA)["correct"].values())


@pytest.mark.parametrize(
    ("text", "stop"),
    [
        ('ok {"a": "}"', False),  # the brace inside a string does not count
        ('ok {"a": "}"}', True),
        ("no json yet", False),
        ('{"a": "x"}', True),
    ],
)
def test_stop_when_json_closes(text, stop):
    assert json_closed(text) is stop
