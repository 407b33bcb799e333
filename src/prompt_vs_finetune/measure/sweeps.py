"""Tables of evaluations: a k-shot sweep, and named (model, prompt) conditions side by side.

Both are thin layers over ``evaluate``: every row is one stored evaluation, so a sweep in
one lesson and a single evaluation in another share their numbers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from prompt_vs_finetune.measure.evaluate import evaluate
from prompt_vs_finetune.prompting.fewshot import build_prompt
from prompt_vs_finetune.ui.tables import Table

__all__ = ["accuracy_per_token", "compare", "kshot_sweep"]


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
    """One row per k: accuracy, macro-F1, mean tokens per request, seconds, n.

    The k examples come from the train split (``build_prompt`` with ``strategy``,
    ``order`` and ``seed``), the queries from ``split`` (all of it, or ``n`` of it).
    """
    rows = []
    for k in ks:
        prompt = build_prompt(task, k=k, strategy=strategy, order=order, seed=seed)
        r = evaluate(lm, task, prompt, split=split, n=n, seed=seed, progress=progress)
        rows.append(
            {
                "k": k,
                "accuracy": r.accuracy,
                "macro_f1": r.macro_f1,
                "tokens_per_request": r.mean_tokens,
                "seconds": r.seconds,
                "n": r.n,
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


def compare(
    conditions: Mapping[str, tuple[Any, ...]],
    task: Any,
    *,
    split: str = "test",
    n: int | None = None,
    seed: int = 0,
) -> Table:
    """Evaluate each named ``(model, prompt)`` or ``(model, prompt, instance)`` condition on
    the same tickets; one row each.

    Columns: condition, accuracy, macro_f1, tokens (mean prompt tokens per request), n.
    Each condition's ``Evaluation`` is on the table as ``table.results[name]``.
    """
    rows, results = [], {}
    for name, (lm, prompt, *instance) in conditions.items():
        inst = instance[0] if instance else None
        r = evaluate(lm, task, prompt, split=split, n=n, seed=seed, instance=inst)
        results[name] = r
        rows.append(
            {
                "condition": name,
                "accuracy": r.accuracy,
                "macro_f1": r.macro_f1,
                "tokens": r.mean_tokens,
                "n": r.n,
            }
        )
    table = Table(rows)
    table.results = results
    return table
