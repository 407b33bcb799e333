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

#: The recipe of the generation runs (answers are texts): whole tickets (none is longer than
#: 112 tokens), a budget of 16 steps that fits a lesson (35-40 s on 2 cores), and early
#: stopping on the dev answer-token probability (``finetune.dev_metric``).
GENERATION_RECIPE: dict[str, Any] = {
    "steps": 16,
    "lr": 4e-3,
    "max_text_tokens": 112,
    "n_dev": 16,
    "eval_every": 8,
    "patience": 1,
}

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
    "fields": (
        "fields",
        GENERATION_RECIPE,
        "LoRA writing a ticket's six fields as JSON (extraction against few-shot, lesson 06)",
    ),
    "reply": (
        "reply",
        GENERATION_RECIPE,
        "LoRA writing replies in Pebblewire's voice (tone and style, lesson 05)",
    ),
    "drift": (
        "category",
        {"without": "feature"},
        "the category recipe trained before feature requests existed (drift, lesson 03)",
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
    whose fine-tuned model is the base (trained or loaded first); ``without`` names a label
    whose tickets the run never sees (``TaskData.without``)."""
    options = dict(options)
    start, without = options.pop("start", None), options.pop("without", None)
    if start is not None:
        options["base"] = course_run(start, progress=progress).lm
    task = load_tickets(target)
    return fine_tune(task if without is None else task.without(without), progress=progress,
                     **options)  # fmt: skip


def course_run(name: str, *, progress: bool = True) -> FineTuneRun:
    """Train (or load from the cache) the named course fine-tune."""
    target, options, _ = _known(name)
    return train_recipe(target, options, progress=progress)
