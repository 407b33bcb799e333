"""Few-shot draws, the biases behind them, per-ticket examples and the best dev prompt."""

from __future__ import annotations

import pytest

from prompt_vs_finetune.data import load_tickets
from prompt_vs_finetune.measure import bias
from prompt_vs_finetune.measure.evaluate import KIND, evaluate
from prompt_vs_finetune.measure.sweeps import draw_summary, kshot_draws, plot_draws
from prompt_vs_finetune.prompting.best_prompt import (
    Technique,
    best_dev_prompt,
    choose,
    dev_study,
    study_summary,
)
from prompt_vs_finetune.prompting.neighbours import NearestPrompts, last_labels, prefix_cost
from prompt_vs_finetune.prompting.selection import similarities
from prompt_vs_finetune.store.results import ResultsStore
from prompt_vs_finetune.ui.tables import Table


@pytest.fixture(scope="module")
def task():
    return load_tickets("category")


def test_draws_share_queries_and_differ_in_examples(tiny_lm, tmp_cache, task):
    table = kshot_draws(tiny_lm, task, (0, 2), draws=3, n=6)
    assert [(r["k"], r["draw"]) for r in table] == [(0, 0), (2, 0), (2, 1), (2, 2)]
    assert len({tuple(e.ids) for e in table.results.values()}) == 1  # the same dev tickets
    assert len({table.prompts[(2, d)].key() for d in range(3)}) == 3
    assert all(r["low"] <= r["accuracy"] <= r["high"] for r in table)
    assert len(ResultsStore(verbose=False).entries(KIND)) == 4
    summary = draw_summary(table)
    assert summary.column("draws") == [1, 3]
    assert summary[1]["min"] <= summary[1]["mean"] <= summary[1]["max"]
    assert plot_draws(table, label="plain") is not None


def test_biases_of_a_draw(tiny_lm, tmp_cache, task):
    table = kshot_draws(tiny_lm, task, (0, 1), draws=2, n=6)
    rows = bias.draw_biases(tiny_lm, table)
    assert [r["k"] for r in rows] == [1, 1]
    for row in rows:
        result = table.results[(1, row["draw"])]
        assert row["copies_last"] == sum(p == row["last_label"] for p in result.predictions) / 6
        assert row["top_is_prior"] == (row["top_label"] == row["prior_label"])
    summary = bias.bias_summary(rows)
    assert summary[0]["draws"] == 2 and summary[0]["top_is_prior"] == sum(
        r["top_is_prior"] for r in rows)
    assert summary[0]["copies_last"] == pytest.approx((rows[0]["copies_last"]
                                                       + rows[1]["copies_last"]) / 2)
    prior = bias.content_free(tiny_lm, table.prompts[(1, 0)])
    assert set(prior) == set(task.labels) and sum(prior.values()) == pytest.approx(1, abs=1e-3)


def test_copy_share_and_top_label():
    assert bias.copy_share(["a", "b", "a", "a"], ["a"] * 4).value == 0.75
    assert bias.top_label(["a", "b", "b"]) == ("b", pytest.approx(2 / 3))
    with pytest.raises(ValueError):
        bias.copy_share(["a"], ["a", "b"])


def test_nearest_prompts_put_the_most_similar_last(task):
    ticket = task.dev[0]
    prompt = NearestPrompts(task, k=3).for_query(ticket)
    close = similarities(task.train, ticket.text)
    index = {ex.id: i for i, ex in enumerate(task.train)}
    shown = [close[index[ex.id]] for ex in prompt.examples]
    assert shown == sorted(shown) and shown[-1] == max(close)
    assert last_labels(prompt, [ticket]) == [prompt.examples[-1].label]
    assert last_labels(NearestPrompts(task, k=3), [ticket]) == [prompt.examples[-1].label]
    with pytest.raises(ValueError):
        NearestPrompts(task, k=0)


def test_evaluate_scores_per_ticket_prompts(tiny_lm, tmp_cache, task):
    per_ticket = NearestPrompts(task, k=2)
    result = evaluate(tiny_lm, task, per_ticket, split="dev", n=4)
    assert result.n == 4 and result.k == 2 and result.prompt_key.startswith("per-query:")
    assert evaluate(tiny_lm, task, per_ticket, split="dev", n=4).cached
    queries = task.subset("dev", 4, seed=0)
    measured = zip(queries, result.tokens_per_request, result.logprobs, strict=True)
    for ex, tokens, logprobs in measured:
        one = evaluate(tiny_lm, task, per_ticket.for_query(ex), examples=[ex])
        assert one.tokens_per_request == [tokens]
        assert one.logprobs[0] == pytest.approx(logprobs, abs=1e-3)
    other = evaluate(tiny_lm, task, NearestPrompts(task, k=3), split="dev", n=4)
    assert other.prompt_key != result.prompt_key
    cost = prefix_cost(tiny_lm, task, k=2, n=4)
    assert cost[0]["tokens_run"] < cost[0]["tokens_sent"]
    assert cost[1]["tokens_run"] == cost[1]["tokens_sent"] == result.mean_tokens
    assert cost[2]["tokens_run"] == pytest.approx(cost[1]["tokens_run"] / cost[0]["tokens_run"])
    assert len(ResultsStore(verbose=False).entries("prefix-cost")) == 1
    assert prefix_cost(tiny_lm, task, k=2, n=4) == cost


def test_best_dev_prompt_is_chosen_on_dev_and_scored_on_test(tiny_lm, tmp_cache, task):
    techniques = (Technique("plain", (0, 2), "test", draws=2),
                  Technique("nearest per ticket", (1,), "test", per_ticket=True),
                  Technique("v3", (0,), "test", calibrate=True, version="v3"))  # fmt: skip
    study = dev_study(tiny_lm, task, techniques=techniques, n=6)
    summary = study_summary(study)
    assert [(r["technique"], r["k"]) for r in summary] == [
        ("plain", 0), ("plain", 2), ("nearest per ticket", 1), ("v3", 0)]
    assert study.results[("v3", 0, 0)].calibrated
    pick = choose(study)
    assert pick["dev_mean"] == max(summary.column("mean"))
    task_small = task.__class__(task.name, task.labels, task.instruction, task.train, task.dev,
                                task.test[:5])  # fmt: skip
    best = best_dev_prompt(tiny_lm, task_small, techniques=techniques, n=6)
    assert (best.technique, best.k, best.draw) == (pick["technique"], pick["k"], pick["draw"])
    assert best.test.split == "test" and best.test.n == 5 and best.dev_n == 6
    assert "test tickets" in str(best)


def test_choose_breaks_ties_on_tokens():
    rows = [{"technique": "a", "k": 0, "draw": 0, "accuracy": 0.5, "tokens_per_request": 80.0,
             "seconds": 1.0, "n": 10},
            {"technique": "b", "k": 4, "draw": 0, "accuracy": 0.5, "tokens_per_request": 300.0,
             "seconds": 1.0, "n": 10},
            {"technique": "b", "k": 4, "draw": 1, "accuracy": 0.5, "tokens_per_request": 300.0,
             "seconds": 1.0, "n": 10}]  # fmt: skip
    assert choose(Table(rows))["technique"] == "a"
