"""What a richer prompt costs on every request, and when a fine-tune pays that back.

Lesson 02 measures, for the same tickets, what a k-shot prompt sends to the model (its
prompt tokens, counted by the tokenizer), how long one request takes (timed here), and
how accurate it is (``measure.evaluate``, the evaluation every lesson shares),
then prices the tokens with ``assumptions.Prices``, whose prices are assumptions to edit.

- ``request_latencies``: seconds per request when each request is sent on its own, the
  whole prompt processed every time (no cache shared between requests), as an API would.
- ``tokens_per_k``: one row per k (tokens, answer tokens, latency, accuracy), measured
  once and kept in the results store; ``price_requests`` adds the money columns.
- ``break_even_summary``: the fine-tune break-even from measured token counts and a
  measured training time.

The rules of C3 and C4 in ``claims`` turn these numbers into verdicts (C4 under both
named scenarios: ``presets.break_even_by_preset``).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import numpy as np

from prompt_vs_finetune.economics import costs
from prompt_vs_finetune.economics.assumptions import (
    Assumptions,
    Prices,
    as_assumptions,
    prices_of,
)
from prompt_vs_finetune.measure.evaluate import evaluate
from prompt_vs_finetune.measure.metrics import latency_summary
from prompt_vs_finetune.model.generation import generate
from prompt_vs_finetune.prompting.fewshot import FewShotPrompt, build_prompt, prompt_tokens
from prompt_vs_finetune.store.results import cached
from prompt_vs_finetune.ui.tables import Table

__all__ = [
    "KS",
    "answer_tokens",
    "break_even_summary",
    "plot_tokens_per_k",
    "price_requests",
    "request_latencies",
    "tokens_per_k",
]

#: The shot counts lesson 02 compares.
KS: tuple[int, ...] = (0, 1, 2, 4, 8)


def answer_tokens(lm: Any, prompt: FewShotPrompt, labels: Sequence[str]) -> float:
    """Mean tokens of a complete answer (`` billing`` plus the end marker) over ``labels``."""
    tok = lm.tokenizer
    counts = [
        len(tok(prompt.answer(label, end=True), add_special_tokens=False)["input_ids"])
        for label in labels
    ]
    return float(np.mean(counts))


def request_latencies(
    lm: Any, prompt: FewShotPrompt, examples: Sequence[Any], *, max_new_tokens: int = 2
) -> list[float]:
    """Seconds per request, each sent alone: the whole prompt read, then a short answer.

    This is what one call to a served model costs in time: nothing is reused between
    requests, so a longer prompt is read again every time.
    """
    seconds = []
    for ex in examples:
        out = generate(lm, prompt.render(ex.text), max_new_tokens=max_new_tokens, chat=False)
        seconds.append(out.seconds)
    return seconds


def tokens_per_k(
    lm: Any,
    task: Any,
    ks: Sequence[int] = KS,
    *,
    split: str = "test",
    seed: int = 0,
    n_latency: int = 8,
) -> Table:
    """One row per k: prompt tokens per request, answer tokens, latency, accuracy.

    Tokens are counted on every ticket of ``split`` (the mean, and the shortest and longest
    request: ``prompt_tokens_min`` / ``_max``); latency is timed on ``n_latency``
    tickets (a seeded balanced subset) sent one by one; accuracy is the shared k-shot
    evaluation (``measure.evaluate``: default strategy and order, the same prompt).
    Everything is kept in the results store (kinds "c3-request-cost" and "evaluation"), so a
    rerun is instant and later lessons can read it.
    """
    examples = list(task.split(split))
    timed = task.subset(split, n_latency, seed=seed)
    rows = []
    for k in ks:
        prompt = build_prompt(task, k=k, seed=seed)
        inputs = {
            "model": lm.name,
            "task": task.name,
            "prompt": prompt.key(),
            "split": split,
            "seed": seed,
            "n_latency": n_latency,
        }

        def measure(prompt: FewShotPrompt = prompt) -> dict[str, Any]:
            tokens = prompt_tokens(lm, prompt, examples)
            seconds = request_latencies(lm, prompt, timed)
            return {
                "prompt_tokens": float(np.mean(tokens)),
                "prompt_tokens_min": int(min(tokens)),
                "prompt_tokens_max": int(max(tokens)),
                "answer_tokens": answer_tokens(lm, prompt, task.labels),
                "latencies": seconds,
                **{f"latency_{k}": v for k, v in latency_summary(seconds).items()},
                "timed_at": time.strftime("%Y-%m-%d %H:%M:%S"),
            }

        measured = cached("c3-request-cost", inputs, measure)
        scored = evaluate(lm, task, prompt, split=split, seed=seed)
        rows.append(
            {
                "k": k,
                "prompt_tokens": measured["prompt_tokens"],
                "prompt_tokens_min": measured["prompt_tokens_min"],
                "prompt_tokens_max": measured["prompt_tokens_max"],
                "answer_tokens": measured["answer_tokens"],
                "latency_p50": measured["latency_p50"],
                "latency_p95": measured["latency_p95"],
                "accuracy": scored.accuracy,
            }
        )
    return Table(rows)


def price_requests(
    rows: Sequence[dict[str, Any]],
    assumptions: Assumptions | Prices | None = None,
    *,
    requests_per_month: float | None = None,
) -> Table:
    """``rows`` of ``tokens_per_k`` with money added: per request, per 1,000 requests, and per
    month at ``requests_per_month`` (default: the assumptions' high volume)."""
    a = as_assumptions(assumptions)
    p = a.prices
    if requests_per_month is None:
        requests_per_month = a.high_volume
    out = []
    for row in rows:
        per_request = costs.cost_per_request(row["prompt_tokens"], row["answer_tokens"], p)
        out.append(
            {
                **row,
                "cost_per_request": per_request,
                "cost_per_1k_requests": per_request * 1000,
                "cost_per_month": costs.monthly_cost(
                    requests_per_month, row["prompt_tokens"], row["answer_tokens"], p
                ),
            }
        )
    return Table(out)


def plot_tokens_per_k(
    rows: Sequence[dict[str, Any]], prices: Prices | Assumptions | None = None
) -> Any:
    """Two panels: tokens and cost per request against k; accuracy against k. Returns the Figure."""
    import matplotlib.pyplot as plt

    p = prices_of(prices)
    rows = price_requests(rows, p)
    ks = [r["k"] for r in rows]
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.6))
    left.plot(ks, [r["prompt_tokens"] for r in rows], "o-", color="tab:blue")
    left.set_xlabel("examples in the prompt (k)")
    left.set_ylabel("prompt tokens per request", color="tab:blue")
    money = left.twinx()
    money.plot(ks, [r["cost_per_request"] * 1e6 for r in rows], "s--", color="tab:red")
    money.set_ylabel(f"cost per 1M requests ({p.currency})", color="tab:red")
    left.set_xticks(ks)
    left.set_title("What each request sends, and costs")
    left.grid(alpha=0.3)
    right.plot(ks, [r["accuracy"] for r in rows], "o-", color="tab:green")
    right.set_xticks(ks)
    right.set_ylim(0, 1)
    right.set_xlabel("examples in the prompt (k)")
    right.set_ylabel("test accuracy")
    right.set_title("What the extra tokens buy")
    right.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def break_even_summary(
    prompt_tokens_in: float,
    tuned_tokens_in: float,
    tokens_out: float,
    train_seconds: float,
    assumptions: Assumptions | Prices | None = None,
    *,
    tuned_overhead_per_month: float = 0.0,
) -> dict[str, Any]:
    """Break-even of a fine-tune against a long prompt, from measured tokens and training time.

    The upfront cost is ``costs.fine_tune_upfront_cost`` (measured training time scaled
    to a real project, plus people's hours); hours, horizon and prices come from
    ``assumptions``. ``tuned_overhead_per_month`` is any fixed monthly cost of serving the
    tuned model (for example ``prices.deployment_per_month()`` for a dedicated GPU).
    Returns the upfront cost (an ``UpfrontCost``), the cost per request of each approach,
    the break-even volume (requests per month, None if fine-tuning never pays back) and
    which approach is cheaper at a tenth and at ten times that volume.
    """
    a = as_assumptions(assumptions)
    p, horizon_months = a.prices, a.horizon_months
    upfront = costs.fine_tune_upfront_cost(train_seconds, a)
    args = (prompt_tokens_in, tuned_tokens_in, tokens_out, upfront, p)
    extra = {
        "horizon_months": horizon_months,
        "tuned_serving_overhead_per_month": tuned_overhead_per_month,
    }
    volume = costs.break_even_requests(*args, **extra)
    summary: dict[str, Any] = {
        "upfront": upfront,
        "cost_per_request_prompt": costs.cost_per_request(prompt_tokens_in, tokens_out, p),
        "cost_per_request_tuned": costs.cost_per_request(
            tuned_tokens_in, tokens_out, p, tuned=True
        ),
        "break_even": volume,
        "horizon_months": horizon_months,
        "tuned_overhead_per_month": tuned_overhead_per_month,
        "cheaper_below": None,
        "cheaper_above": None,
    }
    if volume is not None and volume > 0:
        below, above = costs.cost_vs_volume([volume / 10, volume * 10], *args, **extra)
        summary["cheaper_below"] = below["cheaper"]
        summary["cheaper_above"] = above["cheaper"]
    return summary
