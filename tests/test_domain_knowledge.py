"""domain_knowledge: accuracy per label."""

from __future__ import annotations

from types import SimpleNamespace

from prompt_vs_finetune.measure.per_label import per_label_accuracy, per_label_table

RESULT = SimpleNamespace(
    labels=["A", "B", "C"], gold=["A", "A", "B", "B"], predictions=["A", "B", "B", "B"]
)


def test_per_label_accuracy_by_hand():
    assert per_label_accuracy(RESULT) == {"A": 0.5, "B": 1.0, "C": None}


def test_per_label_table():
    other = SimpleNamespace(**{**vars(RESULT), "predictions": ["A", "A", "A", "A"]})
    table = per_label_table({"one": RESULT, "two": other}, ["A", "B"])
    assert table[0] == {"label": "A", "tickets": 2, "one": 0.5, "two": 1.0}
    assert table[1] == {"label": "B", "tickets": 2, "one": 1.0, "two": 0.0}
