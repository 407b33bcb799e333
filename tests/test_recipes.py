"""The course's named recipes: their keys, a run that starts from another, the searched queue."""

from __future__ import annotations

import pytest

from prompt_vs_finetune.finetune import recipes, search


def test_recipe_names_a_plain_run_as_before():
    assert recipes.recipe("category") == {
        "run": "category",
        "target": "category",
        "options": recipes.COURSE_RUNS["category"][1],
    }
    with pytest.raises(ValueError, match="Unknown course run"):
        recipes.recipe("nonsense")


def test_a_run_that_starts_from_another_names_that_run_too():
    queue = recipes.recipe("queue")
    assert queue["options"]["start"] == "category"
    assert queue["start"] == recipes.recipe("category")


def test_train_recipe_starts_from_the_named_run(monkeypatch):
    calls = []

    class Run:
        lm = "the category model"

    def course_run(name, progress=True):
        calls.append(name)
        return Run

    monkeypatch.setattr(recipes, "course_run", course_run)
    monkeypatch.setattr(recipes, "load_tickets", lambda target: f"tickets/{target}")
    monkeypatch.setattr(recipes, "fine_tune", lambda task, **kwargs: (task, kwargs))
    task, kwargs = recipes.train_recipe("queue", {"start": "category", "lr": 1e-2}, progress=False)
    assert calls == ["category"] and task == "tickets/queue"
    assert kwargs == {"base": "the category model", "lr": 1e-2, "progress": False}
    options = {"steps": 3}
    _, kwargs = recipes.train_recipe("queue", options, progress=False)
    assert calls == ["category"] and kwargs == {"progress": False, "steps": 3}
    assert options == {"steps": 3}  # the recipe itself is left as it was


def test_the_queue_recipe_is_a_searched_setting_that_learns_the_codes():
    options = recipes.COURSE_RUNS["queue"][1]
    chosen = [name for name, searched in search.SEARCH.items() if searched == options]
    assert len(chosen) == 1
    stored = search.stored_search()
    assert stored is not None, "run benchmarks/recipe_search.py"
    row = next(r for r in stored["rows"] if r["setting"] == chosen[0])
    assert row["options"] == options and row["learns"]
    assert row["steps_run"] <= 120  # small enough for a lesson
