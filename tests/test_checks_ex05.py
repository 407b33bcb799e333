"""Every check of set 05: a right answer other than the solution's, a wrong answer, a wrong
type and the placeholder; the prediction rules of 05.3 and the moving bar of 05.5.

No model runs: the grouped prompt's answers (05.3), the JSON records (05.4) and the dev
study (05.5) are replaced by fixed ones.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from prompt_vs_finetune.checks import check, core, ex05, predict
from prompt_vs_finetune.data import TICKET_FIELDS
from prompt_vs_finetune.measure.intervals import rate
from prompt_vs_finetune.ui.tables import Table
from tests.conftest import check_outcome as outcome


@pytest.fixture(autouse=True)
def progress_path(tmp_path, monkeypatch):
    monkeypatch.setenv(core.PROGRESS_ENV_VAR, str(tmp_path / "progress.json"))


def test_retired_ids_say_what_replaced_them(capsys):
    check("05.1", "Reply with JSON: {ticket}")
    assert "no longer exists: Exercise 05.1" in capsys.readouterr().out
    check("05.2", 2)
    assert "05.5" in capsys.readouterr().out


# --- 05.3: how often the grouped prompt copies its last label ------------------------------

LABELS = ("billing", "technical", "shipping", "account", "cancellation", "feature")


@pytest.fixture
def fake_grouped(monkeypatch):
    """24 tickets, 4 per label; 'feature' (the last example's label) answered 9 times."""
    gold = [label for label in LABELS for _ in range(4)]
    predictions = ["feature"] * 9 + ["billing"] * 8 + ["technical"] * 7
    result = SimpleNamespace(n=24, gold=gold, predictions=predictions, accuracy=6 / 24)
    monkeypatch.setattr(ex05, "grouped_result", lambda: result)


def test_the_grouped_prompt_ends_with_the_last_category():
    prompt = ex05.grouped_prompt()
    assert prompt.k == 8 and prompt.examples[-1].label == LABELS[-1]


def test_05_3_asks_for_a_prediction_first(capsys, fake_grouped):
    assert outcome(capsys, "05.3", 9 / 24).startswith("❌ Not yet: write your prediction down")


def test_05_3_right(capsys, fake_grouped):
    predict("05.3", 0.4)
    capsys.readouterr()
    line = outcome(capsys, "05.3", 0.375)
    assert line.startswith("✅ Solved: you predicted 0.40; the measurement is 0.38")
    assert "'feature' is the right answer for 0.17" in line and "recency" in line


def test_05_3_a_far_prediction_still_solves(capsys, fake_grouped):
    predict("05.3", 1)
    capsys.readouterr()
    line = outcome(capsys, "05.3", 9 / 24)
    assert line.startswith("✅ Solved: you predicted 1.00") and "too high" in line


@pytest.mark.parametrize(
    ("wrong", "says"),
    [(6 / 24, "that is the accuracy"), (4 / 24, "how often 'feature' is the right answer"),
     (0.5, "is not the share")],
)  # fmt: skip
def test_05_3_wrong(capsys, fake_grouped, wrong, says):
    predict("05.3", 0.4)
    capsys.readouterr()
    line = outcome(capsys, "05.3", wrong)
    assert line.startswith("❌ Not yet:") and says in line


@pytest.mark.parametrize("wrong", ["0.375", "feature"])
def test_05_3_wrong_type(capsys, fake_grouped, wrong):
    assert outcome(capsys, "05.3", wrong).startswith("❌ Not yet: expected a share")


# --- 05.4: the extracted values against answering null everywhere ---------------------------


def ticket(i: int, nulls: int) -> SimpleNamespace:
    fields = {f: (None if j < nulls else "x") for j, f in enumerate(TICKET_FIELDS)}
    return SimpleNamespace(id=f"t{i}", fields=fields)


TICKETS = [ticket(i, 4) for i in range(24)]  # all-null gets 4 of 6 fields right on each


@pytest.fixture
def fake_json(monkeypatch):
    """The technique gets 1 of 6 fields right on each ticket, 2 on the last four."""
    records = [{"id": t.id, "n_correct": 1 if i < 20 else 2} for i, t in enumerate(TICKETS)]
    monkeypatch.setattr(ex05, "json_tickets", lambda: TICKETS)
    monkeypatch.setattr(ex05, "json_records", lambda: ("fewshot", records))


DIFFERENCE = (20 * 1 + 4 * 2) / (24 * 6) - 4 / 6


def test_05_4_right(capsys, fake_json):
    line = outcome(capsys, "05.4", ("Refuted", round(DIFFERENCE, 3)))
    assert line.startswith("✅ Solved: contradicted: fewshot: 0.194 of the fields right")


def test_05_4_right_when_the_values_win(capsys, fake_json, monkeypatch):
    records = [{"id": t.id, "n_correct": 6 if i < 20 else 4} for i, t in enumerate(TICKETS)]
    monkeypatch.setattr(ex05, "json_records", lambda: ("example", records))
    difference = (20 * 6 + 4 * 4) / (24 * 6) - 4 / 6
    assert outcome(capsys, "05.4", ["supported", difference]).startswith("✅ Solved: supported")


@pytest.mark.parametrize(
    ("wrong", "says"),
    [
        (("inconclusive", DIFFERENCE), "does not say inconclusive"),
        (("contradicted", 0.19), "is not the paired difference"),
        (("contradicted", -0.667), "is not the paired difference"),  # forgot the technique
    ],
)
def test_05_4_wrong(capsys, fake_json, wrong, says):
    line = outcome(capsys, "05.4", wrong)
    assert line.startswith("❌ Not yet:") and says in line


@pytest.mark.parametrize(
    ("wrong", "says"),
    [
        ("contradicted", "answer with a pair"),
        (("contradicted", "-0.47"), "expected the paired difference"),
        (("worse", DIFFERENCE), "'worse' is not one of the diagnoses"),
    ],
)
def test_05_4_wrong_type(capsys, fake_json, wrong, says):
    line = outcome(capsys, "05.4", wrong)
    assert line.startswith("❌ Not yet:") and says in line


def test_best_formatted_prefers_schema_valid_answers():
    rows = [
        {"technique": "plain", "schema_valid": 0.0, "json_valid": 0.9, "field_accuracy": 0.0},
        {"technique": "fewshot", "schema_valid": 0.8, "json_valid": 0.8, "field_accuracy": 0.1},
    ]
    assert ex05.best_formatted(rows) == "fewshot"


# --- 05.5: the cheapest prompt within the best one's interval ------------------------------


def row(technique: str, k: int, draw: int, right: int, tokens: float) -> dict:
    return {"technique": technique, "k": k, "draw": draw, "accuracy": right / 24,
            "tokens_per_request": tokens, "n": 24}  # fmt: skip


STUDY = Table(
    [
        row("plain", 0, 0, 10, 78.0),
        row("calibrated", 0, 0, 14, 78.0),  # reaches the best's low end (0.551): 14/24 = 0.583
        row("calibrated", 1, 0, 14, 120.0),
        row("calibrated", 1, 1, 16, 110.0),
        row("v5", 6, 0, 18, 410.0),  # the best
    ]
)


@pytest.fixture
def fake_study(monkeypatch):
    monkeypatch.setattr(ex05, "study", lambda: STUDY)


def test_05_5_right(capsys, fake_study):
    line = outcome(capsys, "05.5", ["calibrated", 0, 0])
    assert line.startswith("✅ Solved: its dev accuracy 0.583; the best 0.750")
    assert "78 tokens per request against 410" in line


@pytest.mark.parametrize(
    ("wrong", "says"),
    [
        (("v5", 6, 0), "another row that reaches it needs 78"),
        (("calibrated", 1, 1), "another row that reaches it needs 78"),
        (("plain", 0, 0), "below the low end"),
        (("plain", 4, 2), "the study has no row"),
    ],
)
def test_05_5_wrong(capsys, fake_study, wrong, says):
    line = outcome(capsys, "05.5", wrong)
    assert line.startswith("❌ Not yet:") and says in line


@pytest.mark.parametrize(
    ("wrong", "says"),
    [("calibrated", "expected a row of the study"), (("calibrated", "0", 0), "expected k")],
)
def test_05_5_wrong_type(capsys, fake_study, wrong, says):
    line = outcome(capsys, "05.5", wrong)
    assert line.startswith("❌ Not yet:") and says in line


def test_05_5_the_bar_moves_with_the_best_row(capsys, fake_study, monkeypatch):
    monkeypatch.setattr(ex05, "baseline", lambda: rate(13, 24))  # low end 0.35: plain reaches
    assert outcome(capsys, "05.5", ("plain", 0, 0)).startswith("✅ Solved")
    monkeypatch.setattr(ex05, "baseline", lambda: rate(22, 24))  # low end 0.74: only v5
    line = outcome(capsys, "05.5", ("calibrated", 0, 0))
    assert line.startswith("❌ Not yet:") and "below the low end" in line


# --- all: the placeholder -----------------------------------------------------------------


@pytest.mark.parametrize("exercise_id", ["05.3", "05.4", "05.5"])
@pytest.mark.parametrize("placeholder", [..., None])
def test_placeholder_is_not_attempted(capsys, exercise_id, placeholder):
    assert outcome(capsys, exercise_id, placeholder).startswith("⏳ Not attempted yet: ")
