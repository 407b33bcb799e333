"""The fine-tunes the lessons share, by name, so every notebook reuses one checkpoint.

Lessons call ``course_run("category")`` instead of repeating a recipe; ``make prewarm``
trains every recipe here once so that a classroom never waits for training.

The queue recipe is the one the recipe search chose (``finetune.search``,
``benchmarks/recipe_search.py``): of the settings that fit a lesson's time (at most 120
steps), the best on dev. It starts from the category fine-tune, whose weights already tell
the categories apart, and trains a new adapter at a larger learning rate with early
stopping. The course's original queue recipe (40 steps from the base model, the
category recipe's defaults) stopped before the model had learned the codes.
"""

from __future__ import annotations

from typing import Any

from prompt_vs_finetune.data import load_tickets
from prompt_vs_finetune.finetune.training import WRECKING_LR, FineTuneRun, fine_tune
from prompt_vs_finetune.model.choice import DEFAULT_MODEL, configured_name

#: name -> (ticket target, fine_tune options, what the lessons use it for)
COURSE_RUNS: dict[str, tuple[str, dict[str, Any], str]] = {
    "category": ("category", {}, "the default tiny fine-tune: LoRA on ticket categories"),
    "queue": (
        "queue",
        {"start": "category", "steps": 120, "lr": 1e-2, "eval_every": 20, "patience": 3},
        "LoRA on Pebblewire's internal queue codes (domain knowledge), from the category run",
    ),
    "priority": ("priority", {}, "LoRA on ticket priority (a second adapter, for scaling)"),
    "wrecked": (
        "category",
        {"method": "full", "lr": WRECKING_LR, "steps": 20},
        "a full fine-tune with a learning rate far too high",
    ),
    "overfit": (
        "category",
        {"n_train": 16, "steps": 80, "eval_every": 10},
        "16 training tickets, many steps: memorised, not learned",
    ),
    "full": (
        "category",
        {"method": "full", "steps": 40},
        "a careful full fine-tune (every weight moves)",
    ),
}


def _known(name: str) -> tuple[str, dict[str, Any], str]:
    if name not in COURSE_RUNS:
        raise ValueError(f"Unknown course run {name!r}; choose one of {sorted(COURSE_RUNS)}.")
    return COURSE_RUNS[name]


def recipe(name: str) -> dict[str, Any]:
    """Everything that names the run ``name`` (a results-store key): its target and options,
    for a run that starts from another course run (option ``start``) that run's recipe, and
    the course model's name when it is not the default (which keeps the keys it always had)."""
    target, options, _ = _known(name)
    named = {"run": name, "target": target, "options": options}
    if "start" in options:
        named["start"] = recipe(options["start"])
    model = configured_name()
    return named if model == DEFAULT_MODEL else {**named, "model": model}


def train_recipe(target: str, options: dict[str, Any], *, progress: bool = True) -> FineTuneRun:
    """``fine_tune`` on ticket ``target`` with ``options``; ``start`` names a course run
    whose fine-tuned model is the base (trained or loaded first)."""
    options = dict(options)
    start = options.pop("start", None)
    if start is not None:
        options["base"] = course_run(start, progress=progress).lm
    return fine_tune(load_tickets(target), progress=progress, **options)


def course_run(name: str, *, progress: bool = True) -> FineTuneRun:
    """Train (or load from the cache) the named course fine-tune."""
    target, options, _ = _known(name)
    return train_recipe(target, options, progress=progress)
