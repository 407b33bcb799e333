"""Score a learner's prompt on the fixed tickets of a check (exercises 04.1 and 08.2)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from prompt_vs_finetune.checks.core import default_model
from prompt_vs_finetune.data import load_tickets
from prompt_vs_finetune.prompting.versions import as_prompt, leaked_examples, prompt_accuracy

_SCORED: dict[tuple[str, bool, tuple[str, ...]], dict[str, Any]] = {}


def score_on(answer: Any, tickets: Sequence[Any]) -> dict[str, Any]:
    """Accuracy and mean prompt tokens of ``answer`` on ``tickets``, computed once per prompt.

    ``answer`` is an instruction, a PromptVersion or a FewShotPrompt for the category
    task. A prompt that shows one of ``tickets`` as a worked example is refused.
    """
    prompt = as_prompt(answer, load_tickets())
    leaked = leaked_examples(prompt, tickets)
    if leaked:
        raise ValueError(
            f"your prompt shows tickets the check is scored on ({', '.join(leaked)}): take "
            "examples from the train split (the default of build_prompt)"
        )
    calibrate = bool(getattr(answer, "calibrate", False))
    key = (prompt.key(), calibrate, tuple(ex.id for ex in tickets))
    if key not in _SCORED:
        _SCORED[key] = prompt_accuracy(default_model(), prompt, tickets, calibrate=calibrate)
    return _SCORED[key]
