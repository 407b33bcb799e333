"""The rules of claims C1-C19: the same status and sentence as the verdicts the lessons
recorded before the registry, on the cases of the old tests."""

from __future__ import annotations

import pytest

from prompt_vs_finetune.claims import judge
from prompt_vs_finetune.claims.rules_lessons_08_11 import EVIDENCE_FOR_C19
from prompt_vs_finetune.economics import roi_inputs
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


def technique(name, json_valid, schema_valid, field_accuracy=0.5):
    return {"technique": name, "json_valid": json_valid, "schema_valid": schema_valid,
            "field_accuracy": field_accuracy}  # fmt: skip


TOKENS = [
    {"k": 0, "prompt_tokens": 60.0, "latency_p50": 0.05},
    {"k": 4, "prompt_tokens": 300.0, "latency_p50": 0.09},
    {"k": 8, "prompt_tokens": 560.0, "latency_p50": 0.15},
]
BREAK_EVEN = {"upfront": 12015.625, "cost_per_request_prompt": 0.000283,
              "cost_per_request_tuned": 0.000033, "break_even": 4005208.3333333326,
              "horizon_months": 12.0, "tuned_overhead_per_month": 0.0,
              "cheaper_below": "prompting", "cheaper_above": "fine-tuning"}  # fmt: skip
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
SCALING = {"prompt_tokens_in": 510.0, "tuned_tokens_in": 79.0, "tokens_out": 2.0,
           "train_seconds": 90.0, "prompt_update_seconds": 0.004,
           "adapter_bytes": {"category": 3_700_000, "queue": 3_700_000, "priority": 3_800_000},
           "full_model_bytes": 538_000_000}  # fmt: skip
VERSIONS = {"names": ["v1", "v2", "v3", "v4", "v5"], "changes": ["a", "b", "c", "d", "e"],
            "accuracies": [0.30, 0.55, 0.62, 0.63, 0.63],
            "tokens": [60.0, 80.0, 200.0, 500.0, 900.0],
            "tuned_accuracy": 0.85, "tuned_tokens": 79.0, "split": "dev", "n": 60}  # fmt: skip
AGREE = [{"agrees": True}] * 10, [{"agrees": True}] * 4


def roi(**change):
    return roi_inputs.roi_inputs({"tokens_out": 2.0, "train_seconds": 90.0}, {**VERSIONS, **change})


