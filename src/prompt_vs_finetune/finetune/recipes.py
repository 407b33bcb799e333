"""The fine-tunes the lessons share, by name, so every notebook reuses one checkpoint.

Lessons call ``course_run("category")`` instead of repeating a recipe; ``make prewarm``
trains every recipe here once so that a classroom never waits for training.
"""

from __future__ import annotations

from typing import Any

from prompt_vs_finetune.data import load_tickets
from prompt_vs_finetune.finetune.training import WRECKING_LR, FineTuneRun, fine_tune

#: name -> (ticket target, fine_tune options, what the lessons use it for)
COURSE_RUNS: dict[str, tuple[str, dict[str, Any], str]] = {
    "category": ("category", {}, "the default tiny fine-tune: LoRA on ticket categories"),
    "queue": ("queue", {}, "LoRA on Pebblewire's internal queue codes (domain knowledge)"),
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


def course_run(name: str, *, progress: bool = True) -> FineTuneRun:
    """Train (or load from the cache) the named course fine-tune."""
    if name not in COURSE_RUNS:
        raise ValueError(f"Unknown course run {name!r}; choose one of {sorted(COURSE_RUNS)}.")
    target, options, _ = COURSE_RUNS[name]
    return fine_tune(load_tickets(target), progress=progress, **options)
