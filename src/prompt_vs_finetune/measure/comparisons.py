"""Same tickets, several (model, prompt) pairs: score each once, keep the scores, compare.

Lessons 06 and 07 put a base model and a fine-tuned model side by side, with and without
company context in the prompt. Every such *condition* is a model plus a prompt, scored
with ``scoring.score_labels`` on the same tickets. ``label_scores`` keeps the whole
result in the results store (kind ``"label-scores"``): accuracy, the predictions, the
gold labels, the tokens each request sends and the label log-probabilities (which the
cascade of lesson 07 reads as confidence), so a rerun or a later notebook gets it at once.

``compare`` scores a dict of named conditions and returns one table row per condition.

*Instance context* is what a support system knows about this one request, for example
the customer's plan and device from the account record. ``instance="account"`` appends
it to each ticket (``with_account``), the way a real system would add it to the request.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from prompt_vs_finetune.measure.metrics import accuracy, macro_f1
from prompt_vs_finetune.measure.scoring import score_labels
from prompt_vs_finetune.prompting.fewshot import FewShotPrompt
from prompt_vs_finetune.store.results import cached
from prompt_vs_finetune.ui.tables import Table

__all__ = [
    "INSTANCE_CONTEXTS",
    "KIND",
    "compare",
    "examples_for",
    "label_scores",
    "label_scores_inputs",
    "with_account",
]

KIND = "label-scores"


def with_account(example: Any) -> str:
    """The ticket followed by what the account record says: plan and device (or "none")."""
    fields = getattr(example, "fields", {}) or {}
    plan = fields.get("plan") or "not known"
    device = fields.get("product") or "none named"
    return f"{example.text.strip()}\n\n[Account record: plan {plan}; device {device}]"


#: Ways to add instance context to a ticket: name -> function(example) -> query text.
INSTANCE_CONTEXTS: dict[str, Callable[[Any], str]] = {"account": with_account}


def examples_for(task: Any, split: str = "test", n: int | None = None, seed: int = 0) -> list:
    """The tickets to score: the whole ``split``, or a seeded balanced subset of ``n``."""
    return list(task.split(split) if n is None else task.subset(split, n, seed=seed))


def label_scores_inputs(
    lm: Any,
    task: Any,
    prompt: FewShotPrompt,
    split: str,
    n: int | None,
    seed: int,
    instance: str | None = None,
) -> dict[str, Any]:
    """What a stored score depends on: model, task, prompt content, split, subset, seed,
    and the instance context added to each ticket (if any)."""
    inputs = {
        "model": lm.name,
        "task": task.name,
        "prompt": prompt.key(),
        "split": split,
        "n": n,
        "seed": seed,
    }
    if instance is not None:
        inputs["instance"] = instance
    return inputs


def label_scores(
    lm: Any,
    task: Any,
    prompt: FewShotPrompt,
    *,
    split: str = "test",
    n: int | None = None,
    seed: int = 0,
    instance: str | None = None,
    progress: bool = False,
) -> dict[str, Any]:
    """Score ``prompt`` on ``task``'s tickets with ``lm``; cached in the results store.

    ``instance`` names an entry of ``INSTANCE_CONTEXTS`` to add to every ticket.
    Returns a JSON-ready dict: ``accuracy``, ``macro_f1``, ``n``, ``labels``, ``ids``,
    ``gold``, ``predictions``, ``logprobs`` (one list of label log-probs per ticket),
    ``tokens_per_request`` (one count per ticket), ``mean_tokens``, ``k``, ``seconds``
    and ``_cached`` (True when it came from the store).
    """
    if not isinstance(prompt, FewShotPrompt):
        raise TypeError(f"prompt must be a FewShotPrompt, not {type(prompt).__name__}")
    if instance is not None and instance not in INSTANCE_CONTEXTS:
        raise ValueError(f"instance must be None or one of {sorted(INSTANCE_CONTEXTS)}")
    examples = examples_for(task, split, n, seed)
    queries = examples if instance is None else [INSTANCE_CONTEXTS[instance](ex) for ex in examples]

    def compute() -> dict[str, Any]:
        scores = score_labels(lm, prompt, queries, progress=progress)
        gold = [ex.label for ex in examples]
        return {
            "model": lm.name,
            "task": task.name,
            "k": prompt.k,
            "n": len(examples),
            "labels": list(scores.labels),
            "ids": [ex.id for ex in examples],
            "gold": gold,
            "predictions": list(scores.predictions),
            "logprobs": np.asarray(scores.logprobs, dtype=float).round(5).tolist(),
            "tokens_per_request": [int(t) for t in scores.tokens_per_request],
            "mean_tokens": float(np.mean(scores.tokens_per_request)),
            "accuracy": float(accuracy(gold, scores.predictions)),
            "macro_f1": float(macro_f1(gold, scores.predictions, labels=list(scores.labels))),
            "seconds": float(scores.seconds),
        }

    inputs = label_scores_inputs(lm, task, prompt, split, n, seed, instance)
    return cached(KIND, inputs, compute)


def compare(
    conditions: Mapping[str, tuple[Any, ...]],
    task: Any,
    *,
    split: str = "test",
    n: int | None = None,
    seed: int = 0,
) -> Table:
    """Score each named ``(model, prompt)`` or ``(model, prompt, instance)`` condition on
    the same tickets; one row each.

    Columns: condition, accuracy, macro_f1, tokens (mean prompt tokens per request), n.
    The full stored results are on the table as ``table.results[name]``.
    """
    rows, results = [], {}
    for name, (lm, prompt, *instance) in conditions.items():
        inst = instance[0] if instance else None
        r = label_scores(lm, task, prompt, split=split, n=n, seed=seed, instance=inst)
        results[name] = r
        rows.append(
            {
                "condition": name,
                "accuracy": r["accuracy"],
                "macro_f1": r["macro_f1"],
                "tokens": r["mean_tokens"],
                "n": r["n"],
            }
        )
    table = Table(rows)
    table.results = results
    return table
