"""The run diagnosis reads healthy, over-fitting and diverged runs from their curves."""

from __future__ import annotations

import math

import pytest

from prompt_vs_finetune.finetune.diagnosis import (
    DIAGNOSES,
    curve_numbers,
    diagnose,
    diagnose_run,
    diverged,
    run_curves,
)

HEALTHY = (
    [2.0, 1.8, 1.5, 1.2, 1.0, 0.8, 0.6, 0.5, 0.45, 0.4, 0.4, 0.38, 0.35, 0.36, 0.34],
    [(0, 0.40), (5, 0.60), (10, 0.72), (15, 0.75)],
)
OVERFIT = (
    [2.0, 1.0, 0.5, 0.2, 0.1, 0.05, 0.02, 0.01, 0.005, 0.003, 0.002, 0.001, 0.001, 0.001],
    [(0, 0.40), (4, 0.62), (8, 0.60), (14, 0.58)],
)
DIVERGED = (
    [2.0, 5.0, 9.0, float("nan"), 12.0, 8.0, 7.5, 7.9, 8.1, 7.7],
    [(0, 0.40), (10, 0.17)],
)


@pytest.mark.parametrize(
    ("curves", "verdict"),
    [(HEALTHY, "healthy"), (OVERFIT, "overfitting"), (DIVERGED, "diverged")],
)
def test_each_kind_of_run_is_named(curves, verdict):
    d = diagnose(*curves)
    assert d.verdict == verdict and d.verdict in DIAGNOSES
    assert d.reasons and all(isinstance(r, str) for r in d.reasons)
    assert str(d).startswith(verdict) and "<b>" in d._repr_html_()


def test_loss_that_does_not_fall_is_diverged_even_without_nan():
    d = diagnose([2.0] * 10, [(0, 0.4), (10, 0.41)])
    assert d.verdict == "diverged" and "not clearly below" in d.reasons[0]


def test_loss_spike_is_diverged():
    losses = [4.0, 16.5, 22.8, 25.3, 20.2, 11.0, 20.2, 5.4, 3.5, 3.5, 3.0, 3.2, 1.9, 3.2, 1.6]
    d = diagnose(losses, [(0, 0.40), (15, 0.38)])
    assert d.verdict == "diverged" and "shot up from 4.00 to 25.30 (step 4)" in d.reasons[0]


def test_dev_collapse_alone_is_diverged():
    d = diagnose([2.0, 1.5, 1.0, 0.8, 0.6, 0.5], [(0, 0.5), (6, 0.2)])
    assert d.verdict == "diverged" and "fell from 0.50" in d.reasons[0]


def test_near_zero_loss_with_rising_dev_is_healthy():
    losses = [2.0, 1.0, 0.5, 0.1, 0.02, 0.01, 0.01, 0.01, 0.01, 0.01]
    assert diagnose(losses, [(0, 0.4), (5, 0.6), (10, 0.8)]).verdict == "healthy"


def test_curve_numbers():
    n = curve_numbers(*DIVERGED)
    assert n["nonfinite_steps"] == 1 and n["steps"] == 10
    assert math.isclose(n["loss_start"], (2 + 5 + 9 + 12) / 4)
    o = curve_numbers(*OVERFIT)
    assert (o["dev_best"], o["dev_best_step"], o["dev_end"]) == (0.62, 4, 0.58)
    assert o["dev_mid_step"] == 8


@pytest.mark.parametrize(
    "bad",
    [
        ([], [(0, 0.1), (1, 0.2)]),
        ([1.0], [(0, 0.1)]),
        ("loss", [(0, 0.1), (1, 0.2)]),
        ([1.0], [(0,), (1,)]),
    ],
)
def test_bad_curves_are_refused(bad):
    with pytest.raises(ValueError):
        diagnose(*bad)


class FakeRun:
    losses = OVERFIT[0]
    dev_curve = OVERFIT[1]
    seconds = 12.5
    label = "lora n_train=16"


def test_runs_and_dicts():
    curves = run_curves(FakeRun())
    assert curves["dev_curve"][0] == [0, 0.4] and curves["seconds"] == 12.5
    assert diagnose_run(FakeRun()).verdict == "overfitting"
    assert diagnose_run(curves).verdict == "overfitting"
    with pytest.raises(TypeError):
        run_curves(object())


def test_course_run_curves_are_stored(tmp_cache, monkeypatch):
    from prompt_vs_finetune.finetune import recipes as course_runs
    from prompt_vs_finetune.finetune.diagnosis import RunCurves, course_run_curves

    calls = []

    def fake_course_run(name, progress=True):
        calls.append(name)
        return FakeRun()

    monkeypatch.setattr(course_runs, "course_run", fake_course_run)
    first = course_run_curves("overfit")
    second = course_run_curves("overfit")
    assert calls == ["overfit"] and isinstance(first, RunCurves) and first == second
    assert first.dev_accuracy == 0.58 and diagnose_run(first).verdict == "overfitting"
    with pytest.raises(ValueError):
        course_run_curves("nonsense")


@pytest.mark.parametrize(
    ("word", "verdict"),
    [("Healthy", "healthy"), (" overfit ", "overfitting"), ("over-fitting", "overfitting"),
     ("WRECKED", "diverged"), ("diverged.", "diverged"), ("banana", None), (3, None)],
)  # fmt: skip
def test_normalize_diagnosis(word, verdict):
    from prompt_vs_finetune.finetune.diagnosis import normalize_diagnosis

    assert normalize_diagnosis(word) == verdict


@pytest.mark.parametrize(
    ("losses", "expected"),
    [
        ([2.0, 1.6, 1.3, 1.1, 0.9, 0.8, 0.6, 0.5, 0.5, 0.4], False),
        ([2.0, 2.5, 1.5, 1.8, 1.2, 1.0, 1.1, 0.7, 0.9, 0.6], False),  # noisy but falling
        ([2.0, 1.9, 3.0, 8.0, 12.0, 10.0, 11.0, 14.0, 13.0, 12.0], True),
        ([2.0, 9.0, 14.0, 6.0, 3.0, 2.5, 1.9, 1.8, 1.8, 1.7], True),  # blew up, came back down
        ([2.0, 2.9, 1.5, 1.8, 1.2, 1.0, 1.1, 0.7, 0.9, 0.6], False),  # a bump below 2x
        ([2.0, 1.95, 1.9, 1.95, 1.9, 1.85, 1.9, 1.85, 1.8, 1.85], True),  # never clearly fell
        ([2.0, 1.0, float("nan"), 0.5], True),
        ([1.0, float("inf")], True),
        ([1.0, 2.0], True),
        ([2.0, 1.0], False),
    ],
)
def test_diverged_reads_the_loss_rules_of_diagnose(losses, expected):
    assert diverged(losses) is expected


def test_diverged_with_a_dev_curve_is_diagnose():
    for losses, dev_curve in (HEALTHY, OVERFIT, DIVERGED):
        assert diverged(losses, dev_curve) is (diagnose(losses, dev_curve).verdict == "diverged")
    assert diverged([2.0, 1.5, 1.0, 0.8, 0.6, 0.5], [(0, 0.5), (6, 0.2)])  # the dev rule


def test_diverged_needs_losses():
    with pytest.raises(ValueError):
        diverged([])
