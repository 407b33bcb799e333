"""latency_study: interleaved request timing, tokens per request."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

from prompt_vs_finetune.data import load_tickets
from prompt_vs_finetune.measure.latency import (
    latency_study,
    latency_table,
    plot_latency,
)
from prompt_vs_finetune.prompting.fewshot import build_prompt


def test_latency_study_counts_tokens_and_is_cached(tiny_lm, tmp_cache):
    task = load_tickets("category")
    conditions = {
        "4-shot": (tiny_lm, build_prompt(task, k=4)),
        "0-shot": (tiny_lm, build_prompt(task, k=0)),
    }
    study = latency_study(conditions, task.test[:3], max_new_tokens=1, warmup=1)
    assert study["_cached"] is False and study["n"] == 3
    long, short = study["conditions"]["4-shot"], study["conditions"]["0-shot"]
    assert len(long["seconds"]) == len(short["tokens_in"]) == 3
    assert all(a > b for a, b in zip(long["tokens_in"], short["tokens_in"], strict=True))
    assert long["p50"] > 0 and long["p95"] >= long["p50"]
    table = latency_table(study)
    assert table.column("condition") == ["4-shot", "0-shot"]
    assert latency_study(conditions, task.test[:3], max_new_tokens=1, warmup=1)["_cached"] is True
    ax = plot_latency(study)
    assert len(ax.collections) == 2
