"""Decision aid: every case study gets its expected answer, and the reasons explain it."""

from __future__ import annotations

from dataclasses import fields, replace

import pytest

from prompt_vs_finetune.decision.advice import (
    CHOICES,
    CRITERIA,
    HIGH_VOLUME,
    DecisionInputs,
    Recommendation,
    explain,
    recommend,
)
from prompt_vs_finetune.decision.case_studies import CASE_STUDIES, case_study, case_table

FIELDS = {f.name for f in fields(DecisionInputs)}


@pytest.mark.parametrize("case", CASE_STUDIES, ids=[c.name for c in CASE_STUDIES])
def test_every_case_study_gets_its_expected_choice(case):
    rec = recommend(case.inputs)
    assert rec.choice == case.expected, explain(rec)
    assert case.story and case.why and case.organisation


def test_case_studies_cover_all_outcomes():
    assert len(CASE_STUDIES) >= 8
    assert {c.expected for c in CASE_STUDIES} == set(CHOICES)
    assert len({c.name for c in CASE_STUDIES}) == len(CASE_STUDIES)
    assert all(case_table().column("agrees"))
    assert case_study("voice-intents").expected == "fine-tuning"
    with pytest.raises(KeyError, match="voice-intents"):
        case_study("nope")


@pytest.mark.parametrize("case", CASE_STUDIES, ids=[c.name for c in CASE_STUDIES])
def test_every_reason_references_a_criterion(case):
    rec = recommend(case.inputs)
    assert rec.reasons
    assert any(r.decisive for r in rec.reasons)
    for reason in rec.reasons:
        assert reason.criterion in CRITERIA and reason.criterion in FIELDS
        assert reason.effect and len(reason.explanation) > 20
    # decisive reasons come first and point the same way as the choice
    flags = [r.decisive for r in rec.reasons]
    assert flags == sorted(flags, reverse=True)
    text = explain(rec)
    assert rec.choice.upper() in text and "Decisive" in text
    assert rec.choice in rec._repr_html_()


def test_default_is_prompting():
    rec = recommend(DecisionInputs(monthly_requests=10_000))
    assert rec.choice == "prompting"
    assert isinstance(rec, Recommendation) and str(rec) == explain(rec)


def test_fine_tuning_needs_volume_skills_and_exhausted_prompting():
    ready = case_study("dispute-classifier").inputs
    assert recommend(ready).choice == "fine-tuning"
    assert recommend(replace(ready, monthly_requests=HIGH_VOLUME / 10)).choice == "prompting"
    assert recommend(replace(ready, ml_skills=False)).choice == "prompting"
    assert recommend(replace(ready, labelled_examples=20)).choice == "prompting"
    assert recommend(replace(ready, upfront_budget="low")).choice == "prompting"
    no_need = replace(ready, needs_strict_consistency=False)
    assert recommend(no_need).choice == "fine-tuning"  # prompting exhausted is enough
    assert recommend(replace(no_need, prompting_exhausted=False)).choice == "prompting"
    assert recommend(replace(no_need, format_only=True)).choice == "prompting"


def test_measured_break_even_replaces_the_rule_of_thumb():
    ready = case_study("dispute-classifier").inputs
    low = replace(ready, monthly_requests=50_000)
    assert recommend(low).choice == "prompting"
    rec = recommend(replace(low, break_even_volume=40_000))
    assert rec.choice == "fine-tuning"
    assert any(r.criterion == "break_even_volume" for r in rec.reasons)


def test_hybrid_rules():
    base = case_study("dispute-classifier").inputs
    domain = replace(base, needs_strict_consistency=False, needs_domain_knowledge=True)
    assert recommend(domain).choice == "fine-tuning"
    assert recommend(replace(domain, per_request_context=True)).choice == "hybrid"
    assert recommend(replace(base, requirement_changes="often")).choice == "hybrid"
    assert recommend(replace(base, mixed_difficulty=True)).choice == "hybrid"
    # frequent changes without a hard need stay with prompting
    plain = replace(base, needs_strict_consistency=False, requirement_changes="often")
    assert recommend(plain).choice == "prompting"


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"monthly_requests": "lots"}, TypeError, "monthly_requests"),
        ({"monthly_requests": -1}, ValueError, "monthly_requests"),
        ({"monthly_requests": 1, "ml_skills": 1}, TypeError, "ml_skills"),
        ({"monthly_requests": 1, "format_only": "yes"}, TypeError, "format_only"),
        ({"monthly_requests": 1, "requirement_changes": "daily"}, ValueError, "rarely"),
        ({"monthly_requests": 1, "upfront_budget": 3}, TypeError, "upfront_budget"),
        ({"monthly_requests": 1, "labelled_examples": 2.5}, ValueError, "labelled_examples"),
        ({"monthly_requests": 1, "break_even_volume": "x"}, TypeError, "break_even_volume"),
    ],
)
def test_bad_inputs_raise_clear_errors(kwargs, error, match):
    with pytest.raises(error, match=match):
        DecisionInputs(**kwargs)


def test_recommend_and_explain_check_their_argument():
    with pytest.raises(TypeError, match="DecisionInputs"):
        recommend({"monthly_requests": 5})
    with pytest.raises(TypeError, match="Recommendation"):
        explain("prompting")


def test_each_criterion_gives_reasons_about_itself():
    from prompt_vs_finetune.decision import criteria

    answers = [case.inputs for case in CASE_STUDIES] + [DecisionInputs(monthly_requests=1)]
    for rule in criteria.CRITERION_RULES:
        for inputs in answers:
            for reason in rule(inputs):
                assert isinstance(reason, criteria.Reason) and not reason.decisive
                assert reason.criterion in CRITERIA
    blocked = DecisionInputs(monthly_requests=1, labelled_examples=10)
    assert [r.effect for r in criteria._data(blocked)] == [criteria.BLOCKS_FINE_TUNING]
    assert criteria._format(blocked) == [] and criteria._changes(blocked) == []
    measured = replace(blocked, break_even_volume=5)
    assert [r.criterion for r in criteria._volume(measured)] == [
        "monthly_requests",
        "break_even_volume",
    ]
