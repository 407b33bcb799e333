"""The rules of claims C8, C16 and C19 on known cases: each status they can give, and the
measurements they refuse. The computed claims (C2, C3, C4, C17, C18) are tested in
``test_claims_computed.py``, the other sampled claims in ``test_claims_sampled.py``."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from prompt_vs_finetune.claims import judge
from prompt_vs_finetune.claims.rules_lessons_08_11 import c16_versions
from prompt_vs_finetune.prompting.variants import C1_VARIANTS


def c1_rows(acc, val):
    return [
        {"variant": v.name, "accuracy": a, "format_validity": f, "n": 40}
        for v, a, f in zip(C1_VARIANTS, acc, val, strict=True)
    ]


def probe_summary(forgotten, drift):
    return {"kept": 30 - forgotten, "forgotten": forgotten, "learned": 0,
            "forgotten_questions": [], "accuracy_before": 1.0,
            "accuracy_after": 1 - forgotten / 30, "mean_p_gold_change": drift}  # fmt: skip


def technique(name, json_valid, schema_valid, field_accuracy=0.5, n=24):
    return {"technique": name, "json_valid": json_valid, "schema_valid": schema_valid,
            "field_accuracy": field_accuracy, "n": n}  # fmt: skip


ROLLBACK = {"good_accuracy": 0.6, "bad_accuracy": 0.2, "restored_accuracy": 0.6,
            "rollback_seconds": 2.0}  # fmt: skip
WRECKED = [2.0, 3.0, 9.0, 12.0, 11.0, 12.0, 13.0, 12.0, 14.0, 13.0]
ABLATION = [
    {"prompt": "a", "tokens": 50, "accuracy": 0.40},
    {"prompt": "b", "tokens": 100, "accuracy": 0.60},
    {"prompt": "c", "tokens": 120, "accuracy": 0.55},
    {"prompt": "d", "tokens": 400, "accuracy": 0.61},
    {"prompt": "full", "tokens": 500, "accuracy": 0.60},
]
CASCADE = [
    {"threshold": 0.0, "share_escalated": 0.0, "accuracy": 0.5, "cost_per_request": 80.0,
     "saving_vs_strong": 600.0},
    {"threshold": 0.7, "share_escalated": 0.5, "accuracy": 1.0, "cost_per_request": 380.0,
     "saving_vs_strong": 300.0},
    {"threshold": 1.0, "share_escalated": 1.0, "accuracy": 1.0, "cost_per_request": 680.0,
     "saving_vs_strong": 0.0},
]  # fmt: skip


# (claim, arguments, options, status, sentence): sentences as the lessons recorded them
# (claim, arguments, options, status): the other statuses each rule can give
STATUSES = [
    ("C8", [[technique("plain", 0.0, 0.0), technique("prefill", 1.0, 1.0, n=60)]], {},
     "supported"),  # 60/60: both lower ends clear their bars
    ("C8", [[technique("plain", 0.0, 0.0), technique("fewshot", 23 / 24, 21 / 24)]], {},
     "inconclusive"),  # 23/24 and 21/24: both intervals straddle their bars
    ("C8", [[technique("plain", 0.1, 0.0, n=60), technique("schema", 0.3, 0.2, n=60)]], {},
     "contradicted"),  # every technique lies below the bars
    ("C8", [[technique("schema", 1.0, 0.5, n=60)]], {}, "contradicted"),  # right JSON, bad keys
]  # fmt: skip


@pytest.mark.parametrize(("claim", "args", "options", "status"), STATUSES)
def test_each_status(claim, args, options, status):
    assert judge(claim, *args, **options).status == status


@pytest.mark.parametrize(
    ("claim", "args", "error"),
    [
        ("C1", [c1_rows([0.1, 0.2, 0.3, 0.5], [0, 0, 0, 0])[:2]], ValueError),
        ("C7", [0.0, 1.0, 1, 1], ValueError),
        ("C8", [[]], ValueError),
        ("C8", [[{"technique": "plain", "json_valid": 1.0, "schema_valid": 1.0}]], ValueError),
        ("C14", [ABLATION, "missing"], ValueError),
        ("C15", [CASCADE[:2], {}], ValueError),
    ],
)
def test_rules_refuse_incomplete_measurements(claim, args, error):
    with pytest.raises(error):
        judge(claim, *args)


# ---- C16: early gain on test items, late gain on dev items, both paired -----------------
def scored(correct, ids=None):
    """An Evaluation-like run: 1/0 per item, with its accuracy."""
    ids = ids or [f"t{i}" for i in range(len(correct))]
    return SimpleNamespace(ids=ids, gold=["a"] * len(correct), accuracy=sum(correct) / len(correct),
                           predictions=["a" if c else "b" for c in correct])  # fmt: skip


def c16_runs(first, kept, late_base, late_best):
    """Eight dev versions (v4 kept early, v5 kept before the late edits, v8 best late) and
    the test runs of v1 and v4."""
    filler = [1] * 15 + [0] * 45
    dev = [filler, filler, filler, [1] * 20 + [0] * 40, late_base, filler, filler, late_best]
    return [scored(d) for d in dev], {0: scored(first), 3: scored(kept)}


C16_CASES = [  # (first on test, kept on test, late base on dev, best late on dev), status
    ([1] * 60 + [0] * 100, [1] * 120 + [0] * 40, [1] * 40 + [0] * 20, [1] * 40 + [0] * 20,
     "supported"),
    ([1] * 120 + [0] * 40, [1] * 60 + [0] * 100, [1] * 40 + [0] * 20, [1] * 40 + [0] * 20,
     "contradicted"),  # the kept version is worse than the first on held-out items
    ([1] * 60 + [0] * 100, [1] * 70 + [0] * 90, [1] * 30 + [0] * 30, [1] * 55 + [0] * 5,
     "contradicted"),  # the late edits kept paying more than the early ones
    ([1] * 60 + [0] * 100, [0] * 8 + [1] * 64 + [0] * 88, [1] * 40 + [0] * 20,
     [1] * 40 + [0] * 20, "inconclusive"),
]  # fmt: skip


@pytest.mark.parametrize(("first", "kept", "base", "best", "status"), C16_CASES)
def test_c16_statuses(first, kept, base, best, status):
    dev, test = c16_runs(first, kept, base, best)
    verdict = judge("C16", dev, test)
    assert verdict.status == status
    assert verdict.interval[0] <= verdict.interval[1] and verdict.n == 160
    assert "McNemar exact" in verdict.test and "p=" in verdict.test
    assert verdict.numbers["versions"] == {"edits": 3, "first": 0, "kept_early": 3,
                                           "kept_before_late": 4, "best_late": 7}  # fmt: skip
    if status == "inconclusive":
        assert "test tickets would settle it" in verdict.sentence


def test_c16_versions_follow_what_is_kept():
    plan = c16_versions([0.5, 0.4, 0.65, 0.667, 0.7, 0.55, 0.5, 0.7])
    assert (plan["kept_early"], plan["kept_before_late"], plan["best_late"]) == (3, 4, 7)
    assert c16_versions([0.5, 0.4, 0.3])["kept_early"] == 0  # no early edit was kept


def test_c16_refuses_incomplete_measurements():
    dev, test = c16_runs(*C16_CASES[0][:4])
    with pytest.raises(ValueError, match="v4"):
        judge("C16", dev, {0: test[0]})
    with pytest.raises(ValueError, match="three"):
        judge("C16", dev[:2], test)
    with pytest.raises(TypeError):
        c16_versions("0.3, 0.4, 0.5")
    other = {0: test[0], 3: scored([1] * 160, ids=[f"x{i}" for i in range(160)])}
    with pytest.raises(ValueError, match="same items"):
        judge("C16", dev, other)


# ---- C19: the agreement of predictions with measured winners, against a constant guess ----
def cases(agree, winners):
    """``agree`` 1/0 per case; ``winners`` the measured winner per case."""
    pairs = zip(agree, winners, strict=True)
    return [{"task": "t", "agrees": bool(a), "winner": w} for a, w in pairs]


@pytest.mark.parametrize(
    ("agree", "winners", "status"),
    [
        ([1] * 23 + [0], ["prompting"] * 12 + ["fine-tuning"] * 12, "supported"),
        ([1] * 12 + [0] * 12, ["prompting"] * 22 + ["fine-tuning"] * 2, "contradicted"),
        ([1] * 20 + [0] * 4, ["prompting"] * 18 + ["fine-tuning"] * 6, "inconclusive"),
    ],
)
def test_c19_statuses(agree, winners, status):
    verdict = judge("C19", cases(agree, winners))
    assert verdict.status == status and verdict.n == 24
    low, high = verdict.interval
    assert low < verdict.effect < high
    assert verdict.test.startswith("exact binomial test against always prompting")
    if status == "inconclusive":
        assert "cases like these would settle it" in verdict.sentence


def test_c19_bar_is_the_best_constant_guess():
    numbers = judge("C19", cases([1] * 10, ["fine-tuning"] * 7 + ["prompting"] * 3)).numbers
    assert (numbers["constant_guess"], numbers["bar"]) == ("fine-tuning", 0.7)
    assert numbers["by_task"] == {"t": "10/10"}
    with pytest.raises(ValueError, match="at least one case"):
        judge("C19", [])


# ---- C8: Wilson intervals of the best technique's rates against the bars -----------------
def test_c8_sentence_gives_intervals_and_tickets_to_settle():
    verdict = judge("C8", [technique("plain", 0.0, 0.0), technique("fewshot", 23 / 24, 21 / 24)])
    assert verdict.sentence.startswith(
        "JSON valid, 'fewshot' (bar 0.90): +0.958 [+0.798, +0.993], Wilson 95% interval vs 0.90, "
        "n=24 -> inconclusive (about 102 items would settle it); schema valid, 'fewshot' "
        "(bar 0.80): +0.875 [+0.690, +0.957]"
    )
    assert verdict.n == 24 and verdict.numbers["best"] == "fewshot"
    assert verdict.interval[0] < 0.9 < verdict.interval[1]


def test_c8_n_from_failure_counts():
    row = {"technique": "fewshot", "json_valid": 1.0, "schema_valid": 1.0, "field_accuracy": 0.5,
           "failures": {"ok": 50, "wrong_value": 10}}  # fmt: skip
    assert judge("C8", [row]).n == 60
