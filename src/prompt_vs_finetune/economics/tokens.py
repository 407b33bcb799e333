"""What a richer prompt costs on every request, and when a fine-tune pays that back.

Lesson 02 measures, for the same tickets, what a k-shot prompt sends to the model (its
prompt tokens, counted by the tokenizer), how long one request takes (timed here), and
how accurate it is (``kshot.kshot_eval``, the k-shot evaluation every lesson shares),
then prices the tokens with ``costs.Prices``, whose prices are assumptions to edit.

- ``request_latencies``: seconds per request when each request is sent on its own, the
  whole prompt processed every time (no cache shared between requests), as an API would.
- ``tokens_per_k``: one row per k (tokens, answer tokens, latency, accuracy), measured
  once and kept in the results store; ``price_requests`` adds the money columns.
- ``break_even_summary``: the fine-tune break-even from measured token counts and a
  measured training time.
- ``verdict_for_c3`` and ``verdict_for_c4``: the rules that turn the numbers into verdicts.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from typing import Any

import numpy as np

from prompt_vs_finetune.economics import costs
from prompt_vs_finetune.measure.kshot import kshot_eval
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
    "verdict_for_c3",
    "verdict_for_c4",
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

    Tokens are counted on every ticket of ``split``; latency is timed on ``n_latency``
    tickets (a seeded balanced subset) sent one by one; accuracy is the shared k-shot
    evaluation (``kshot.kshot_eval``: default strategy and order, the same prompt).
    Everything is kept in the results store (kinds "c3-request-cost" and "kshot"), so a
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
        scored = kshot_eval(lm, task, k, split=split, seed=seed)
        rows.append(
            {
                "k": k,
                "prompt_tokens": measured["prompt_tokens"],
                "answer_tokens": measured["answer_tokens"],
                "latency_p50": measured["latency_p50"],
                "latency_p95": measured["latency_p95"],
                "accuracy": scored["accuracy"],
            }
        )
    return Table(rows)


def price_requests(
    rows: Sequence[dict[str, Any]],
    prices: costs.Prices | None = None,
    *,
    requests_per_month: float = 1_000_000,
) -> Table:
    """``rows`` of ``tokens_per_k`` with money added: per request, per 1,000 requests, and per
    month at ``requests_per_month``."""
    p = costs._prices(prices)
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


def plot_tokens_per_k(rows: Sequence[dict[str, Any]], prices: costs.Prices | None = None):
    """Two panels: tokens and cost per request against k; accuracy against k. Returns the Figure."""
    import matplotlib.pyplot as plt

    p = costs._prices(prices)
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


def verdict_for_c3(rows: Sequence[dict[str, Any]]) -> tuple[str, str]:
    """Verdict on C3 from ``tokens_per_k`` rows (sorted by k).

    "supported" when prompt tokens grow with every added example (so, at a price per
    token, does the cost of every request); "partly" when they grow overall but not at
    every step; "not at this scale" when the richest prompt is not longer than the bare one.
    """
    rows = sorted(rows, key=lambda r: r["k"])
    tokens = [r["prompt_tokens"] for r in rows]
    lat = [r["latency_p50"] for r in rows]
    ratio = tokens[-1] / tokens[0] if tokens[0] else math.inf
    lat_ratio = lat[-1] / lat[0] if lat[0] else math.inf
    text = (
        f"{rows[-1]['k']}-shot sends {tokens[-1]:.0f} prompt tokens per request vs "
        f"{tokens[0]:.0f} at {rows[0]['k']}-shot ({ratio:.1f}x, so {ratio:.1f}x the input "
        f"cost); median latency {lat[-1] * 1000:.0f} ms vs {lat[0] * 1000:.0f} ms "
        f"({lat_ratio:.1f}x)."
    )
    if all(b > a for a, b in zip(tokens, tokens[1:], strict=False)):
        return "supported", text
    if tokens[-1] > tokens[0]:
        return "partly", text
    return "not at this scale", text


def break_even_summary(
    prompt_tokens_in: float,
    tuned_tokens_in: float,
    tokens_out: float,
    train_seconds: float,
    prices: costs.Prices | None = None,
    *,
    engineer_hours: float = 40.0,
    data_prep_hours: float = 80.0,
    horizon_months: float = 12.0,
    tuned_overhead_per_month: float = 0.0,
) -> dict[str, Any]:
    """Break-even of a fine-tune against a long prompt, from measured tokens and training time.

    The upfront cost is ``costs.fine_tune_upfront_cost`` (measured training time scaled
    to a real project, plus people's hours; every factor an editable assumption).
    ``tuned_overhead_per_month`` is any fixed monthly cost of serving the tuned model (for
    example ``prices.deployment_per_month()`` for a dedicated GPU). Returns
    the upfront cost (an ``UpfrontCost``), the cost per request of each approach, the
    break-even volume (requests per month, None if fine-tuning never pays back) and which
    approach is cheaper at a tenth and at ten times that volume.
    """
    p = costs._prices(prices)
    upfront = costs.fine_tune_upfront_cost(train_seconds, engineer_hours, p, data_prep_hours)
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


def verdict_for_c4(summary: dict[str, Any]) -> tuple[str, str]:
    """Verdict on C4 from ``break_even_summary``.

    Front-loaded: fine-tuning costs money before the first request (upfront > 0) and
    less per request afterwards. Depends on volume: at a tenth of the break-even volume
    prompting is cheaper over the horizon, at ten times it fine-tuning is. "supported"
    when both hold; "partly" when only the front-loading holds (for example when a tuned
    request is not cheaper, so there is no break-even); "not at this scale" otherwise.
    """
    upfront = float(summary["upfront"])
    cheaper_per_request = summary["cost_per_request_tuned"] < summary["cost_per_request_prompt"]
    front_loaded = upfront > 0 and cheaper_per_request
    flips = summary["cheaper_below"] == "prompting" and summary["cheaper_above"] == "fine-tuning"
    volume = summary["break_even"]
    where = "no break-even" if volume is None else f"break-even at {volume:,.0f} requests/month"
    text = (
        f"upfront {upfront:,.0f}; per request {summary['cost_per_request_prompt']:.6f} "
        f"(prompt) vs {summary['cost_per_request_tuned']:.6f} (tuned); {where} over "
        f"{summary['horizon_months']:g} months"
        + (
            f"; cheaper at a tenth of it: {summary['cheaper_below']}, at ten times: "
            f"{summary['cheaper_above']}."
            if volume is not None
            else "."
        )
    )
    if front_loaded and flips:
        return "supported", text
    if upfront > 0:
        return "partly", text
    return "not at this scale", text
