"""Find, check and grade the JSON object in a model's answer, then sum the grades up.

Each answer lands on one rung of a ladder of failures (``FAILURES``):

- ``no_json``: no ``{`` in the answer at all;
- ``invalid_json``: no ``{`` starts a JSON object the decoder accepts (or it is cut off);
- ``schema``: valid JSON, but a key is missing or a value has the wrong type (checked with
  ``jsonschema`` against the types seen in the gold answers);
- ``wrong_value``: the right shape, but at least one field differs from the gold answer;
- ``ok``: every field right (compared ignoring case and extra spaces).

``json.JSONDecoder.raw_decode`` finds the object; ``jsonschema`` checks its types.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from prompt_vs_finetune.data import TICKET_FIELDS

__all__ = [
    "FAILURES",
    "check_schema",
    "field_accuracy",
    "grade",
    "infer_schema",
    "json_closed",
    "normalize_value",
    "null_baseline",
    "parse_json",
    "summarize_extraction",
]

FAILURES = ("ok", "wrong_value", "schema", "invalid_json", "no_json")
JSON_TYPES = {
    str: "string",
    bool: "boolean",
    int: "integer",
    float: "number",
    list: "array",
    dict: "object",
}

_DECODER = json.JSONDecoder()


def _object_at(text: str, start: int) -> dict[str, Any] | None:
    """The JSON object that starts at ``text[start]`` (a ``{``), or None if there is none."""
    try:
        value, _ = _DECODER.raw_decode(text, start)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def parse_json(text: str) -> tuple[dict[str, Any] | None, str]:
    """Find the first JSON object in a model's answer: ``(object, "ok")`` or ``(None, failure)``.

    Tolerates what small models wrap around JSON: code fences, a sentence before,
    trailing text. Each ``{`` is tried in turn with ``json.JSONDecoder.raw_decode``; an
    answer in which none starts a valid object (broken, or cut off) is ``invalid_json``.
    """
    start = text.find("{")
    if start < 0:
        return None, "no_json"
    while start >= 0:
        value = _object_at(text, start)
        if value is not None:
            return value, "ok"
        start = text.find("{", start + 1)
    return None, "invalid_json"


def _type_name(value: Any) -> str:
    return "null" if value is None else JSON_TYPES.get(type(value), type(value).__name__)


def infer_schema(
    examples: Sequence[Any], fields: Sequence[str] = TICKET_FIELDS
) -> dict[str, set[str]]:
    """Allowed JSON types per field, as seen in the gold answers (``"null"`` if any is null).

    ``examples`` are Examples (gold in ``.fields``) or plain dicts of gold values.
    """
    schema: dict[str, set[str]] = {name: set() for name in fields}
    for ex in examples:
        gold = ex.fields if hasattr(ex, "fields") else ex
        for name in fields:
            if name in gold:
                schema[name].add(_type_name(gold[name]))
    return {name: types or {"string", "null"} for name, types in schema.items()}


def json_closed(text: str) -> bool:
    """True once the first ``{`` of ``text`` starts a complete JSON object (generation can stop)."""
    start = text.find("{")
    return start >= 0 and _object_at(text, start) is not None


def check_schema(obj: Mapping[str, Any], schema: Mapping[str, set[str]]) -> list[str]:
    """What is wrong with the shape of ``obj``: missing keys and wrong types (empty if fine).

    The types are checked by ``jsonschema`` (an integer is a valid number); extra keys are
    allowed. One problem per field, in the order of ``schema``.
    """
    from jsonschema import Draft202012Validator  # imported when used: about a second

    properties = {name: {"type": sorted(allowed)} for name, allowed in schema.items()}
    validator = Draft202012Validator({"type": "object", "properties": properties})
    wrong = {error.path[0] for error in validator.iter_errors(obj) if error.path}
    problems = []
    for name, allowed in schema.items():
        if name not in obj:
            problems.append(f"missing {name}")
        elif name in wrong:
            kind = _type_name(obj[name])
            problems.append(f"{name} is {kind}, expected {' or '.join(sorted(allowed))}")
    return problems


def normalize_value(value: Any) -> Any:
    """A value as compared with the gold answer: text without case or extra spaces."""
    if isinstance(value, str):
        return " ".join(value.split()).casefold()
    return value


def grade(
    text: str, gold: Mapping[str, Any], schema: Mapping[str, set[str]] | None = None
) -> dict[str, Any]:
    """Grade one answer: ``{"parsed", "failure", "correct": {field: bool}, "problems"}``."""
    schema = schema if schema is not None else infer_schema([gold], list(gold))
    parsed, failure = parse_json(text)
    correct = {name: False for name in schema}
    problems: list[str] = []
    if parsed is not None:
        problems = check_schema(parsed, schema)
        for name in schema:
            correct[name] = name in parsed and normalize_value(parsed[name]) == normalize_value(
                gold.get(name)
            )
        if problems:
            failure = "schema"
        elif not all(correct.values()):
            failure = "wrong_value"
    return {"parsed": parsed, "failure": failure, "correct": correct, "problems": problems}


def field_accuracy(records: Sequence[Mapping[str, Any]]) -> dict[str, float]:
    """Share of records with each field right (a record without valid JSON counts as wrong)."""
    if not records:
        return {}
    names = list(records[0]["correct"])
    return {n: sum(bool(r["correct"].get(n)) for r in records) / len(records) for n in names}


def null_baseline(records: Sequence[Mapping[str, Any]]) -> float:
    """Mean field accuracy an answer of all nulls would get on these records."""
    if not records:
        return 0.0
    golds = [r["gold"] for r in records]
    names = list(golds[0])
    hits = sum(g.get(name) is None for g in golds for name in names)
    return hits / (len(golds) * len(names)) if names else 0.0


def summarize_extraction(records: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Rates over the records of ``extract_json``.

    ``json_valid``: answers holding a JSON object; ``schema_valid``: ones with every key
    and the right types; ``all_correct``: every field right; ``field_accuracy`` per field
    and its mean; ``null_baseline``: the mean field accuracy of answering null everywhere
    (the bar to beat, since many fields are absent); ``failures``: count per failure kind;
    ``cut_off``: share that ran out of tokens before the JSON closed; mean tokens, seconds.
    """
    n = len(records)
    if n == 0:
        raise ValueError("No extraction records to summarize.")
    failures = Counter(r["failure"] for r in records)
    per_field = field_accuracy(records)
    return {
        "n": n,
        "json_valid": sum(failures[f] for f in ("ok", "wrong_value", "schema")) / n,
        "schema_valid": (failures["ok"] + failures["wrong_value"]) / n,
        "all_correct": failures["ok"] / n,
        "field_accuracy": per_field,
        "mean_field_accuracy": sum(per_field.values()) / len(per_field) if per_field else 0.0,
        "null_baseline": null_baseline(records),
        "failures": {f: failures[f] for f in FAILURES},
        "cut_off": sum(bool(r.get("cut_off")) for r in records) / n,
        "mean_tokens_in": sum(r["tokens_in"] for r in records) / n,
        "mean_tokens_out": sum(r["tokens_out"] for r in records) / n,
        "seconds": sum(r["seconds"] for r in records),
    }
