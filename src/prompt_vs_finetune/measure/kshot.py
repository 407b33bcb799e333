"""k-shot sweeps through the results store: how accuracy moves with the examples in a prompt.

Every measurement is stored under the results kind ``"kshot"`` with the inputs
``{"model", "task", "k", "strategy", "order", "split", "seed", "prompt"}`` (plus ``"n"``
when only a subset of the split is scored), the same inputs any lesson uses for a k-shot
evaluation, so lessons 02, 05 and 06 share each other's numbers. The stored result is
the record of ``scoring.evaluate`` (accuracy, macro-F1, tokens per request, predictions).

A fine-tuned model is measured the same way, with the k=0 prompt it was trained on:
``kshot_eval(run.lm, task, 0)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from prompt_vs_finetune.measure.scoring import evaluate
from prompt_vs_finetune.prompting.fewshot import build_prompt
from prompt_vs_finetune.store.results import cached
from prompt_vs_finetune.ui.tables import Table

__all__ = [
    "KIND",
    "accuracy_per_token",
    "kshot_eval",
    "kshot_inputs",
    "kshot_sweep",
    "verdict_for_c9",
]

KIND = "kshot"


def kshot_inputs(
    lm: Any,
    task: Any,
    k: int,
    *,
    strategy: str = "balanced",
    order: str = "shuffled",
    split: str = "test",
    seed: int = 0,
    n: int | None = None,
) -> dict[str, Any]:
    """The results-store inputs of one k-shot evaluation (what the result depends on)."""
    prompt = build_prompt(task, k=k, strategy=strategy, order=order, seed=seed)
    inputs: dict[str, Any] = {
        "model": lm.name,
        "task": task.name,
        "k": k,
        "strategy": strategy,
        "order": order,
        "split": split,
        "seed": seed,
        "prompt": prompt.key(),
    }
    if n is not None:
        inputs["n"] = n
    return inputs


def kshot_eval(
    lm: Any,
    task: Any,
    k: int,
    *,
    strategy: str = "balanced",
    order: str = "shuffled",
    split: str = "test",
    seed: int = 0,
    n: int | None = None,
    progress: bool = False,
) -> dict[str, Any]:
    """Accuracy of a k-shot prompt on ``split`` (all of it, or ``n`` balanced examples), cached.

    The examples come from the train split (``build_prompt``), the queries from ``split``.
    Returns the ``scoring.evaluate`` record (``"_cached"`` says if it came from the store).
    """
    inputs = kshot_inputs(lm, task, k, strategy=strategy, order=order, split=split, seed=seed, n=n)
    prompt = build_prompt(task, k=k, strategy=strategy, order=order, seed=seed)
    return cached(
        KIND,
        inputs,
        lambda: evaluate(lm, task, prompt, split=split, n=n, seed=seed, progress=progress),
    )


def kshot_sweep(
    lm: Any,
    task: Any,
    ks: Sequence[int] = (0, 1, 2, 4, 8),
    *,
    strategy: str = "balanced",
    order: str = "shuffled",
    split: str = "test",
    seed: int = 0,
    n: int | None = None,
    progress: bool = False,
) -> Table:
    """``kshot_eval`` for each k: one row per k with accuracy, macro-F1, tokens, seconds."""
    rows = []
    for k in ks:
        r = kshot_eval(
            lm, task, k, strategy=strategy, order=order, split=split, seed=seed, n=n,
            progress=progress,
        )  # fmt: skip
        rows.append(
            {
                "k": k,
                "accuracy": r["accuracy"],
                "macro_f1": r["macro_f1"],
                "tokens_per_request": r["tokens_per_request"],
                "seconds": r["seconds"],
                "n": r["n"],
            }
        )
    return Table(rows)


def accuracy_per_token(table: Sequence[dict[str, Any]], *, per: int = 1000) -> Table:
    """Each row of a sweep with ``gain_per_1k_tokens``: what the extra tokens bought.

    ``gain_per_1k_tokens`` is the accuracy gained over the k=0 row divided by the extra
    prompt tokens it costs (per ``per`` tokens); None for k=0 itself.
    """
    rows = [dict(r) for r in table]
    base = next((r for r in rows if r["k"] == 0), None)
    if base is None:
        raise ValueError("the table needs a k=0 row to measure gains against")
    for r in rows:
        extra = r["tokens_per_request"] - base["tokens_per_request"]
        r["extra_tokens"] = extra
        r["gain_per_1k_tokens"] = (
            None if r["k"] == 0 or extra <= 0 else (r["accuracy"] - base["accuracy"]) / extra * per
        )
    return Table(rows)


def verdict_for_c9(
    best_kshot_accuracy: float, tuned_accuracy: float, *, margin: float = 0.05
) -> tuple[str, str]:
    """Can few-shot prompting compete with the fine-tune? From the two measured accuracies.

    "supported" when the best k-shot prompt comes within ``margin`` of the fine-tuned
    model (or beats it); "partly" when it is within ``2 * margin``; "not at this scale"
    when the fine-tune is further ahead.
    """
    gap = tuned_accuracy - best_kshot_accuracy
    numbers = (
        f"best few-shot {best_kshot_accuracy:.3f} vs fine-tuned {tuned_accuracy:.3f} "
        f"(gap {gap:+.3f})"
    )
    if gap <= margin:
        return (
            "supported",
            f"few-shot prompting came within {margin:.2f} of the fine-tune: {numbers}",
        )
    if gap <= 2 * margin:
        return "partly", f"few-shot prompting came close but not within {margin:.2f}: {numbers}"
    return "not at this scale", f"the fine-tune is clearly ahead at this model size: {numbers}"
