"""How long does one request take? A long few-shot prompt against a fine-tuned model's short one.

A served model reads the whole prompt on every request before it writes a single token
of the answer, so a prompt with eight examples costs reading time that a fine-tuned
model, which needs none, does not pay. ``latency_study`` measures it the way a user
would feel it: each request sent on its own (``generate``, greedy, a short answer), its
prompt tokens counted and its wall time taken.

On a shared laptop the time of one request moves with whatever else the machine does.
So the conditions are *interleaved*: ticket 1 with every condition, then ticket 2, and
so on, so that a busy moment slows all of them alike rather than one. The first requests
warm the model up and are not counted. Results are kept in the results store: a rerun
shows the same numbers (re-measure with a new ``seed`` or ``refresh=True``).

The rule of C12 in ``claims`` turns the measured tokens and latencies into a verdict.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from prompt_vs_finetune.measure.metrics import latency_summary
from prompt_vs_finetune.model.generation import generate
from prompt_vs_finetune.prompting.fewshot import FewShotPrompt
from prompt_vs_finetune.store.results import cached
from prompt_vs_finetune.ui.tables import Table

__all__ = ["latency_study", "latency_table", "plot_latency"]


def _ids_hash(examples: Sequence[Any]) -> str:
    blob = "\n".join(f"{getattr(ex, 'id', '')}\t{getattr(ex, 'text', ex)}" for ex in examples)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]


def latency_study(
    conditions: Mapping[str, tuple[Any, FewShotPrompt]],
    examples: Sequence[Any],
    *,
    max_new_tokens: int = 4,
    warmup: int = 2,
    seed: int = 0,
    refresh: bool = False,
) -> dict[str, Any]:
    """Time one request per ticket for each named ``(model, prompt)``, interleaved; cached.

    Returns ``{"conditions": {name: {"tokens_in": [...], "seconds": [...], "answers": [...],
    "p50", "p95", "mean", "mean_tokens"}}, "n", "max_new_tokens"}``; ``seed`` only labels
    a fresh measurement in the store.
    """
    examples = list(examples)
    if not examples:
        raise ValueError("no tickets to time")
    inputs = {
        "conditions": {name: [lm.name, p.key()] for name, (lm, p) in conditions.items()},
        "examples": _ids_hash(examples),
        "max_new_tokens": max_new_tokens,
        "warmup": warmup,
        "seed": seed,
    }

    def compute() -> dict[str, Any]:
        for ex in examples[:warmup]:  # first calls allocate memory: not counted
            for lm, prompt in conditions.values():
                generate(lm, prompt.render(ex.text), max_new_tokens=max_new_tokens, chat=False)
        out = {name: {"tokens_in": [], "seconds": [], "answers": []} for name in conditions}
        start = time.perf_counter()
        for ex in examples:
            for name, (lm, prompt) in conditions.items():
                g = generate(lm, prompt.render(ex.text), max_new_tokens=max_new_tokens, chat=False)
                out[name]["tokens_in"].append(g.tokens_in)
                out[name]["seconds"].append(g.seconds)
                out[name]["answers"].append(g.text)
        for r in out.values():
            r.update(latency_summary(r["seconds"]))
            r["mean_tokens"] = float(np.mean(r["tokens_in"]))
        return {
            "conditions": out,
            "n": len(examples),
            "max_new_tokens": max_new_tokens,
            "seconds": time.perf_counter() - start,
        }

    return cached("request-latency", inputs, compute, refresh=refresh)


def latency_table(study: Mapping[str, Any]) -> Table:
    """One row per condition: mean prompt tokens, p50 / p95 / mean seconds per request."""
    return Table(
        {
            "condition": name,
            "tokens_in": r["mean_tokens"],
            "p50_s": r["p50"],
            "p95_s": r["p95"],
            "mean_s": r["mean"],
        }
        for name, r in study["conditions"].items()
    )


def plot_latency(study: Mapping[str, Any], ax: Any = None):
    """Seconds per request against prompt tokens, one colour per condition (every request)."""
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(6, 3.5))
    for name, r in study["conditions"].items():
        ax.scatter(r["tokens_in"], np.asarray(r["seconds"]) * 1000, s=14, alpha=0.7, label=name)
    ax.set_xlabel("prompt tokens of the request")
    ax.set_ylabel("milliseconds per request")
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    ax.set_title("One request: longer prompt, longer wait")
    return ax
