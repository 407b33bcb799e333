"""The claims ledger: the table, which lessons to run for missing claims, counts, text."""

from __future__ import annotations

import pytest

from prompt_vs_finetune.claims import REGISTRY, ledger, missing_claims
from prompt_vs_finetune.claims.verdict import Verdict
from prompt_vs_finetune.claims.verdicts import SECTION
from prompt_vs_finetune.store import results
from prompt_vs_finetune.store.results import ResultsStore


def put(store, claim, status, sentence="measured elsewhere"):
    """A recorded verdict, as ``claims.record`` stores it, without running a rule."""
    entry = {"claim": claim, "status": status, "effect": "x", "numbers": {},
             "sentence": sentence, "interval": None, "test": "", "n": None,
             "lesson": REGISTRY[claim].owner,
             "results_version": results.RESULTS_VERSION}  # fmt: skip
    store.put_entry(SECTION, claim, entry)


def test_notebooks_for_lists_the_owners():
    assert ledger.notebooks_for(["C9", "C1", "C2", "C8"]) == ["01", "05", "06"]
    assert ledger.notebooks_for([]) == []


@pytest.fixture
def course(tmp_path):
    folder = tmp_path / "course"
    folder.mkdir()
    for name in ("00_setup", "01_fundamentals", "02_costs", "11_decision"):
        (folder / f"{name}.ipynb").write_text("{}")
    return folder


def test_ensure_claims_runs_the_owning_lessons(course, tmp_path):
    store = ResultsStore(tmp_path / "results.json", verbose=False)
    for claim in REGISTRY:
        if claim not in ("C1", "C2", "C3", "C5", "C19"):
            put(store, claim, "supported")
    ran = []

    def runner(path):
        ran.append(path.name)
        if path.name.startswith("01"):
            put(store, "C1", "inconclusive")
            put(store, "C2", "supported")
            return 1.0
        raise RuntimeError("kernel died\nCellExecutionError: boom")

    rows = ledger.ensure_claims(folder=course, store=store, runner=runner, verbose=False)
    assert ran == ["01_fundamentals.ipynb", "02_costs.ipynb"]
    by_notebook = {r["notebook"]: r for r in rows}
    assert by_notebook["01"]["status"] == "ran" and by_notebook["01"]["claims"] == "C1, C2"
    assert by_notebook["02"]["status"].startswith("failed: RuntimeError: CellExecutionError")
    assert by_notebook["03"]["status"].startswith("no notebook 03_")
    assert by_notebook["11"]["status"] == "skipped (this lesson)"
    assert missing_claims(store) == ["C3", "C5", "C19"]


def test_ensure_claims_does_nothing_when_complete(course, tmp_path):
    store = ResultsStore(tmp_path / "results.json", verbose=False)
    for claim in REGISTRY:
        put(store, claim, "supported")

    def runner(path):
        raise AssertionError("nothing should run")

    assert ledger.ensure_claims(folder=course, store=store, runner=runner) == []


def test_course_folder_finds_the_notebooks(course):
    assert ledger.course_folder(course) == course
    assert ledger.course_folder(course.parent) == course


def test_ledger_table_reads_the_registry_and_the_store(tmp_path):
    store = ResultsStore(tmp_path / "results.json", verbose=False)
    table = ledger.ledger_table(store=store)
    assert table.column("claim") == list(REGISTRY)
    assert table.columns == ["claim", "statement", "lesson", "status", "effect", "interval",
                             "test", "n", "sentence"]  # fmt: skip
    assert set(table.column("status")) == {"not measured yet"}
    put(store, "C9", "inconclusive", "close")
    rows = ledger.ledger_table("C9", "c10", store=store)
    assert [r["claim"] for r in rows] == ["C9", "C10"]
    assert rows[0] == {"claim": "C9", "statement": REGISTRY["C9"].text, "lesson": "06",
                       "status": "inconclusive", "effect": "x", "interval": "", "test": "",
                       "n": None, "sentence": "close"}  # fmt: skip
    assert rows[1]["status"] == "not measured yet" and rows[1]["sentence"] == ""


SAMPLED = Verdict("C9", "supported", 0.12, {}, "the fine-tune beat the prompt",
                  interval=(0.05, 0.19), test="McNemar exact p=0.003", n=160)  # fmt: skip
COMPUTED = Verdict("C17", "supported", "6.5x the tokens", {}, "prompting costs more",
                   test="token prices from 0.5x to 2x the assumed ones")  # fmt: skip


def test_ledger_rows_show_what_each_verdict_rests_on():
    rows = ledger.ledger_rows({"C9": SAMPLED, "C17": COMPUTED}, ["C9", "C17", "C1"])
    sampled, computed, missing = rows
    assert (sampled["interval"], sampled["test"], sampled["n"]) == (
        "[0.050, 0.190]", "McNemar exact p=0.003", 160)
    assert computed["interval"] == "" and computed["test"].startswith("token prices")
    assert missing["status"] == "not measured yet"
    text = ledger.format_ledger(rows)
    assert "evidence: effect 0.120, 95% interval [0.050, 0.190]; McNemar exact p=0.003; n=160" in (
        " ".join(text.split()))
    assert "checked over token prices from 0.5x to 2x" in " ".join(text.split())


def test_counts_and_text(tmp_path):
    store = ResultsStore(tmp_path / "results.json", verbose=False)
    put(store, "C1", "supported", "a long measurement " * 12)
    put(store, "C2", "contradicted", "short")
    table = ledger.ledger_table(store=store)
    counts = ledger.status_counts(table)
    assert counts == {"supported": 1, "contradicted": 1, "inconclusive": 0,
                      "not at this scale": 0, "not measured yet": 17}  # fmt: skip
    text = ledger.format_ledger(table, width=80)
    assert all(len(line) <= 80 for line in text.splitlines())
    assert " ".join(text.split()).count("a long measurement") == 12  # nothing cut
    assert " C1 [supported] (lesson 01)" in text


def test_a_lesson_running_elsewhere_is_waited_for_not_run_twice(course, tmp_path, tmp_cache):
    import threading
    import time

    store = ResultsStore(tmp_path / "results.json", verbose=False)
    for claim in REGISTRY:
        if claim not in ("C1", "C2"):
            put(store, claim, "supported")
    started = threading.Event()

    def the_lesson_under_make_test():
        with ledger.lesson_lock("01"):
            started.set()
            time.sleep(0.3)
            put(store, "C1", "supported")
            put(store, "C2", "supported")

    other = threading.Thread(target=the_lesson_under_make_test)
    other.start()
    started.wait()

    def runner(path):
        raise AssertionError("lesson 01 was already running: it must not run a second time")

    rows = ledger.ensure_claims(folder=course, store=store, runner=runner, verbose=False)
    other.join()
    assert [r["status"] for r in rows] == ["recorded by another run meanwhile"]
    assert missing_claims(store) == []
