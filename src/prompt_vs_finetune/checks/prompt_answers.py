"""Score a learner's prompt on the fixed tickets of a check (exercises 04.1 and 08.2)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from prompt_vs_finetune.checks.core import default_model
from prompt_vs_finetune.data import load_tickets
from prompt_vs_finetune.measure.evaluate import Evaluation, evaluate
from prompt_vs_finetune.prompting.versions import as_prompt, leaked_examples


def score_on(answer: Any, tickets: Sequence[Any]) -> Evaluation:
    """``answer`` evaluated on ``tickets`` (accuracy, correct, n, mean_tokens...), cached.

    ``answer`` is an instruction, a PromptVersion or a FewShotPrompt for the category
    task. A prompt that shows one of ``tickets`` as a worked example is refused.
    """
    task = load_tickets()
    prompt = as_prompt(answer, task)
    leaked = leaked_examples(prompt, tickets)
    if leaked:
        raise ValueError(
            f"your prompt shows tickets the check is scored on ({', '.join(leaked)}): take "
            "examples from the train split (the default of build_prompt)"
        )
    calibrate = bool(getattr(answer, "calibrate", False))
    return evaluate(default_model(), task, prompt, examples=tickets, calibrate=calibrate)
