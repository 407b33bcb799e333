"""The queue recipe search: its rule for "learns the codes", its stored results, its table."""

from __future__ import annotations

import json

import pytest

from prompt_vs_finetune.finetune import search


def _row(value=0.70, diff=0.5, p=1e-6, **extra):
    return {
        "setting": "s",
        "budget": 200,
        "steps_run": 120,
        "best_step": 60,
        "seconds": 101.4,
        "dev": 0.66,
        "dev_curve": [[0, 0.1], [60, 0.66], [120, 0.6]],
        "losses": [1.0] * 120,
        "test": {"value": value, "low": value - 0.07, "high": value + 0.07, "n": 160},
        "diff": diff,
        "diff_low": diff - 0.1,
        "diff_high": diff + 0.1,
        "p_value": p,
        **extra,
    }


class Scored:
    """Just what ``correct_of`` reads from an Evaluation."""

    def __init__(self, right: int, n: int = 160):
        self.gold = ["a"] * n
        self.predictions = ["a"] * right + ["b"] * (n - right)


CATEGORY_RUN = Scored(114)  # 0.7125 [0.638, 0.777], the category fine-tune's test result


@pytest.mark.parametrize(
    ("base", "tuned", "learns"),
    [
        (Scored(28), Scored(109), True),  # 0.68: far above base, inside the interval
        (Scored(28), Scored(103), True),  # 0.644: just inside
        (Scored(28), Scored(102), False),  # 0.6375: just below the interval's 0.638
        (Scored(28), Scored(93), False),  # 0.58: above base, below the category interval
        (Scored(104), Scored(109), False),  # inside the interval, not better than base
        (Scored(28), Scored(128), False),  # 0.80: above the interval
    ],
)
def test_judge(base, tuned, learns):
    judged = search.judge(base, tuned, CATEGORY_RUN)
    assert judged["learns"] is learns
    assert judged["test"].value == tuned.predictions.count("a") / 160
    vs_base = judged["vs_base"]
    assert vs_base.difference == pytest.approx(judged["test"].value - vs_base.rate_a)
    assert round(judged["category"].low, 3) == 0.638


def test_stored_search_is_none_until_the_benchmark_ran(tmp_path):
    assert search.stored_search(tmp_path / "absent.json") is None
    path = tmp_path / "search.json"
    category = search.rate_dict(search.rate(114, 160))
    path.write_text(json.dumps({"rows": [_row(learns=True)], "category": category}))
    stored = search.stored_search(path)
    assert stored["rows"][0]["best_step"] == 60


def test_search_table_has_one_row_per_setting():
    stored = {"rows": [_row(learns=True), _row(value=0.3, p=0.3, learns=False)]}
    table = search.search_table(stored)
    rows = list(table)
    assert len(rows) == 2
    assert rows[0]["steps (best / run / budget)"] == "60 / 120 / 200"
    assert rows[0]["test acc [95% CI]"] == "0.700 [0.630, 0.770]"
    assert rows[1]["learns the codes"] is False and rows[0]["seconds"] == 101


def test_every_setting_is_a_queue_recipe():
    assert search.SEARCH["old course recipe: 40 steps"] == {}
    searched = {"start", "steps", "lr", "top_layers", "eval_every", "patience", "seed"}
    for options in search.SEARCH.values():
        assert set(options) <= searched


def test_search_curves_plot_like_runs():
    import matplotlib

    matplotlib.use("Agg")
    from prompt_vs_finetune.finetune.plots import plot_dev_accuracy

    curves = search.search_curves({"rows": [_row(setting="a"), _row(setting="b")]})
    assert list(curves) == ["a", "b"] and curves["a"].dev_accuracy == 0.66
    ax = plot_dev_accuracy(curves)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["a", "b"]
