"""The computed claims C2, C3, C4, C17 and C18: each checked at both ends of its inputs'
range (``status_over_range``), with known values for every status a rule can give."""

from __future__ import annotations

from dataclasses import replace

import pytest

from prompt_vs_finetune.claims import judge
from prompt_vs_finetune.economics import roi_inputs
from prompt_vs_finetune.economics.assumptions import TEAM, Prices
from prompt_vs_finetune.economics.presets import break_even_by_preset

WEIGHTS = {"prompted_total": 0.0, "prompted_changed": 0.0, "tuned_total": 12.5,
           "tuned_changed": 0.0123, "n_params": 134515008}  # fmt: skip
TOKENS = [
    {"k": 0, "prompt_tokens": 60.0, "prompt_tokens_min": 40, "prompt_tokens_max": 90,
     "latency_p50": 0.05},
    {"k": 4, "prompt_tokens": 300.0, "prompt_tokens_min": 280, "prompt_tokens_max": 330,
     "latency_p50": 0.09},
    {"k": 8, "prompt_tokens": 560.0, "prompt_tokens_min": 540, "prompt_tokens_max": 590,
     "latency_p50": 0.15},
]  # fmt: skip


def summary(break_even, upfront=12_000.0, low=1_000, high=100_000_000):
    cheaper = break_even is not None
    return {"upfront": upfront, "cost_per_request_prompt": 0.000283,
            "cost_per_request_tuned": 0.000033, "break_even": break_even,
            "horizon_months": 12.0, "tuned_overhead_per_month": 0.0,
            "cheaper_below": "prompting" if cheaper else None,
            "cheaper_above": "fine-tuning" if cheaper else None,
            "volume_range": (low, high)}  # fmt: skip


SCALING = {"prompt_tokens_in": 510.0, "tuned_tokens_in": 79.0, "tokens_out": 2.0,
           "train_seconds": 90.0, "prompt_update_seconds": 0.004,
           "adapter_bytes": {"category": 3_700_000, "queue": 3_700_000, "priority": 3_800_000},
           "full_model_bytes": 538_000_000}  # fmt: skip
VERSIONS = {"names": ["v1", "v2", "v3", "v4", "v5"], "changes": ["a", "b", "c", "d", "e"],
            "accuracies": [0.30, 0.55, 0.62, 0.63, 0.63],
            "tokens": [60.0, 80.0, 200.0, 500.0, 900.0],
            "tuned_accuracy": 0.85, "tuned_tokens": 79.0, "split": "dev", "n": 60}  # fmt: skip


def ends(**change):
    return roi_inputs.roi_ends({"tokens_out": 2.0, "train_seconds": 90.0}, {**VERSIONS, **change})


# (claim, arguments, status): every status each computed rule can give
CASES = [
    ("C2", [WEIGHTS], "supported"),
    ("C2", [{**WEIGHTS, "prompted_total": 1.0, "prompted_changed": 0.1}], "contradicted"),
    ("C2", [{**WEIGHTS, "tuned_total": 0.0, "tuned_changed": 0.0}], "contradicted"),
    ("C3", [TOKENS], "supported"),
    ("C3", [[TOKENS[0], dict(TOKENS[1], prompt_tokens_max=600), TOKENS[2]]], "inconclusive"),
    ("C3", [[dict(r, prompt_tokens_min=40, prompt_tokens_max=90) for r in TOKENS]],
     "contradicted"),
    ("C4", [{"cheap": summary(50_000), "dear": summary(4_000_000)}], "supported"),
    ("C4", [{"cheap": summary(10, upfront=0.03), "dear": summary(4_000_000)}], "inconclusive"),
    ("C4", [{"cheap": summary(None), "dear": summary(1e10)}], "contradicted"),
    ("C4", [break_even_by_preset(508, 77, 2, 870)], "inconclusive"),  # the course's numbers
    ("C17", [SCALING], "supported"),
    ("C17", [SCALING, {"a": TEAM, "b": replace(TEAM, prices=Prices(tuned_input_per_1k=0.01))}],
     "inconclusive"),
    ("C17", [{**SCALING, "adapter_bytes": {"x": 300_000_000}}], "contradicted"),
    ("C18", [ends(tuned_accuracy=0.95)], "supported"),
    ("C18", [ends()], "inconclusive"),
    ("C18", [ends(tuned_accuracy=0.2)], "contradicted"),
    ("C18", [ends(accuracies=[0.1, 0.2, 0.3, 0.4, 0.5], tuned_accuracy=0.95)], "contradicted"),
]  # fmt: skip


