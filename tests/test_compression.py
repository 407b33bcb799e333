"""compression: prompt ablation, frontier."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pytest

from prompt_vs_finetune.data import QUEUE_RULES, load_tickets
from prompt_vs_finetune.prompting.compression import (
    ablation_prompts,
    ablation_table,
    cheapest_keeping,
    pareto_frontier,
    plot_frontier,
    short_instruction,
)


def test_ablation_prompts_cover_every_combination():
    task = load_tickets("queue")
    prompts = ablation_prompts(task, ks=(0, 2), context=QUEUE_RULES)
    assert len(prompts) == 3 * 2 * 2
    spec, prompt = prompts["full instr + rules + 2 ex"]
    assert spec == {"instruction": "full", "rules": True, "k": 2}
    assert (
        prompt.context == QUEUE_RULES and prompt.k == 2 and prompt.instruction == task.instruction
    )
    spec, prompt = prompts["no instr + 0 ex"]
    assert prompt.instruction == "" and prompt.context is None
    assert prompts["short instr + 0 ex"][1].instruction == short_instruction(task)
    named = ablation_prompts(task, ks=(0,), context=QUEUE_RULES, context_name="guide")
    assert "full instr + guide + 0 ex" in named
    # without a context, there is no rules axis
    assert len(ablation_prompts(task, ks=(0,))) == 3
    with pytest.raises(ValueError):
        ablation_prompts(task, instructions=("long",))


ROWS = [
    {"prompt": "a", "tokens": 50, "accuracy": 0.40},
    {"prompt": "b", "tokens": 100, "accuracy": 0.60},
    {"prompt": "c", "tokens": 120, "accuracy": 0.55},  # dominated by b
    {"prompt": "d", "tokens": 400, "accuracy": 0.61},
    {"prompt": "full", "tokens": 500, "accuracy": 0.60},  # dominated by d
]


def test_pareto_frontier_by_hand():
    assert pareto_frontier(ROWS).column("prompt") == ["a", "b", "d"]


def test_cheapest_keeping():
    assert cheapest_keeping(ROWS, 0.60)["prompt"] == "b"
    assert cheapest_keeping(ROWS, 0.61, tolerance=0.0)["prompt"] == "d"
    assert cheapest_keeping(ROWS, 0.9) is None


def test_plot_frontier_marks_the_fine_tune():
    ax = plot_frontier(ROWS, tuned={"tokens": 60, "accuracy": 0.8}, highlight=["b"])
    assert len(ax.collections) == 2 and len(ax.texts) == 1


def test_ablation_table_scores_each_variant(tiny_lm, tmp_cache):
    task = load_tickets("category")
    prompts = ablation_prompts(task, instructions=("full", "none"), ks=(0, 1))
    table = ablation_table(tiny_lm, task, prompts, n=3)
    assert len(table) == 4 and set(table.columns) >= {
        "prompt",
        "instruction",
        "k",
        "tokens",
        "accuracy",
    }
    full0 = table.where(prompt="full instr + 0 ex")[0]
    none0 = table.where(prompt="no instr + 0 ex")[0]
    assert full0["tokens"] > none0["tokens"]
