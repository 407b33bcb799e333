"""The claims ledger: which lessons to run for missing claims, counts, text, C19 verdict."""

from __future__ import annotations

import pytest

from prompt_vs_finetune.claims import ledger
from prompt_vs_finetune.decision.case_studies import case_table
from prompt_vs_finetune.store.results import CLAIMS, ResultsStore


def test_notebooks_for_splits_shared_claims():
    assert ledger.notebooks_for(["C9", "C1", "C2"]) == ["01", "05", "06"]
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
    for claim in CLAIMS:
        if claim not in ("C1", "C2", "C3", "C5", "C19"):
            store.record_claim(claim, "supported", "measured elsewhere")
    ran = []

    def runner(path):
        ran.append(path.name)
        if path.name.startswith("01"):
            store.record_claim("C1", "partly", "ran")
            store.record_claim("C2", "supported", "ran")
            return 1.0
        raise RuntimeError("kernel died\nCellExecutionError: boom")

    rows = ledger.ensure_claims(folder=course, store=store, runner=runner, verbose=False)
    assert ran == ["01_fundamentals.ipynb", "02_costs.ipynb"]
    by_notebook = {r["notebook"]: r for r in rows}
    assert by_notebook["01"]["status"] == "ran" and by_notebook["01"]["claims"] == "C1, C2"
    assert by_notebook["02"]["status"].startswith("failed: RuntimeError: CellExecutionError")
    assert by_notebook["03"]["status"].startswith("no notebook 03_")
    assert by_notebook["11"]["status"] == "skipped (this lesson)"
    assert store.missing_claims() == ["C3", "C5", "C19"]


def test_ensure_claims_does_nothing_when_complete(course, tmp_path):
    store = ResultsStore(tmp_path / "results.json", verbose=False)
    for claim in CLAIMS:
        store.record_claim(claim, "supported", "done")

    def runner(path):
        raise AssertionError("nothing should run")

    assert ledger.ensure_claims(folder=course, store=store, runner=runner) == []


def test_course_folder_finds_the_notebooks(course):
    assert ledger.course_folder(course) == course
    assert ledger.course_folder(course.parent) == course


def test_counts_and_text(tmp_path):
    store = ResultsStore(tmp_path / "results.json", verbose=False)
    store.record_claim("C1", "supported", "a long measurement " * 12)
    store.record_claim("C2", "not at this scale", "short")
    table = store.claims()
    counts = ledger.verdict_counts(table)
    assert counts == {"supported": 1, "partly": 0, "not at this scale": 1, "not measured yet": 17}
    text = ledger.format_ledger(table, width=80)
    assert all(len(line) <= 80 for line in text.splitlines())
    assert " ".join(text.split()).count("a long measurement") == 12  # nothing cut
    assert " C1 [supported] (notebook 01)" in text


def test_probe_decisions_follow_the_guide():
    rows = ledger.probe_decisions()
    assert len(rows) == 4 and all(r["agrees"] for r in rows)


def test_verdict_for_c19_rules():
    cases, probes = case_table(), ledger.probe_decisions()
    good = dict.fromkeys(ledger.EVIDENCE_FOR_C19, "supported")
    assert ledger.verdict_for_c19(cases, probes, good)[0] == "supported"
    weaker = {**good, "C16": "partly"}
    verdict, text, detail = ledger.verdict_for_c19(cases, probes, weaker)
    assert verdict == "partly" and "C16 partly" in text
    assert ledger.verdict_for_c19(cases, probes, {})[0] == "partly"
    broken = [dict(cases[0], agrees=False), *cases[1:]]
    assert ledger.verdict_for_c19(broken, probes, good)[0] == "not at this scale"
