"""The claims registry and recorded verdicts: owners, recording, reading back, versions."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from prompt_vs_finetune import claims
from prompt_vs_finetune.claims import (
    REGISTRY,
    STATUSES,
    NotOwnerError,
    Verdict,
    judge,
    missing_claims,
    record,
    recorded,
    statuses,
)
from prompt_vs_finetune.store import results
from prompt_vs_finetune.store.results import ResultsStore


@pytest.fixture(autouse=True)
def _cache(tmp_path, monkeypatch):
    monkeypatch.setenv("PROMPT_VS_FINETUNE_CACHE", str(tmp_path / "cache"))


def test_every_claim_is_declared_once_with_an_owner_and_a_rule():
    assert list(REGISTRY) == [f"C{i}" for i in range(1, 20)]
    owners = {key: c.owner for key, c in REGISTRY.items()}
    assert owners["C9"] == "06" and owners["C19"] == "11"
    assert set(owners.values()) == {f"{n:02d}" for n in range(1, 12)}
    for key, declared in REGISTRY.items():
        assert declared.id == key and declared.text and callable(declared.rule)
    assert claims.claim("c9") is REGISTRY["C9"]
    with pytest.raises(ValueError, match="C1 to C19"):
        claims.claim("C20")


def ev(right: int, n: int = 100):
    """A fake test Evaluation with the first ``right`` of ``n`` items right."""
    return SimpleNamespace(ids=list(range(n)), gold=["a"] * n,
                           predictions=["a"] * right + ["b"] * (n - right))  # fmt: skip


def sampled(label: str) -> dict:
    return {"samples": [[label] * 5] * 4 + [["a", "b", "c", "d", "e"]] * 4, "n_samples": 5,
            "temperature": 1.0}  # fmt: skip


def test_verdict_checks_its_fields():
    assert STATUSES == ("supported", "contradicted", "inconclusive", "not at this scale")
    verdict = Verdict("C9", "inconclusive", "gap +0.08", {"gap": 0.08}, "close, not within 0.05")
    assert str(verdict) == "C9: inconclusive. close, not within 0.05"
    with pytest.raises(ValueError, match="status"):
        Verdict("C9", "Supported", "x", {}, "why")
    with pytest.raises(ValueError, match="claim id"):
        Verdict("9", "inconclusive", "x", {}, "why")
    with pytest.raises(ValueError, match="sentence"):
        Verdict("C9", "inconclusive", "x", {}, "  ")


def test_record_stores_the_rule_verdict_and_reads_it_back():
    assert missing_claims() == list(REGISTRY)
    verdict = record("C9", ev(30), ev(80), notebook="06")
    assert verdict == judge("C9", ev(30), ev(80))
    assert verdict.status == "contradicted" and verdict.n == 100
    again = recorded("C9")
    assert again == verdict
    assert statuses()["C9"] == "contradicted" and statuses()["C1"] == "not measured yet"
    assert "C9" not in missing_claims() and len(missing_claims()) == 18
    saved = json.loads(ResultsStore().path.read_text())
    entry = saved["claims"]["C9"]
    assert entry["lesson"] == "06" and entry["results_version"] == results.RESULTS_VERSION
    record("C9", ev(80), ev(80), notebook="06")  # a new measurement replaces the old verdict
    assert recorded("C9").status == "supported"


def test_only_the_owner_records_a_claim():
    with pytest.raises(NotOwnerError, match="C9 is recorded by lesson 06"):
        record("C9", ev(30), ev(80), notebook="05")
    with pytest.raises(NotOwnerError):
        record("C1", [], notebook="1")
    assert recorded("C9") is None and not ResultsStore().path.exists()
    with pytest.raises(ValueError, match="Unknown claim"):
        record("C20", notebook="11")


def test_judge_records_nothing():
    judge("C11", sampled("a"), sampled("b"))
    assert missing_claims() == list(REGISTRY)


def test_a_verdict_from_another_results_version_counts_as_missing(monkeypatch):
    record("C11", sampled("a"), sampled("b"), notebook="06")
    monkeypatch.setattr(results, "RESULTS_VERSION", results.RESULTS_VERSION + 1)
    assert recorded("C11") is None and "C11" in missing_claims()


def test_an_entry_in_the_old_layout_counts_as_missing():
    store = ResultsStore(verbose=False)
    store.put_entry("claims", "C3", {"verdict": "supported", "measured": "old", "detail": {}})
    assert recorded("C3", store) is None and statuses(store)["C3"] == "not measured yet"
    damaged = {"status": "great", "results_version": results.RESULTS_VERSION}
    store.put_entry("claims", "C4", damaged)
    assert recorded("C4", store) is None


def test_old_claims_names_say_where_they_went():
    with pytest.raises(ImportError, match="prompt_vs_finetune.claims.record"):
        from prompt_vs_finetune.store.results import record_claim  # noqa: F401
    with pytest.raises(AttributeError):
        results.no_such_name  # noqa: B018
