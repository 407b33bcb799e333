"""The rules of the sampled claims C1, C5-C7 and C9-C15: paired comparisons decide."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from prompt_vs_finetune.claims import judge
from prompt_vs_finetune.claims.evidence import verdict_of
from prompt_vs_finetune.claims.verdict import Verdict
from prompt_vs_finetune.prompting.variants import C1_VARIANTS
from prompt_vs_finetune.ui.tables import Table

N = 100


def ev(right: int, n: int = N, *, offset: int = 0):
    """A fake Evaluation: items offset..offset+right-1 (mod n) right, the rest wrong."""
    rights = {(offset + i) % n for i in range(right)}
    return SimpleNamespace(ids=[f"t{i}" for i in range(n)], gold=["a"] * n,
                           predictions=["a" if i in rights else "b" for i in range(n)])  # fmt: skip


def variant_rows(valid: list[int], right: list[int], n: int = 40) -> list[dict]:
    rows = []
    for v, nv, nr in zip(C1_VARIANTS, valid, right, strict=True):
        rows.append({"variant": v.name, "accuracy": nr / n, "format_validity": nv / n,
                     "valid": [i < nv for i in range(n)], "gold": ["a"] * n,
                     "predicted": ["a" if i < nr else "b" for i in range(n)]})  # fmt: skip
    return rows


def test_c9_rivals_only_when_the_interval_clears_the_margin():
    assert judge("C9", ev(70), ev(70)).status == "supported"  # identical answers: diff 0
    assert judge("C9", ev(30), ev(80)).status == "contradicted"
    close = judge("C9", ev(60, offset=50), ev(66))
    assert close.status == "inconclusive" and "items would settle it" in close.sentence
    assert close.n == N and close.interval[0] < -0.05 < close.interval[1]


def test_c9_refuses_evaluations_of_different_items():
    other = ev(60)
    other.ids = list(reversed(other.ids))
    with pytest.raises(ValueError, match="same items"):
        judge("C9", other, ev(60))


def test_c1_needs_both_paired_gains():
    assert judge("C1", variant_rows([0, 0, 35, 36], [1, 3, 10, 30])).status == "supported"
    flat = judge("C1", variant_rows([0, 0, 35, 36], [1, 3, 10, 11]), chance=1 / 6)
    assert flat.status == "inconclusive" and "guessing gives 17%" in flat.sentence
    assert judge("C1", variant_rows([30, 2, 3, 36], [1, 3, 30, 5])).status == "contradicted"


def test_c10_and_c13_say_not_at_this_scale_only_after_a_recipe_search():
    base, rules, flat = ev(17), ev(17), ev(15)
    assert judge("C10", base, rules, flat).status in ("inconclusive", "contradicted")
    searched = judge("C10", base, rules, flat, recipe_search=[{"steps": 40}, {"steps": 200}])
    assert searched.status == "not at this scale" and "2 tried" in searched.sentence
    assert judge("C10", ev(15), ev(20), ev(80)).status == "supported"
    assert judge("C13", ev(10), ev(30), ev(70), ev(90)).status == "supported"
    assert judge("C13", ev(17), ev(19), ev(14), ev(15), recipe_search=[{}]).status == (
        "not at this scale"
    )


def test_not_at_this_scale_without_a_search_is_refused():
    with pytest.raises(ValueError, match="recipe search"):
        Verdict("C10", "not at this scale", "x", {}, "the fine-tune did not learn")


def test_c11_pairs_per_ticket_agreement():
    steady = {"samples": [["a"] * 5] * 24, "n_samples": 5, "temperature": 1.0}
    shaky = {"samples": [["a", "b", "c", "a", "d"]] * 24, "n_samples": 5, "temperature": 1.0}
    assert judge("C11", shaky, steady).status == "supported"
    assert judge("C11", steady, shaky).status == "contradicted"


def test_c12_needs_fewer_tokens_and_faster_requests():
    prompt = {"mean_tokens": 500.0, "seconds": [0.5 + i / 1000 for i in range(30)], "p50": 0.5}
    tuned = {"mean_tokens": 80.0, "seconds": [0.2 + i / 1000 for i in range(30)], "p50": 0.2}
    assert judge("C12", prompt, tuned).status == "supported"
    assert judge("C12", tuned, prompt).status == "contradicted"


def test_c14_pairs_the_compressed_prompt_with_the_full_one():
    rows = Table([{"prompt": "short", "tokens": 50.0, "accuracy": 0.6},
                  {"prompt": "full", "tokens": 500.0, "accuracy": 0.6}])  # fmt: skip
    rows.results = {"short": ev(60), "full": ev(60)}
    verdict = judge("C14", rows, "full")
    assert verdict.status == "supported" and "'short'" in verdict.sentence
    rows.results["short"] = ev(60, offset=30)  # same accuracy, other tickets right
    assert judge("C14", rows, "full").status == "inconclusive"


def test_c15_judges_the_share_kept_and_the_cascade_accuracy():
    n = 40
    conf = [[0.0, -9.0]] * 30 + [[0.0, 0.0]] * 10  # 30 sure, 10 unsure
    cascade = {"cheap_logprobs": conf, "cheap_preds": ["a"] * 30 + ["b"] * 10,
               "strong_preds": ["a"] * n, "gold": ["a"] * n, "cost_cheap": 1.0,
               "cost_strong": 10.0}  # fmt: skip
    from prompt_vs_finetune.hybrid.cascade import cascade_sweep

    sweep = cascade_sweep(thresholds=[0.0, 0.7, 1.0], **cascade)
    verdict = judge("C15", sweep, cascade)
    assert verdict.status == "supported"  # 30 of 40 kept, the 10 unsure ones fixed
    assert verdict.numbers["chosen"]["threshold"] == 0.7
    few_sure = dict(cascade, cheap_logprobs=[[0.0, -9.0]] * 22 + [[0.0, 0.0]] * 18,
                    cheap_preds=["a"] * 22 + ["b"] * 18)  # fmt: skip
    sweep = cascade_sweep(thresholds=[0.0, 0.7, 1.0], **few_sure)
    assert judge("C15", sweep, few_sure).status == "inconclusive"  # 22 of 40 kept
    assert "80% lies inside" in verdict.sentence  # 30 of 40 kept: [0.60, 0.86]


def test_the_waterfall_split_is_set_beside_the_guides_80_percent():
    from prompt_vs_finetune.claims.rules_lessons_06_07 import waterfall_split
    from prompt_vs_finetune.measure.intervals import rate

    assert "80% lies inside" in waterfall_split(rate(30, 40))
    assert "80% lies above it" in waterfall_split(rate(20, 40))
    assert "80% lies below it" in waterfall_split(rate(39, 40))


def test_c5_c6_c7_combine_computed_and_paired_parts():
    rollback = {"good_accuracy": 0.6, "bad_accuracy": 0.2, "restored_accuracy": 0.6,
                "rollback_seconds": 2.0, "restored_identical": True}  # fmt: skip
    wrecked = [2.0, 3.0, 9.0, 12.0, 11.0, 12.0, 13.0, 12.0, 14.0, 13.0]
    assert judge("C5", wrecked, ev(50), ev(15), rollback, 80).status == "supported"
    assert judge("C5", wrecked, ev(50), ev(50), rollback, 80).status == "inconclusive"
    summary = {"kept": 29, "forgotten": 1, "learned": 0, "n": 30, "accuracy_before": 1.0,
               "accuracy_after": 29 / 30, "forgotten_questions": [],
               "mean_p_gold_change": 0.0}  # fmt: skip
    assert judge("C6", summary).status == "inconclusive"
    assert judge("C6", dict(summary, kept=10, forgotten=20)).status == "supported"
    assert judge("C7", 3.0, 60.0, 3, 3).status == "supported"
    assert judge("C7", 30.0, 60.0, 3, 3).status == "contradicted"


def test_verdict_of_needs_parts():
    with pytest.raises(ValueError, match="at least one"):
        verdict_of("C9", [])
