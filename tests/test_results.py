"""The results store: caching, keys, concurrency, recovery, named sections."""

from __future__ import annotations

import json
import multiprocessing
import time

import numpy as np
import pytest

from prompt_vs_finetune.store import results
from prompt_vs_finetune.store.results import ResultsStore
from tests.conftest import at_once


@pytest.fixture(autouse=True)
def _cache(tmp_path, monkeypatch):
    monkeypatch.setenv("PROMPT_VS_FINETUNE_CACHE", str(tmp_path / "cache"))


INPUTS = {"model": "SmolLM2-135M-Instruct", "split": "test", "prompt": "abc123", "seed": 0}


def test_default_path_follows_cache_env(tmp_path):
    assert ResultsStore().path == tmp_path / "cache" / "results" / "results.json"


def test_hit_and_miss(capsys):
    store = ResultsStore()
    calls = []

    def compute():
        calls.append(1)
        return {"accuracy": np.float64(0.5), "counts": np.array([1, 2]), "labels": ("a", "b")}

    first = store.cached("eval", INPUTS, compute)
    assert first == {"accuracy": 0.5, "counts": [1, 2], "labels": ["a", "b"], "_cached": False}
    second = store.cached("eval", dict(reversed(INPUTS.items())), compute)  # key order irrelevant
    assert second["_cached"] is True and second["accuracy"] == 0.5
    assert len(calls) == 1
    assert "results store: hit eval" in capsys.readouterr().out
    assert store.cached("eval", INPUTS, compute, refresh=True)["_cached"] is False
    assert len(calls) == 2
    # the module-level shortcut uses the same default file
    assert results.cached("eval", INPUTS, compute)["_cached"] is True
    saved = json.loads(store.path.read_text())
    (entry,) = saved["results"].values()
    assert entry["inputs"] == INPUTS and entry["kind"] == "eval" and "saved_at" in entry


def test_key_changes_with_each_input_and_kind():
    store = ResultsStore(verbose=False)
    count = []
    store.cached("eval", INPUTS, lambda: count.append(1) or {"n": 1})
    for name, value in [("model", "other"), ("split", "dev"), ("prompt", "x"), ("seed", 1)]:
        store.cached("eval", {**INPUTS, name: value}, lambda: count.append(1) or {"n": 1})
    store.cached("finetune", INPUTS, lambda: count.append(1) or {"n": 1})
    assert len(count) == 6
    assert len(store.entries()) == 6 and len(store.entries("eval")) == 5
    store.put_entry("claims", "C3", {"status": "supported"})
    store.clear("finetune")
    assert len(store.entries()) == 5
    store.clear()
    assert len(store.entries()) == 0 and "C3" in store.section("claims")  # sections stay


def test_rejects_non_json_results():
    with pytest.raises(TypeError):
        ResultsStore().cached("eval", INPUTS, lambda: {"model": object()})
    with pytest.raises(TypeError):
        ResultsStore().cached("eval", INPUTS, lambda: [1, 2])


def _writer(path: str, worker: int, n: int) -> None:
    store = ResultsStore(path, verbose=False)
    for i in range(n):
        store.cached("stress", {"worker": worker, "i": i}, lambda i=i: {"value": i})


def test_two_processes_write_concurrently(tmp_path):
    path = tmp_path / "shared" / "results.json"
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_writer, args=(str(path), w, 20)) for w in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    store = ResultsStore(path, verbose=False)
    assert len(store.entries("stress")) == 40
    assert store.get("stress", {"worker": 1, "i": 19}) == {"value": 19}
    assert not list(path.parent.glob("*.tmp"))


def test_corrupted_file_is_set_aside():
    store = ResultsStore(verbose=False)
    store.path.parent.mkdir(parents=True, exist_ok=True)
    store.path.write_text('{"results": {"half')
    with pytest.warns(UserWarning, match="damaged"):
        out = store.cached("eval", INPUTS, lambda: {"n": 1})
    assert out == {"n": 1, "_cached": False}
    assert len(list(store.path.parent.glob("results.json.corrupt-*"))) == 1
    assert store.get("eval", INPUTS) == {"n": 1}
    store.path.write_text("[1, 2]")  # valid JSON, wrong layout
    with pytest.warns(UserWarning):
        assert store.section("claims") == {}


def test_unwritable_store_warns_but_returns(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    store = ResultsStore(blocker / "results.json", verbose=False)
    with pytest.warns(UserWarning):
        assert store.cached("eval", INPUTS, lambda: {"n": 2}) == {"n": 2, "_cached": False}


def test_named_sections_hold_entries_beside_the_results():
    store = ResultsStore(verbose=False)
    assert store.section("claims") == {}
    stored = store.put_entry(
        "claims", "C10", {"status": "supported", "numbers": {"x": np.float32(1)}}
    )
    assert stored == {"status": "supported", "numbers": {"x": 1.0}}
    store.put_entry("claims", "C2", {"status": "partly"})
    store.put_entry("claims", "C10", {"status": "partly"})  # replaces
    store.cached("eval", INPUTS, lambda: {"n": 1})
    assert store.section("claims") == {"C10": {"status": "partly"}, "C2": {"status": "partly"}}
    assert len(store.entries()) == 1
    with pytest.raises(ValueError):
        store.put_entry("results", "x", {})


def test_results_version_is_in_every_key_and_old_entries_count_as_stale(monkeypatch):
    store = ResultsStore(verbose=False)
    calls = []
    store.cached("eval", INPUTS, lambda: calls.append(1) or {"n": 1})
    assert store.stale_count() == 0
    monkeypatch.setattr(results, "RESULTS_VERSION", results.RESULTS_VERSION + 1)
    # the same inputs under a new results version are measured again, never served stale
    assert store.cached("eval", INPUTS, lambda: calls.append(1) or {"n": 2})["_cached"] is False
    assert len(calls) == 2 and store.stale_count() == 1


def test_checkpoint_key_carries_the_results_version(monkeypatch):
    from prompt_vs_finetune.finetune import checkpoints

    spec = {"recipe": "category", "steps": 40}
    before = checkpoints.make_key(spec)
    monkeypatch.setattr(checkpoints, "RESULTS_VERSION", results.RESULTS_VERSION + 1)
    assert checkpoints.make_key(spec) != before


def test_two_workers_asking_for_one_result_compute_it_once(tmp_path):
    store = ResultsStore(tmp_path / "results.json", verbose=False)
    calls = []

    def compute():
        calls.append(1)
        time.sleep(0.2)
        return {"n": 3}

    answers = at_once(lambda: store.cached("eval", INPUTS, compute), 3)
    assert len(calls) == 1
    assert sorted(a["_cached"] for a in answers) == [False, True, True]
