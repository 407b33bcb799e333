"""The course's study on any task: ``run_study(task)`` measures prompting against fine-tuning.

Five steps (``steps.STEPS``): 0-shot on test; few-shot prompts on dev over seeded draws;
the prompt chosen on dev, on test; a LoRA fine-tune with early stopping, on test; tokens
and seconds per request. Each step's result is kept in the results store under the model's
name, the task's name and the settings it depends on, so a study that was stopped resumes
at the first step it has not finished, and a rerun measures nothing. Before it starts it
prints each step with its estimated seconds (from the data's size) and which ones the store
already holds; a progress bar follows the estimate.

``Study`` holds the stored results; ``Study.to_json()`` derives every number of the report
from them (intervals, paired tests, break-even under each cost preset, the decision tool's
answer), and ``Study.write(folder)`` writes ``study.json`` and ``report.html``.
"""

from __future__ import annotations

import contextlib
import io
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tqdm.auto import tqdm

from prompt_vs_finetune.model.choice import configured_name
from prompt_vs_finetune.own_task.steps import FULL, STEPS, Context, Step, StudySettings
from prompt_vs_finetune.store.results import ResultsStore, jsonable
from prompt_vs_finetune.ui.tables import Table

__all__ = ["KIND", "Study", "plan", "run_study", "step_inputs"]

#: The results-store kind of a study's steps.
KIND = "own-task-step"


@dataclass
class Study:
    """A finished study: the task, the model's name, the settings and each step's result.

    ``results[step]`` is the stored dict of that step; ``timing[step]`` its estimated and
    measured seconds and whether this run read it from the store (``from_store``).
    ``answers`` are the learner's own answers to the decision questions (see ``summary``).
    """

    task: Any
    model: str
    settings: StudySettings
    results: dict[str, dict[str, Any]]
    timing: dict[str, dict[str, Any]]
    answers: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """Every number of the study, as plain JSON (the report is built from this)."""
        from prompt_vs_finetune.own_task.summary import study_json

        return study_json(self)

    def write(self, folder: str | Path) -> tuple[Path, Path]:
        """Write ``report.html`` and ``study.json`` into ``folder``; return their paths."""
        from prompt_vs_finetune.own_task.report import write_report

        return write_report(self.to_json(), folder)

    def __repr__(self) -> str:
        stored = sum(t["from_store"] for t in self.timing.values())
        return (
            f"Study({self.task.name!r} on {self.model!r}: {len(self.results)} steps, "
            f"{stored} read from the store)"
        )


def step_inputs(task: Any, model: str, settings: StudySettings, step: Step) -> dict[str, Any]:
    """The results-store inputs of one step: model, task, step and the settings it uses."""
    used = {name: jsonable(getattr(settings, name)) for name in step.depends}
    return {"model": model, "task": task.name, "step": step.name, "settings": used}


def plan(
    task: Any, *, model: str | None = None, settings: StudySettings = FULL
) -> Table:
    """The steps with their estimated seconds and whether the store already holds each."""
    model = configured_name() if model is None else model
    store = ResultsStore(verbose=False)
    rows = []
    for step in STEPS:
        stored = store.get(KIND, step_inputs(task, model, settings, step)) is not None
        rows.append({"step": step.name, "what": step.what,
                     "estimated_seconds": round(step.estimate(task, settings)),
                     "state": "in the store" if stored else "to measure"})  # fmt: skip
    return Table(rows)


def _measure(step: Step, ctx: Context) -> dict[str, Any]:
    """Run one step, timed, without the library's own lines (store and checkpoint hits)."""
    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        result = step.measure(ctx)
    return {**result, "seconds": time.perf_counter() - start}


def _to_measure(steps: Table) -> float:
    """Estimated seconds of the steps the store does not hold yet."""
    return sum(r["estimated_seconds"] for r in steps if r["state"] == "to measure")


def _announce(task: Any, model: str, steps: Table) -> None:
    total = _to_measure(steps)
    print(f"Study of {task.name} ({len(task.train)} train / {len(task.dev)} dev / "
          f"{len(task.test)} test) on {model}:")  # fmt: skip
    print(steps)
    print(f"estimated time: about {total / 60:.1f} minutes (a 2-core CPU; a GPU is faster); "
          "stop at any time and run again to resume", flush=True)


def run_study(
    task: Any,
    *,
    lm: Any = None,
    settings: StudySettings = FULL,
    answers: Mapping[str, Any] | None = None,
    progress: bool = True,
) -> Study:
    """Run (or read back) every step of the study on ``task``, a ``TaskData``.

    ``lm``: the base model (default: ``load_model()``, loaded only if a step must measure).
    ``settings``: how much to measure (``FULL``, or ``QUICK`` for a lesson). ``answers``:
    your own answers to the decision questions, replacing the study's defaults.
    """
    model = configured_name() if lm is None else lm.name
    steps = plan(task, model=model, settings=settings)
    if progress:
        _announce(task, model, steps)
    ctx, store = Context(task, settings, lm), ResultsStore(verbose=False)
    results, timing = {}, {}
    bar = tqdm(total=_to_measure(steps), unit="s", disable=not progress,
               bar_format="{l_bar}{bar}| {n:.0f}/{total:.0f} estimated s [{elapsed}<{remaining}]")
    for step, row in zip(STEPS, steps, strict=True):
        bar.set_description(step.name)
        stored = store.cached(KIND, step_inputs(task, model, settings, step),
                              lambda step=step: _measure(step, ctx))  # fmt: skip
        results[step.name] = {k: v for k, v in stored.items() if k != "_cached"}
        timing[step.name] = {"estimated_seconds": row["estimated_seconds"],
                             "seconds": stored["seconds"], "from_store": stored["_cached"]}
        bar.update(row["estimated_seconds"] if row["state"] == "to measure" else 0)
    bar.close()
    return Study(task, model, settings, results, timing, dict(answers or {}))
