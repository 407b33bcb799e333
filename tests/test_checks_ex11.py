"""Set 11: each check with a right answer other than the solution's, a wrong answer, a wrong
type and the placeholder; the predict check without and with a prediction; the design check
against two baselines. The measured pairs are made up here (no model, no results store)."""

from __future__ import annotations

import dataclasses

import pytest

from prompt_vs_finetune.checks import check, core, ex11, predict
from prompt_vs_finetune.decision import evidence, tasks
from prompt_vs_finetune.decision.advice import DecisionInputs
from prompt_vs_finetune.economics.assumptions import PRESETS
from prompt_vs_finetune.measure.intervals import items_to_settle, paired
from tests.conftest import check_outcome as outcome

READ_PAIRS = ex11._pairs  # the real reader, before the fixture replaces it
MEASURED = {
    "tokens_out": 2.0,
    "train_seconds_by_run": {"category": 870.0, "queue": 255.0, "priority": 817.0},
}


def scored(correct: list[int], tokens: float) -> evidence.Scored:
    ids = [f"t{i}" for i in range(len(correct))]
    return evidence.Scored("fake", "key", False, 0.5, ids, correct, tokens)


def pair(name: str, prompt: list[int], tuned: list[int], tokens: float) -> evidence.MeasuredPair:
    return evidence.MeasuredPair(tasks.task_profile(name), scored(prompt, tokens),
                                 scored(tuned, 77.0), paired(prompt, tuned))  # fmt: skip


#: The pilot (first 20 queue tickets): 3 right by prompt, 6 by the fine-tune, 1 only by prompt.
PILOT_PROMPT = [1] * 3 + [0] * 17
PILOT_TUNED = [1, 1, 0] + [1] * 4 + [0] * 13
PAIRS = {
    "ticket category": pair("ticket category", [1] * 80 + [0] * 80,
                            [1] * 70 + [0] * 10 + [1] * 44 + [0] * 36, 121.0),
    "queue codes": pair("queue codes", PILOT_PROMPT + [1] * 23 + [0] * 117,
                        PILOT_TUNED + [1] * 20 + [1] * 50 + [0] * 70, 733.0),
}  # fmt: skip


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    monkeypatch.setenv(core.PROGRESS_ENV_VAR, str(tmp_path / "progress.json"))
    monkeypatch.setattr(ex11, "_pairs", lambda: PAIRS)
    monkeypatch.setattr(ex11, "_measured", lambda: MEASURED)


def record(capsys, exercise_id, guess) -> None:
    predict(exercise_id, guess)
    capsys.readouterr()


# --- 11.4 ---------------------------------------------------------------------------------


def agreement_by_hand(preset: str) -> float:
    rows = evidence.case_rows(PAIRS, MEASURED, PRESETS[preset])
    sides = [("prompting" if r["predicted"] == "prompting" else "fine-tuning") == r["winner"]
             for r in rows]  # fmt: skip
    return round(sum(sides) / len(sides), 3)


def test_11_4_asks_for_a_prediction_first(capsys):
    line = outcome(capsys, "11.4", agreement_by_hand("this laptop"))
    assert line.startswith("❌ Not yet: write your prediction down first")


def test_11_4_right_by_hand_with_a_guess_far_off(capsys):
    record(capsys, "11.4", 0.95)
    line = outcome(capsys, "11.4", agreement_by_hand("this laptop"))
    assert line.startswith("✅ Solved: you predicted 0.95") and "too high" in line
    assert "declared facts alone" in line


def test_11_4_wrong(capsys):
    record(capsys, "11.4", 0.5)
    assert agreement_by_hand("a team on rented GPUs") != agreement_by_hand("this laptop")
    line = outcome(capsys, "11.4", agreement_by_hand("a team on rented GPUs"))
    assert line.startswith("❌ Not yet:") and "the team's bill" in line
    line = outcome(capsys, "11.4", 1.0)
    assert line.startswith("❌ Not yet:") and "how often fine-tuning wins" in line
    assert outcome(capsys, "11.4", 0.01).startswith("❌ Not yet: that is not the share")


def test_11_4_wrong_type_and_placeholder(capsys):
    assert outcome(capsys, "11.4", "half").startswith("❌ Not yet: expected a share")
    assert outcome(capsys, "11.4", ...).startswith("⏳ Not attempted yet")


# --- 11.5 ---------------------------------------------------------------------------------


def queue_case(volume: float, **changes) -> tuple[str, DecisionInputs]:
    declared = tasks.questionnaire(tasks.task_profile("queue codes"), volume, "rarely")
    return "queue codes", dataclasses.replace(declared, **changes)