@pytest.mark.parametrize(("claim", "args", "status"), CASES)
def test_each_status(claim, args, status):
    verdict = judge(claim, *args)
    assert (verdict.claim, verdict.status) == (claim, status)
    assert verdict.test and verdict.effect and verdict.interval is None


def test_c2_names_its_one_point_range():
    verdict = judge("C2", WEIGHTS)
    assert verdict.sentence == (
        "after prompting, 0% of the 134,515,008 weights differ (total change 0); after the "
        "fine-tune, 1.23% differ (total change 12.5); both halves of the claim hold."
    )
    assert verdict.test == (
        "all 134,515,008 weights compared exactly: no sampled input, so the range is one point"
    )
    failed = judge("C2", {**WEIGHTS, "prompted_total": 1.0, "prompted_changed": 0.1})
    assert failed.sentence.endswith("prompting changed weights.")


def test_c3_checks_the_shortest_and_the_longest_request():
    verdict = judge("C3", TOKENS)
    assert verdict.sentence == (
        "8-shot sends 560 prompt tokens per request on average vs 60 at 0-shot (9.3x, so 9.3x "
        "the input cost); the shortest request grew with every added example (40 -> 540); the "
        "longest request grew with every added example (90 -> 590); median latency 150 ms vs "
        "50 ms."
    )
    assert verdict.test == (
        "shortest and longest of the requests at k = 0, 4, 8: 40-90 tokens at k = 0, 540-590 "
        "at k = 8"
    )
    stalled = judge("C3", [TOKENS[0], dict(TOKENS[1], prompt_tokens_max=600), TOKENS[2]])
    assert "the longest request did not grow at k = [8]" in stalled.sentence


def test_c4_says_where_it_holds():
    verdict = judge("C4", {"this laptop": summary(10, upfront=0.03),
                           "a team": summary(4_000_000)})  # fmt: skip
    assert verdict.sentence == (
        "this laptop: 0.03 up front, break-even 10 requests/month over 12 months, below the "
        "volumes considered: it pays back at any of them; a team: 12,000.00 up front, "
        "break-even 4,000,000 requests/month over 12 months, inside the volumes considered: "
        "volume decides. The claim holds for a team, not for this laptop."
    )
    assert verdict.test == (
        "both named scenarios (this laptop, a team): break-even 10-4,000,000 requests/month "
        "against the volumes considered, 1,000-100,000,000"
    )
    assert verdict.numbers["scenarios"]["a team"]["holds"]
    with pytest.raises(TypeError, match="one summary per scenario"):
        judge("C4", summary(4_000_000))


def test_c17_numbers_name_both_halves_under_each_scenario():
    verdict = judge("C17", SCALING)
    assert verdict.numbers["token_ratio"] == pytest.approx(510 / 79)
    for scenario in verdict.numbers["scenarios"].values():
        assert scenario["vertical_half"] and scenario["horizontal_half"]
    assert "both named scenarios (this laptop, a team on rented GPUs)" in verdict.test
    assert verdict.sentence.endswith(
        "Both halves hold for this laptop and a team on rented GPUs."
    )


def test_c18_reads_both_ends():
    verdict = judge("C18", ends())
    assert list(verdict.numbers["ends"]) == list(roi_inputs.ENDS)
    best_prompt, best_tune = verdict.numbers["ends"].values()
    assert not best_prompt["fine_tuning_wins_at_volume"] and best_tune["holds"]
    assert best_prompt["preset"] == "a team on rented GPUs"
    assert verdict.sentence.endswith("The claim holds only at the end 'fine-tuning at its best'.")
    assert verdict.test.startswith(
        "ROI over 24 months at 1,000,000 requests/month; accuracies within their 95% Wilson "
        "intervals (n=60) and both named scenarios"
    )
