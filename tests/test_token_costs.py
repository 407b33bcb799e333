"""Token costs (lesson 02, C3 and C4): measured rows, prices, break-even."""

from __future__ import annotations

import dataclasses
import math

import pytest

from prompt_vs_finetune.data import load_tickets
from prompt_vs_finetune.economics import costs
from prompt_vs_finetune.economics.assumptions import Prices
from prompt_vs_finetune.economics.tokens import (
    answer_tokens,
    break_even_summary,
    plot_tokens_per_k,
    price_requests,
    request_latencies,
    tokens_per_k,
)
from prompt_vs_finetune.prompting.fewshot import build_prompt
from prompt_vs_finetune.store.results import ResultsStore


@pytest.fixture(scope="module")
def task():
    return load_tickets("category")


def test_answer_tokens_counts_label_and_end(tiny_lm, task):
    prompt = build_prompt(task, k=0)
    n = answer_tokens(tiny_lm, prompt, ["billing"])
    assert n == len(tiny_lm.tokenizer(" billing<|im_end|>", add_special_tokens=False)["input_ids"])


def test_request_latencies_one_per_example(tiny_lm, task):
    seconds = request_latencies(tiny_lm, build_prompt(task, k=1), task.test[:2])
    assert len(seconds) == 2 and all(s > 0 for s in seconds)


def test_tokens_per_k_grow_and_are_cached(tiny_lm, task, tmp_cache):
    small = dataclasses.replace(task, test=task.test[:6])
    rows = tokens_per_k(tiny_lm, small, ks=(0, 2), n_latency=2)
    assert [r["k"] for r in rows] == [0, 2]
    assert rows[1]["prompt_tokens"] > rows[0]["prompt_tokens"]
    assert rows[0]["prompt_tokens_min"] <= rows[0]["prompt_tokens"] <= rows[0]["prompt_tokens_max"]
    kinds = {e["kind"] for e in ResultsStore().entries()}
    assert kinds == {"c3-request-cost", "evaluation"}
    again = tokens_per_k(tiny_lm, small, ks=(0, 2), n_latency=2)
    assert again == rows  # from the store: same numbers


ROWS = [
    {"k": 0, "prompt_tokens": 60.0, "answer_tokens": 2.0, "latency_p50": 0.05, "accuracy": 0.3},
    {"k": 4, "prompt_tokens": 300.0, "answer_tokens": 2.0, "latency_p50": 0.09, "accuracy": 0.5},
    {"k": 8, "prompt_tokens": 560.0, "answer_tokens": 2.0, "latency_p50": 0.15, "accuracy": 0.6},
]


def test_price_requests_matches_costs():
    prices = Prices(input_per_1k=0.001, output_per_1k=0.002)
    priced = price_requests(ROWS, prices, requests_per_month=1000)
    assert math.isclose(priced[0]["cost_per_request"], 0.06 * 0.001 + 0.002 * 0.002)
    assert math.isclose(priced[2]["cost_per_month"], 1000 * priced[2]["cost_per_request"])
    assert math.isclose(priced[1]["cost_per_1k_requests"], 1000 * priced[1]["cost_per_request"])


def test_plot_tokens_per_k():
    fig = plot_tokens_per_k(ROWS)
    assert len(fig.axes) == 3  # tokens, its twin (money), accuracy
    import matplotlib.pyplot as plt

    plt.close(fig)


def test_break_even_summary():
    s = break_even_summary(560, 60, 2, train_seconds=90)
    upfront = costs.fine_tune_upfront_cost(90)  # 40 + 80 people hours, default prices
    assert math.isclose(float(s["upfront"]), upfront.total)
    expected = costs.break_even_requests(560, 60, 2, upfront)
    assert math.isclose(s["break_even"], expected)
    assert s["cheaper_below"] == "prompting" and s["cheaper_above"] == "fine-tuning"
    assert break_even_summary(60, 60, 2, train_seconds=90)["break_even"] is None


def test_break_even_rises_with_serving_overhead():
    plain = break_even_summary(560, 60, 2, train_seconds=90)
    hosted = break_even_summary(560, 60, 2, train_seconds=90, tuned_overhead_per_month=1825.0)
    assert hosted["break_even"] > plain["break_even"]
    assert hosted["cheaper_below"] == "prompting" and hosted["cheaper_above"] == "fine-tuning"
