"""Every check of set 03: a right answer other than the solution's, a wrong answer, a wrong
type and the placeholder; the prediction rules of 03.4 and the moving bar of 03.5.

No model runs: 03.4's probes and 03.5's evaluations are replaced by fixed answers.
"""

from __future__ import annotations

import math
import statistics
from types import SimpleNamespace

import pytest

from prompt_vs_finetune.checks import check, core, ex03, predict
from prompt_vs_finetune.finetune.diagnosis import diverged
from prompt_vs_finetune.measure.probes import ProbeResult
from prompt_vs_finetune.ui.tables import Table
from tests.conftest import check_outcome as outcome


@pytest.fixture(autouse=True)
def progress_path(tmp_path, monkeypatch):
    monkeypatch.setenv(core.PROGRESS_ENV_VAR, str(tmp_path / "progress.json"))


def test_retired_ids_say_what_replaced_them(capsys):
    check("03.2", ["What colour is snow?"])
    assert "no longer exists" in capsys.readouterr().out
    check("03.3", "good")
    assert "03.5" in capsys.readouterr().out


# --- 03.1: a divergence detector -----------------------------------------------------------


def is_diverging(losses):
    """Another way to write the rules than the solution's."""
    if any(math.isnan(x) or math.isinf(x) for x in losses):
        return True
    head, tail = statistics.fmean(losses[:5]), statistics.fmean(losses[-5:])
    return any(x > 2 * losses[0] for x in losses) or tail > 0.8 * head


def test_03_1_series_cover_both_answers():
    verdicts = {diverged(losses) for _, losses in ex03.loss_series(seed=3)}
    assert verdicts == {True, False}


def test_03_1_right(capsys):
    assert outcome(capsys, "03.1", is_diverging).startswith("✅ Solved: your detector agrees")


@pytest.mark.parametrize(
    ("wrong", "says"),
    [
        (lambda losses: losses[-1] > losses[0], "curve"),  # ignores nan, judges single steps
        (
            lambda losses: max(losses) > 1.5 * losses[0] or not all(map(math.isfinite, losses)),
            "bumpy but healthy",
        ),  # too touchy
        (lambda losses: sum(losses[-5:]) / 5 > sum(losses[:5]) / 5, "nan curve"),
        (
            lambda losses: (
                not all(map(math.isfinite, losses))
                or max(losses) > 2 * losses[0]
                or sum(losses[-5:]) / 5 > sum(losses[:5]) / 5
            ),
            "hardly falling",
        ),  # the older rule: ended worse than it began
        (lambda losses: 1, "return True or False"),
        (lambda losses: losses.foo, "raised AttributeError"),
    ],
)
def test_03_1_wrong(capsys, wrong, says):
    line = outcome(capsys, "03.1", wrong)
    assert line.startswith("❌ Not yet:") and says in line


def test_03_1_wrong_type(capsys):
    assert outcome(capsys, "03.1", True).startswith("❌ Not yet: expected a function")


# --- 03.4: what the wrecked fine-tune still knows ------------------------------------------


def probe(right: list[bool]) -> ProbeResult:
    records = [
        {"family": f, "question": q, "gold": a, "predicted": a if ok else "?",
         "correct": ok, "p_gold": 0.9 if ok else 0.1}
        for (f, q, a), ok in zip(ex03.NEW_QUESTIONS, right, strict=True)
    ]  # fmt: skip
    return ProbeResult("fake", Table(records), sum(right) / len(right), 0.1)


@pytest.fixture
def fake_probes(monkeypatch):
    """The base model knows 11 of the 12; the wrecked one keeps 2 of those and gets the 12th."""
    base = probe([True] * 11 + [False])
    wrecked = probe([True, False, False, True] + [False] * 7 + [True])
    monkeypatch.setattr(ex03, "new_probes", lambda: (base, wrecked))


def test_03_4_asks_for_a_prediction_first(capsys, fake_probes):
    line = outcome(capsys, "03.4", 2 / 11)
    assert line.startswith("❌ Not yet: write your prediction down first")