# (claim, arguments, options, status, sentence): sentences as the lessons recorded them
SAME_AS_BEFORE = [
    ("C1", [c1_rows([0.1, 0.2, 0.3, 0.5], [0.0, 0.2, 0.9, 0.9])], {"chance": 1 / 6}, "supported",
     "wording matters (largest spread 90%); a format instruction helps (validity +90% over the "
     "bare question); step by step helps (accuracy +20% over one step); accuracy ranges from 10% "
     "to 50% (guessing gives 17%)."),
    ("C1", [c1_rows([0.1, 0.2, 0.3, 0.3], [0.0, 0.2, 0.9, 0.9])], {}, "partly",
     "wording matters (largest spread 90%); a format instruction helps (validity +90% over the "
     "bare question); step by step does not help (accuracy +0% over one step); accuracy ranges "
     "from 10% to 30%."),
    ("C2", [{"prompted_total": 0.0, "prompted_changed": 0.0, "tuned_total": 12.5,
             "tuned_changed": 0.0123, "n_params": 134515008}], {}, "supported",
     "after prompting, 0% of the 134,515,008 weights differ (total change 0); after the "
     "fine-tune, 1.23% differ (total change 12.5)."),
    ("C3", [TOKENS], {}, "supported",
     "8-shot sends 560 prompt tokens per request vs 60 at 0-shot (9.3x, so 9.3x the input cost); "
     "median latency 150 ms vs 50 ms (3.0x)."),
    ("C4", [BREAK_EVEN], {}, "supported",
     "upfront 12,016; per request 0.000283 (prompt) vs 0.000033 (tuned); break-even at 4,005,208 "
     "requests/month over 12 months; cheaper at a tenth of it: prompting, at ten times: "
     "fine-tuning."),
    ("C5", [WRECKED, 0.5, 0.15, ROLLBACK, 80], {}, "supported",
     "wrecked fine-tune: loss diverged, accuracy 50% -> 15%; bad prompt: accuracy 60% -> 20%, "
     "back to 60% in 2.0 s vs 80 s to retrain (40x)."),
    ("C6", [probe_summary(0, -0.01), probe_summary(20, -0.6)], {}, "partly",
     "careful fine-tune forgot 0 of 30 probe answers it knew (mean p_gold -0.010); wrecked "
     "fine-tune forgot 20 (probe accuracy 100% -> 33%)."),
    ("C7", [3.0, 60.0, 3, 3], {}, "partly",
     "the prompting loop is cheaper and has fewer knobs (one prompt turn 3.0 s vs one training "
     "turn 60.0 s (20x); knobs 1 vs 10; run diagnoses right 3/3); how fast people learn each "
     "skill was not measured"),
    ("C8", [[technique("plain", 0.2, 0.0, 0.1), technique("prefill", 1.0, 0.9)]], {}, "supported",
     "prompting alone reached reliable JSON (best technique 'prefill': JSON valid 100%, schema "
     "valid 90%, mean field accuracy 50%)"),
    ("C9", [0.74, 0.82], {}, "partly",
     "few-shot prompting came close but not within 0.05: best few-shot 0.740 vs fine-tuned 0.820 "
     "(gap +0.080)"),
    ("C10", [0.15, 0.30, 0.80], {}, "supported",
     "the fine-tune learned routing that neither the base model nor the rules in the prompt "
     "delivered: base 0.150, best prompt with the rules 0.300, fine-tuned 0.800"),
    ("C11", [0.7, 0.9], {}, "supported",
     "the fine-tuned model answers more consistently: agreement prompted 0.70 vs fine-tuned 0.90 "
     "(+0.20)"),
    ("C12", [600, 80, 0.30, 0.10], {}, "supported",
     "shorter input, faster answer: 600 vs 80 prompt tokens (7.5x), median 300 vs 100 ms (3.00x "
     "faster)"),
    ("C13", [0.1, 0.3, 0.7, 0.8], {}, "supported",
     "the combination beats the fine-tune alone by +0.100: neither 0.100, prompt only 0.300, "
     "fine-tune only 0.700, both 0.800"),
    ("C14", [ABLATION, "full"], {}, "supported",
     "a much shorter prompt kept the accuracy: full prompt 500 tokens, accuracy 0.600; 'b' 100 "
     "tokens, accuracy 0.600 (5.0x fewer tokens)"),
    ("C15", [CASCADE], {}, "supported",
     "the cheap path handled most requests: threshold 0.70: 50% escalated, accuracy 1.000 (cheap "
     "path alone 0.500, costly path alone 1.000); cost 380 per request, 600 for the costly path "
     "alone"),
    ("C16", [[0.3, 0.5, 0.6, 0.65, 0.66, 0.66, 0.67]], {"held_out_gain": 0.1}, "supported",
     "the early edits brought most of the improvement (first 3 edits: +0.350; last 3 edits: "
     "+0.020; best over first version: +0.370; on held-out tickets: +0.100)"),
    ("C17", [SCALING], {}, "supported",
     "a prompted request sends 6.5x the tokens of a fine-tuned one, so its bill grows 6.1x as "
     "steeply with volume; fine-tuning breaks even at 4,646,413 requests/month over 12 months; a "
     "LoRA adapter is 0.69% of a full model copy, and at 50 use cases full copies cost 50x as "
     "much a month as one base plus adapters."),
    ("C19", [*AGREE, {"C4": "supported", "C16": "partly", "C18": "supported"}], {}, "partly",
     "the decision tool agrees with 10/10 case studies and 4/4 probing questions; evidence: C4 "
     "supported, C16 partly, C18 supported."),
]  # fmt: skip