def test_11_5_right_with_another_task(capsys):
    be = evidence.break_even(PAIRS["queue codes"], "rarely", MEASURED)
    assert be < 500_000  # fine-tuning wins at 500k; from declared facts the tool says prompting
    answer = queue_case(500_000, prompting_exhausted=True, break_even_volume=be)
    line = outcome(capsys, "11.5", answer)
    assert line.startswith("✅ Solved: from declared facts the tool said 'prompting'")


def test_11_5_the_bar_moves_with_the_baseline(capsys, monkeypatch):
    declared = tasks.questionnaire(tasks.task_profile("ticket category"), 10_000_000, "rarely")
    answer = ("ticket category", dataclasses.replace(declared, prompting_exhausted=True))
    monkeypatch.setattr(ex11, "baseline", lambda task, changes: 50_000.0)
    assert outcome(capsys, "11.5", answer).startswith("✅ Solved")
    monkeypatch.setattr(ex11, "baseline", lambda task, changes: 50_000_000.0)
    line = outcome(capsys, "11.5", answer)
    assert line.startswith("❌ Not yet:") and "already says 'prompting'" in line


@pytest.mark.parametrize(
    ("answer", "says"),
    [
        (queue_case(5_000_000), "already says 'hybrid'"),
        (queue_case(500_000), "What would a team know"),
        (queue_case(500_000, latency_sensitive=True), "latency_sensitive must stay"),
        (queue_case(500_000, prompting_exhausted=True, break_even_volume=10.0), "measured"),
        (("tweet sentiment", queue_case(500_000)[1]), "not a measured task"),
    ],
)
def test_11_5_wrong(capsys, answer, says):
    line = outcome(capsys, "11.5", answer)
    assert line.startswith("❌ Not yet:") and says in line


def test_11_5_wrong_type_and_placeholder(capsys):
    assert outcome(capsys, "11.5", queue_case(500_000)[1]).startswith("❌ Not yet: expected a pair")
    assert outcome(capsys, "11.5", ("queue codes", {})).startswith("❌ Not yet: expected a Deci")
    assert outcome(capsys, "11.5", ...).startswith("⏳ Not attempted yet")


# --- 11.6 ---------------------------------------------------------------------------------

PILOT = paired(PILOT_PROMPT, PILOT_TUNED)


def test_11_6_right_in_other_words(capsys):
    assert PILOT.low <= 0 <= PILOT.high
    line = outcome(capsys, "11.6", ("Undecided", round(items_to_settle(PILOT) * 1.05)))
    assert line.startswith("✅ Solved:") and "inconclusive" in line and "would settle it" in line


def test_11_6_right_on_a_settled_pilot(capsys, monkeypatch):
    monkeypatch.setattr(ex11, "PILOT_N", 160)
    line = outcome(capsys, "11.6", ("supported", 160))
    assert line.startswith("✅ Solved:") and "already settle it" in line


@pytest.mark.parametrize(
    ("answer", "says"),
    [
        (("supported", 20), "Where does its interval lie"),
        (("inconclusive", 20), "the pilot's own size"),
        (("inconclusive", 5000), "not the number"),
        (("significant", 20), "not one of the diagnoses"),
    ],
)
def test_11_6_wrong(capsys, answer, says):
    line = outcome(capsys, "11.6", answer)
    assert line.startswith("❌ Not yet:") and says in line


def test_11_6_wrong_type_and_placeholder(capsys):
    assert outcome(capsys, "11.6", ("inconclusive", 44.5)).startswith("❌ Not yet: expected")
    assert outcome(capsys, "11.6", ...).startswith("⏳ Not attempted yet")


def test_11_checks_ask_for_the_lessons_when_nothing_is_measured(capsys, monkeypatch, tmp_path):
    monkeypatch.setattr(ex11, "_pairs", READ_PAIRS)
    monkeypatch.setattr(ex11, "default_path", lambda: tmp_path / "results.json")
    monkeypatch.setattr(ex11.evidence, "measured_pairs", lambda: ({}, {}))
    monkeypatch.setattr(ex11, "_PAIRS", {})
    line = outcome(capsys, "11.6", ("inconclusive", 40))
    assert line.startswith("❌ Not yet: no task has a prompt and a fine-tune")
    assert "lesson 11" in line


def test_the_old_ids_say_what_replaced_them(capsys):
    for old in ("11.1", "11.2", "11.3"):
        check(old, 1)
        assert "no longer exists" in capsys.readouterr().out