def test_03_4_right(capsys, fake_probes):
    predict("03.4", 0.2)
    capsys.readouterr()
    line = outcome(capsys, "03.4", round(2 / 11, 3))
    assert line.startswith("✅ Solved: you predicted 0.20; the measurement is 0.18")
    assert "floor" in line and "inside the interval" in line


def test_03_4_a_far_prediction_still_solves(capsys, fake_probes):
    predict("03.4", 0.95)
    capsys.readouterr()
    line = outcome(capsys, "03.4", 2 / 11)
    assert line.startswith("✅ Solved: you predicted 0.95") and "too high" in line


@pytest.mark.parametrize(
    ("wrong", "says"),
    [(3 / 12, "counts every question"), (0.5, "not the share the check measures")],
)
def test_03_4_wrong(capsys, fake_probes, wrong, says):
    predict("03.4", 0.3)
    capsys.readouterr()
    line = outcome(capsys, "03.4", wrong)
    assert line.startswith("❌ Not yet:") and says in line


@pytest.mark.parametrize("wrong", ["0.2", [0.2], True])
def test_03_4_wrong_type(capsys, fake_probes, wrong):
    assert outcome(capsys, "03.4", wrong).startswith("❌ Not yet: expected a share")


# --- 03.5: an alarm on the share of one answer ---------------------------------------------

LABELS = ("billing", "technical", "shipping", "account", "cancellation", "feature")


def answers(top: str, count: int, n: int = 160) -> SimpleNamespace:
    """``count`` answers ``top``; the rest spread over the other labels."""
    rest = [label for label in LABELS if label != top]
    return SimpleNamespace(predictions=[top] * count + [rest[i % 5] for i in range(n - count)])


@pytest.fixture
def fake_models(monkeypatch):
    """Healthy: 'technical' for 52 of 160 (upper end 0.401); failures at 1.0 and 0.581."""
    monkeypatch.setattr(ex03, "baseline", lambda: answers("technical", 52))
    broken = {"the wrecked fine-tune": answers("billing", 160),
              "the base model without its adapter": answers("billing", 93)}  # fmt: skip
    monkeypatch.setattr(ex03, "failures", lambda: broken)


def test_03_5_right(capsys, fake_models):
    line = outcome(capsys, "03.5", 0.45)
    assert line.startswith("✅ Solved: silent on a healthy day (up to 0.401 'technical')")
    assert "'billing' for 0.581" in line


@pytest.mark.parametrize(
    ("wrong", "says"),
    [
        (0.35, "would ring on a healthy day"),  # above the share, below the interval's end
        (0.7, "the base model without its adapter answers 'billing' for 0.581"),
        (1.5, "is not a share"),
    ],
)
def test_03_5_wrong(capsys, fake_models, wrong, says):
    line = outcome(capsys, "03.5", wrong)
    assert line.startswith("❌ Not yet:") and says in line


@pytest.mark.parametrize("wrong", ["0.45", (0.4, 0.6)])
def test_03_5_wrong_type(capsys, fake_models, wrong):
    assert outcome(capsys, "03.5", wrong).startswith("❌ Not yet: expected a share")


def test_03_5_the_bar_moves_with_the_healthy_model(capsys, fake_models, monkeypatch):
    assert outcome(capsys, "03.5", 0.45).startswith("✅ Solved")
    monkeypatch.setattr(ex03, "baseline", lambda: answers("technical", 72))  # upper end 0.527
    line = outcome(capsys, "03.5", 0.45)
    assert line.startswith("❌ Not yet:") and "can reach 0.527" in line


def test_03_5_a_failure_no_alarm_can_catch_is_not_asked_for(capsys, fake_models, monkeypatch):
    monkeypatch.setattr(ex03, "failures", lambda: {"a quiet failure": answers("billing", 40)})
    line = outcome(capsys, "03.5", 0.9)
    assert line.startswith("✅ Solved") and "a quiet failure looks like a healthy day" in line


# --- all: the placeholder -----------------------------------------------------------------


@pytest.mark.parametrize("exercise_id", ["03.1", "03.4", "03.5"])
@pytest.mark.parametrize("placeholder", [..., None])
def test_placeholder_is_not_attempted(capsys, exercise_id, placeholder):
    assert outcome(capsys, exercise_id, placeholder).startswith("⏳ Not attempted yet: ")