@pytest.mark.parametrize(("claim", "args", "options", "status", "sentence"), SAME_AS_BEFORE)
def test_same_status_and_sentence_as_before(claim, args, options, status, sentence):
    verdict = judge(claim, *args, **options)
    assert (verdict.claim, verdict.status, verdict.sentence) == (claim, status, sentence)
    assert verdict.effect and isinstance(verdict.numbers, dict)


def test_c18_same_as_before():
    verdict = judge("C18", roi())
    assert verdict.status == "supported" and verdict.sentence == (
        "at 1,000,000 requests/month prompting pays back by month 1 and half its 5 versions "
        "reach 97% of the improvement; fine-tuning is at -12,016 after month 1 and overtakes "
        "prompting by month 3 (at 10,000/month: never); 4 of 4 parts hold."
    )
    assert verdict.numbers["prompting_pays_quickly"]
    worse = judge("C18", roi(tuned_accuracy=0.5))
    assert worse.status == "partly" and not worse.numbers["fine_tuning_wins_at_volume"]
    steady = {**roi(), "accuracy_prompt": [0.1, 0.2, 0.3, 0.4, 0.5], "accuracy_tuned": 0.2}
    assert judge("C18", steady).status == "partly"


# (claim, arguments, options, status): the other statuses each rule can give
STATUSES = [
    ("C1", [c1_rows([0.2, 0.2, 0.25, 0.2], [0.0, 0.1, 0.1, 0.1])], {}, "not at this scale"),
    ("C2", [{"prompted_total": 0.0, "prompted_changed": 0.0, "tuned_total": 0.0,
             "tuned_changed": 0.0, "n_params": 10}], {}, "partly"),
    ("C2", [{"prompted_total": 1.0, "prompted_changed": 0.1, "tuned_total": 0.0,
             "tuned_changed": 0.0, "n_params": 10}], {}, "not at this scale"),
    ("C3", [[dict(r, prompt_tokens=100.0) for r in TOKENS]], {}, "not at this scale"),
    ("C3", [[TOKENS[0], dict(TOKENS[1], prompt_tokens=700.0), TOKENS[2]]], {}, "partly"),
    ("C4", [{**BREAK_EVEN, "cost_per_request_tuned": 0.000283, "break_even": None,
             "cheaper_below": None, "cheaper_above": None}], {}, "partly"),
    ("C5", [WRECKED, 0.5, 0.45, ROLLBACK, 80], {}, "partly"),
    ("C5", [sorted(WRECKED, reverse=True), 0.5, 0.45, dict(ROLLBACK, rollback_seconds=40.0), 80],
     {}, "not at this scale"),
    ("C6", [probe_summary(2, -0.1)], {}, "supported"),
    ("C6", [probe_summary(0, -0.08)], {}, "partly"),
    ("C6", [probe_summary(0, 0.0), probe_summary(0, 0.0)], {}, "not at this scale"),
    ("C7", [30.0, 60.0, 3, 3], {}, "not at this scale"),
    ("C8", [[technique("plain", 0.2, 0.0), technique("schema", 0.95, 0.5)]], {}, "partly"),
    ("C8", [[technique("plain", 0.1, 0.0), technique("schema", 0.3, 0.2)]], {},
     "not at this scale"),
    ("C9", [0.80, 0.82], {}, "supported"),
    ("C9", [0.85, 0.80], {}, "supported"),
    ("C9", [0.5, 0.9], {}, "not at this scale"),
    ("C10", [0.15, 0.78, 0.80], {}, "partly"),
    ("C10", [0.15, 0.30, 0.20], {}, "not at this scale"),
    ("C11", [0.88, 0.9], {}, "partly"),
    ("C11", [0.9, 0.85], {}, "not at this scale"),
    ("C12", [600, 80, 0.30, 0.28], {}, "partly"),
    ("C12", [600, 80, 0.30, 0.31], {}, "not at this scale"),
    ("C12", [80, 80, 0.30, 0.10], {}, "not at this scale"),
    ("C13", [0.1, 0.3, 0.7, 0.73], {}, "partly"),
    ("C13", [0.1, 0.3, 0.7, 0.5], {}, "not at this scale"),
    ("C13", [0.175, 0.188, 0.200, 0.244], {}, "not at this scale"),
    ("C14", [[{"prompt": "full", "tokens": 500, "accuracy": 0.6},
              {"prompt": "x", "tokens": 400, "accuracy": 0.59}], "full"], {}, "partly"),
    ("C14", [[{"prompt": "full", "tokens": 500, "accuracy": 0.6},
              {"prompt": "x", "tokens": 100, "accuracy": 0.3}], "full"], {}, "not at this scale"),
    ("C15", [CASCADE], {"max_share": 0.25}, "partly"),
    ("C15", [[dict(r, accuracy=0.5) for r in CASCADE]], {}, "not at this scale"),
    ("C16", [[0.3, 0.35, 0.4, 0.45, 0.5, 0.52, 0.53]], {}, "partly"),
    ("C16", [[0.3, 0.31, 0.32, 0.33, 0.4, 0.5, 0.6]], {}, "not at this scale"),
    ("C16", [[0.5, 0.4, 0.45, 0.5]], {}, "not at this scale"),
    ("C16", [[0.3, 0.5, 0.6, 0.65, 0.66, 0.66, 0.67]], {"held_out_gain": -0.01},
     "not at this scale"),
    ("C17", [{**SCALING, "adapter_bytes": {"x": 300_000_000}}], {}, "partly"),
    ("C17", [{**SCALING, "adapter_bytes": {"x": 300_000_000}, "tuned_tokens_in": 500.0}], {},
     "not at this scale"),
    ("C19", [*AGREE, dict.fromkeys(EVIDENCE_FOR_C19, "supported")], {}, "supported"),
    ("C19", [*AGREE, {}], {}, "partly"),
    ("C19", [[{"agrees": False}, *AGREE[0][1:]], AGREE[1],
             dict.fromkeys(EVIDENCE_FOR_C19, "supported")], {}, "not at this scale"),
]  # fmt: skip


