"""C19's evidence: answers from declared task properties only, winners from the store."""

from __future__ import annotations

import ast
import inspect
import subprocess
import sys
from dataclasses import replace

import pytest

from prompt_vs_finetune.data import load_tickets
from prompt_vs_finetune.decision import evidence, tasks
from prompt_vs_finetune.economics.assumptions import DEFAULT_ASSUMPTIONS as A
from prompt_vs_finetune.economics.costs import break_even_requests, fine_tune_upfront_cost
from prompt_vs_finetune.measure.evaluate import KIND
from prompt_vs_finetune.model.loading import DEFAULT_MODEL
from prompt_vs_finetune.store.results import ResultsStore

MEASURED = {"tokens_out": 2.0, "train_seconds_by_run": {"category": 900.0, "queue": 1000.0}}
TUNED = f"{DEFAULT_MODEL}+lora-abc12345"


def every_answer():
    return [
        (task.name, volume, change, tasks.questionnaire(task, volume, change))
        for task in tasks.TASKS for volume in evidence.VOLUMES for change in tasks.CHANGE_RATES
    ]  # fmt: skip


def test_the_questionnaire_module_imports_nothing_that_reads_the_store():
    tree = ast.parse(inspect.getsource(tasks))
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    allowed = {"__future__", "dataclasses", "prompt_vs_finetune.decision.advice",
               "prompt_vs_finetune.ui.tables"}  # fmt: skip
    assert imported <= allowed
    code = (
        "import sys, prompt_vs_finetune.decision.tasks as t; "
        "t.predict(t.TASKS[2], 5e6, 'rarely'); "
        "print(sorted(m for m in sys.modules if m.startswith('prompt_vs_finetune.store.')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "store.results" not in out.stdout


def test_the_answers_stay_the_same_when_the_store_cannot_be_read(monkeypatch, tmp_path):
    before = every_answer()

    def refuse(*args, **kwargs):
        raise AssertionError("the questionnaire read the results store")

    for name in ("_read", "get", "entries", "section", "cached"):
        monkeypatch.setattr(ResultsStore, name, refuse)
    monkeypatch.setenv("PROMPT_VS_FINETUNE_CACHE", str(tmp_path / "empty"))
    assert every_answer() == before
    assert [tasks.predict(tasks.task_profile(t), v, c) for t, v, c, _ in before]


def test_declared_tasks():
    assert len(tasks.TASKS) >= 5 and len({t.name for t in tasks.TASKS}) == len(tasks.TASKS)
    for target in ("category", "priority", "queue"):
        data = load_tickets(target)
        profile = next(t for t in tasks.TASKS if t.store_task == data.name)
        assert profile.labels == len(data.labels)
        assert profile.labelled_examples == len(data.train) + len(data.dev) + len(data.test)
    assert tasks.task_profile("queue codes").needs_domain_knowledge
    assert tasks.declared_table().column("task") == [t.name for t in tasks.TASKS]
    assert tasks.predict(tasks.task_profile("JSON extraction"), 1e8, "rarely") == "prompting"
    assert tasks.predict(tasks.task_profile("queue codes"), 1e7, "rarely") == "hybrid"
    with pytest.raises(KeyError, match="queue codes"):
        tasks.task_profile("nope")
    with pytest.raises(TypeError):
        tasks.questionnaire("queue codes", 1e6, "rarely")


def put(store, model, split, prompt, correct, *, n=None, calibrate=False, tokens=100, when=""):
    """An evaluation as ``measure.evaluate`` stores it: ``correct`` is 1/0 per item."""
    inputs = {"model": model, "task": "tickets/category", "prompt": prompt, "split": split,
              "n": n, "seed": None if n is None else 0, "calibrate": calibrate,
              "instance": None, "examples": None}  # fmt: skip
    n = len(correct)
    result = {"n": n, "ids": [f"t{i}" for i in range(n)], "gold": ["a"] * n,
              "predictions": ["a" if c else "b" for c in correct],
              "tokens_per_request": [tokens] * n, "accuracy": sum(correct) / n}
    store.put(KIND, inputs, result)


@pytest.fixture
def store(tmp_path):
    store = ResultsStore(tmp_path / "results.json", verbose=False)
    put(store, DEFAULT_MODEL, "test", "best-on-test", [1] * 90 + [0] * 10)  # never scored on dev
    put(store, DEFAULT_MODEL, "test", "long", [1] * 40 + [0] * 60, tokens=500)
    put(store, DEFAULT_MODEL, "dev", "long", [1] * 30 + [0] * 30, n=60, tokens=500)
    put(store, DEFAULT_MODEL, "test", "short", [1] * 30 + [0] * 70, tokens=60)
    put(store, DEFAULT_MODEL, "dev", "short", [1] * 20 + [0] * 40, n=60, tokens=60)
    put(store, TUNED, "test", "short", [1] * 80 + [0] * 20, tokens=60)
    return store


def test_each_side_is_chosen_on_dev_and_compared_on_the_same_items(store):
    pairs, left_out = evidence.measured_pairs(store)
    assert list(pairs) == ["ticket category"]
    pair = pairs["ticket category"]
    assert pair.prompt.prompt_key == "long" and pair.prompt.dev_accuracy == 0.5
    assert pair.tuned.model == TUNED and pair.tuned.dev_accuracy is None
    assert pair.comparison.difference == pytest.approx(0.4) and pair.separable
    assert pair.difference_used == pytest.approx(0.4)
    assert left_out["JSON extraction"] == "the course trains no fine-tune for this task"
    assert "no prompt" in left_out["ticket priority"]
    table = evidence.pair_table(pairs)
    assert table[0]["separable"] is True and "[" in table[0]["prompt (test)"]


def test_break_even_is_the_cost_model_when_accuracies_are_not_separable(store):
    pair = evidence.measured_pairs(store)[0]["ticket category"]
    tie = evidence.MeasuredPair(pair.task, pair.prompt, pair.tuned,
                                evidence.paired(pair.prompt.correct, pair.prompt.correct))
    assert not tie.separable and tie.difference_used == 0
    project = fine_tune_upfront_cost(900.0, A).total
    version = A.prompt_hours_per_version * A.prices.engineer_hourly
    expected = break_even_requests(500, 60, 2.0, project - version, A.prices)
    assert evidence.break_even(tie, "rarely", MEASURED) == pytest.approx(expected)
    often = evidence.break_even(tie, "often", MEASURED)
    assert often == pytest.approx(13 * expected)  # 12 changes a year: 13 projects
    # separable: each request also earns the value of the extra accuracy
    saving = (project - version) / (A.horizon_months * expected)
    worth = saving + A.value_per_correct_answer * 0.4
    separable = (project - version) / (A.horizon_months * worth)
    assert evidence.break_even(pair, "rarely", MEASURED) == pytest.approx(separable)
    worse = replace(pair, comparison=evidence.paired(pair.tuned.correct, pair.prompt.correct))
    assert evidence.break_even(worse, "rarely", MEASURED) is None  # a worse fine-tune never wins


def test_case_rows_compare_predictions_with_winners(store):
    pairs = evidence.measured_pairs(store)[0]
    rows = evidence.case_rows(pairs, MEASURED, volumes=[10, 1e9])
    assert len(rows) == 6 and set(rows.column("changes")) == set(tasks.CHANGE_RATES)
    for row in rows:
        assert row["winner"] == ("fine-tuning" if row["requests_per_month"] >= row["break_even"]
                                 else "prompting")  # fmt: skip
        side = "prompting" if row["predicted"] == "prompting" else "fine-tuning"
        assert row["agrees"] == (side == row["winner"])
    queue = replace(pairs["ticket category"], task=tasks.task_profile("queue codes"))
    full = evidence.case_rows({**pairs, "queue codes": queue}, MEASURED)
    assert len(full) >= 20 and "hybrid" in full.column("predicted")
