"""Drift: a task without one label, the recipe trained on it, the four systems and their fixes."""

from __future__ import annotations

import dataclasses

import pytest

from prompt_vs_finetune.data import Example, TaskData, load_tickets
from prompt_vs_finetune.economics.assumptions import LAPTOP, TEAM
from prompt_vs_finetune.finetune import drift, recipes
from prompt_vs_finetune.prompting.fewshot import build_prompt


def _task() -> TaskData:
    def examples(split: str) -> tuple[Example, ...]:
        return tuple(Example(f"{split}{label}{i}", f"{label} ticket {i}", label)
                     for label in "abc" for i in range(4))  # fmt: skip

    return TaskData("tickets/category", ("a", "b", "c"), "Pick one label: a, b or c.",
                    examples("train"), examples("dev"), examples("test"))  # fmt: skip


def test_without_drops_the_label_everywhere_and_renames_the_task():
    task = _task()
    before = task.without("c")
    assert before.labels == ("a", "b") and before.instruction == "Pick one label: a or b."
    assert all(ex.label != "c" for s in ("train", "dev", "test") for ex in before.split(s))
    assert len(before.train) == 8 and before.name == "tickets/category/without-c"
    prompt = build_prompt(before, k=0)  # the variant keeps the prompt's field names
    assert (prompt.input_name, prompt.output_name) == ("Ticket", "Category")
    real = load_tickets("category").without("feature")
    assert "feature" not in real.instruction and "cancellation." in real.instruction
    with pytest.raises(ValueError, match="not one of the labels"):
        task.without("z")
    with pytest.raises(ValueError, match="does not list"):
        TaskData("t/x", ("a", "b", "c"), "Choose.", (), (), ()).without("a")
    with pytest.raises(ValueError, match="two labels left"):
        TaskData("t/x", ("a", "b"), "a or b", (), (), ()).without("a")


def test_the_drift_recipe_trains_on_the_task_without_the_label(monkeypatch):
    assert recipes.recipe("drift")["options"] == {"without": drift.NEW_LABEL}
    assert recipes.recipe("drift") != recipes.recipe("category")
    monkeypatch.setattr(recipes, "load_tickets", lambda target: _task())
    monkeypatch.setattr(recipes, "fine_tune", lambda task, **kwargs: (task, kwargs))
    task, kwargs = recipes.train_recipe("category", {"without": "c", "steps": 3}, progress=False)
    assert task.labels == ("a", "b") and kwargs == {"progress": False, "steps": 3}


def test_the_old_prompt_never_shows_the_label_and_the_edit_adds_one_example_not_last():
    task = _task()
    old = drift.before_prompt(task, "c", k=4)
    assert old.labels == task.labels and old.instruction == "Pick one label: a or b."
    assert [ex.label for ex in old.examples].count("c") == 0
    for seed in range(6):
        edited = drift.edited_prompt(old, task, "c", seed=seed)
        labels = [ex.label for ex in edited.examples]
        assert labels.count("c") == 1 and labels[-1] != "c" and edited.k == old.k + 1
        assert edited.instruction == task.instruction and edited.labels == task.labels
        assert [ex for ex in edited.examples if ex.label != "c"] == list(old.examples)
    assert drift.edited_prompt(old, task, "c") == drift.edited_prompt(old, task, "c")


def _study(make_evaluation) -> drift.DriftStudy:
    gold = ["c"] * 4 + ["a"] * 6

    def system(predictions: list[str], seconds: float = 2.0):
        right = sum(p == g for p, g in zip(predictions, gold, strict=True))
        return make_evaluation(10, right, gold=gold, predictions=predictions, seconds=seconds)

    evaluations = {
        drift.DRIFTED: system(["a"] * 10),
        drift.OLD_PROMPT: system(["b"] * 4 + ["a"] * 6),
        drift.EDITED: system(["c"] * 3 + ["b"] + ["a"] * 5 + ["b"], seconds=3.0),
        drift.RETRAINED: system(gold, seconds=1.0),
    }
    return drift.DriftStudy("c", evaluations, train_seconds=90.0, drifted_seconds=40.0,
                            new_examples=48)  # fmt: skip


def test_the_study_reads_the_new_label_out_of_the_whole_split(make_evaluation):
    study = _study(make_evaluation)
    assert study.flags(drift.DRIFTED, new_only=True) == [0, 0, 0, 0]
    assert study.rate(drift.EDITED, new_only=True).value == 0.75
    assert study.rate(drift.DRIFTED).value == 0.6
    new = study.compare(drift.DRIFTED, drift.EDITED, new_only=True)
    assert new.n == 4 and new.difference == 0.75 and new.b_only == 3
    assert study.table().column("system") == list(study.evaluations)
    same = {**study.evaluations, drift.EDITED: study.evaluations[drift.DRIFTED]}
    reading = drift.summary(dataclasses.replace(study, evaluations=same))[4]
    assert reading.startswith("the edit gets no more c tickets right than the drifted fine-tune")
    assert reading.endswith("the retrain learned the category")


def test_fix_times_take_seconds_from_the_runs_and_hours_from_the_assumptions(make_evaluation):
    study = _study(make_evaluation)
    team = drift.fix_times(study, TEAM)
    assert team["edit the prompt"] == {"seconds": 3.0,
                                       "people_hours": TEAM.prompt_hours_per_version}  # fmt: skip
    assert team["retrain the fine-tune"] == {"seconds": 90.0, "people_hours": TEAM.retrain_hours}
    laptop = drift.fix_times(study, LAPTOP)
    assert all(fix["people_hours"] == 0 for fix in laptop.values())
    lines = drift.summary(study)
    assert lines[0] == (
        "right on the c tickets: drifted fine-tune 0/4, old prompt 0/4, "
        "edited prompt 3/4, retrained fine-tune 4/4"
    )
    assert "+0.750" in lines[1] and lines[4].startswith("the edit gets c tickets right that")
    assert "48 labelled c tickets" in lines[5] and "without them 40 s" in lines[5]
    assert lines[-2].startswith("this laptop:") and "people's time" not in lines[-2]
    assert lines[-1].startswith("a team on rented GPUs:") and "16 h of people's time" in lines[-1]


def test_drift_study_scores_four_systems_over_every_label(monkeypatch):
    task, calls = _task(), []

    def evaluate(lm, task, prompt=None, k=0):
        calls.append((lm, prompt, k))
        return f"scored {lm}"

    class Run:
        def __init__(self, name: str, seconds: float = 0.0):
            self.lm, self.seconds = name, seconds

    monkeypatch.setattr(drift, "evaluate", evaluate)
    study = drift.drift_study("base", task, Run("drifted", 30.0), Run("retrained", 80.0), "c", k=4)
    assert list(study.evaluations) == [drift.DRIFTED, drift.OLD_PROMPT, drift.EDITED,
                                       drift.RETRAINED]  # fmt: skip
    tuned, old, edited, retrained = calls
    assert tuned[0] == "drifted" and tuned[1].k == 0 and tuned[1].instruction.endswith("a or b.")
    assert tuned[1].labels == old[1].labels == edited[1].labels == task.labels
    assert old[1].k == 4 and edited[1].k == 5 and retrained == ("retrained", None, 0)
    assert (study.train_seconds, study.drifted_seconds, study.new_examples) == (80.0, 30.0, 4)