@pytest.mark.parametrize(("claim", "args", "options", "status"), STATUSES)
def test_each_status(claim, args, options, status):
    assert judge(claim, *args, **options).status == status


def test_chosen_rows_are_in_the_numbers():
    assert judge("C14", ABLATION, "full").numbers["compressed"]["prompt"] == "b"
    assert judge("C15", CASCADE).numbers["chosen"]["threshold"] == 0.7
    assert judge("C15", [dict(r, accuracy=0.5) for r in CASCADE]).numbers["chosen"] is None


@pytest.mark.parametrize(
    ("claim", "args", "error"),
    [
        ("C1", [c1_rows([0.1, 0.2, 0.3, 0.5], [0, 0, 0, 0])[:2]], ValueError),
        ("C7", [0.0, 1.0, 1, 1], ValueError),
        ("C8", [[]], ValueError),
        ("C14", [ABLATION, "missing"], ValueError),
        ("C15", [CASCADE[:2]], ValueError),
        ("C16", [[0.3]], ValueError),
        ("C16", ["0.3, 0.4"], TypeError),
    ],
)
def test_rules_refuse_incomplete_measurements(claim, args, error):
    with pytest.raises(error):
        judge(claim, *args)


def test_c17_numbers_name_both_halves():
    numbers = judge("C17", SCALING).numbers
    assert numbers["vertical_half"] and numbers["horizontal_half"]
    assert numbers["token_ratio"] == pytest.approx(510 / 79)
