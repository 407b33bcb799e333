"""Every check of set 10 with a right answer, a wrong answer, a wrong type and the placeholder.

The ROI inputs are a fixed dict and 10.3's measurement is a stand-in, so nothing here
needs the results store or scores tickets.
"""

from __future__ import annotations

import pytest

from prompt_vs_finetune.checks import check, core, ex10
from prompt_vs_finetune.economics.roi import payback_month, roi_curves
from prompt_vs_finetune.measure import evaluate as evaluate_module
from prompt_vs_finetune.prompting.versions import TICKET_VERSIONS

INPUTS = {
    "months": 24,
    "volume_per_month": 1_000_000.0,
    "value_per_correct_answer": 0.05,
    "opportunity_cost_per_month": 2_000.0,
    "accuracy_prompt": [0.30, 0.55, 0.62, 0.63],
    "accuracy_tuned": 0.85,
    "cost_per_request_prompt": 0.000258,
    "cost_per_request_tuned": 0.0000425,
    "fine_tune_upfront": 12_016.0,
    "prompt_dev_cost": 400.0,
    "prompt_versions_per_month": 1,
    "build_months": 1,
}


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    monkeypatch.setenv(core.PROGRESS_ENV_VAR, str(tmp_path / "progress.json"))
    monkeypatch.setattr(ex10, "lesson_inputs", lambda: dict(INPUTS))
    monkeypatch.setattr(ex10, "first_version_accuracy", lambda: 0.30)


def outcome(capsys, exercise_id, answer) -> str:
    assert check(exercise_id, answer) is None
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


# --- 10.1 ---------------------------------------------------------------------------------


def rows():
    return roi_curves(**{**INPUTS, "volume_per_month": ex10.PAYBACK_VOLUME, "months": 36})


def test_10_1_right(capsys):
    truth = payback_month(rows(), "fine_tuning")
    assert truth is not None and truth > 1
    assert outcome(capsys, "10.1", truth).startswith(
        f"✅ Solved: fine-tuning is back above zero in month {truth}"
    )


def test_10_1_never_is_minus_one(capsys, monkeypatch):
    monkeypatch.setattr(ex10, "lesson_inputs", lambda: {**INPUTS, "accuracy_tuned": 0.0})
    assert outcome(capsys, "10.1", -1).startswith("✅ Solved: fine-tuning never")


@pytest.mark.parametrize(
    ("answer", "says"),
    [(1, "that is when *prompting* pays back"), (30, "already was earlier"), (99, "rows cover")],
)
def test_10_1_wrong(capsys, answer, says):
    line = outcome(capsys, "10.1", answer)
    assert line.startswith("❌ Not yet:") and says in line


def test_10_1_still_negative(capsys):
    line = outcome(capsys, "10.1", 0)
    assert line.startswith("❌ Not yet: in month 0 fine-tuning is still at")
    assert "below zero" in line


def test_10_1_wrong_type(capsys):
    assert outcome(capsys, "10.1", 2.5).startswith("❌ Not yet: expected a whole number")


# --- 10.2 ---------------------------------------------------------------------------------

WHY = "At a thousand requests a month the gain is tiny and never repays the upfront cost."


def test_10_2_right(capsys):
    line = outcome(capsys, "10.2", {"volume_per_month": 1_000, "why": WHY})
    assert line.startswith("✅ Solved: after 24 months")


@pytest.mark.parametrize(
    ("scenario", "says"),
    [
        ({"why": WHY}, "change at least one input"),
        ({"volume": 10, "why": WHY}, "is not an input of roi_curves"),
        ({"volume_per_month": 2_000_000, "why": WHY}, "back above zero in month"),
        ({"volume_per_month": 1_000}, "add a 'why'"),
        ({"volume_per_month": 1_000, "why": "It is just not worth it at all."}, "does not mention"),
        ({"volume_per_month": -5, "why": WHY}, "roi_curves cannot use"),
    ],
)
def test_10_2_wrong(capsys, scenario, says):
    line = outcome(capsys, "10.2", scenario)
    assert line.startswith("❌ Not yet:") and says in line


def test_10_2_other_levers(capsys):
    months = {
        "months": 1,
        "why": "One month is far too short a time to earn the upfront cost back.",
    }
    assert outcome(capsys, "10.2", months).startswith("✅ Solved")


def test_10_2_wrong_type(capsys):
    assert outcome(capsys, "10.2", [("volume_per_month", 1)]).startswith(
        "❌ Not yet: expected a dict"
    )


# --- 10.3 ---------------------------------------------------------------------------------


@pytest.fixture
def fake_measure(monkeypatch, make_evaluation):
    def measure(lm, task, version, **kw):
        return make_evaluation(20, 11 if version.k else 7)

    monkeypatch.setattr(evaluate_module, "evaluate", measure)


def test_10_3_right(capsys, fake_measure):
    version = TICKET_VERSIONS[0].edit("mine", "six examples", k=6)
    line = outcome(capsys, "10.3", version)
    assert line.startswith("✅ Solved: 0.55 vs 0.30 (+0.25)") and "$12,500 a month" in line


def test_10_3_small_gain(capsys, fake_measure):
    version = TICKET_VERSIONS[0].edit("mine", "reworded", instruction="What is this message about?")
    line = outcome(capsys, "10.3", version)
    assert line.startswith("❌ Not yet: your version scores 0.35") and "+0.05" in line


def test_10_3_wrong_type(capsys, fake_measure):
    assert outcome(capsys, "10.3", "Name the six categories.").startswith(
        "❌ Not yet: expected a PromptVersion"
    )


# --- all three: the placeholder -----------------------------------------------------------


@pytest.mark.parametrize("exercise_id", ["10.1", "10.2", "10.3"])
@pytest.mark.parametrize("placeholder", [..., None])
def test_placeholder_is_not_attempted(capsys, exercise_id, placeholder):
    assert outcome(capsys, exercise_id, placeholder).startswith("⏳ Not attempted yet: ")
