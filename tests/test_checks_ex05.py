"""Checks of set 05 with a right answer, a wrong answer, a wrong type and the placeholder.

Generation (05.1) and the k-shot table (05.2) are replaced by fixed values; the solution
notebook runs the real model.
"""

from __future__ import annotations

import pytest

from prompt_vs_finetune.checks import check, core, ex05
from prompt_vs_finetune.measure.sweeps import accuracy_per_token
from prompt_vs_finetune.ui.tables import Table

TABLE = accuracy_per_token(
    Table(
        [
            {"k": 0, "accuracy": 0.40, "tokens_per_request": 100.0},
            {"k": 1, "accuracy": 0.45, "tokens_per_request": 160.0},  # 0.83 per 1k
            {"k": 2, "accuracy": 0.55, "tokens_per_request": 220.0},  # 1.25 per 1k
            {"k": 4, "accuracy": 0.60, "tokens_per_request": 340.0},  # 0.83 per 1k
            {"k": 8, "accuracy": 0.65, "tokens_per_request": 580.0},  # 0.52 per 1k
        ]
    )
)


@pytest.fixture(autouse=True)
def progress_path(tmp_path, monkeypatch):
    monkeypatch.setenv(core.PROGRESS_ENV_VAR, str(tmp_path / "progress.json"))


@pytest.fixture
def fake_model(monkeypatch):
    """Valid JSON for prompts that say 'JSON', prose otherwise."""
    monkeypatch.setattr(ex05, "_COUNTED", {})
    monkeypatch.setattr(ex05, "default_model", lambda: None)

    def fake(lm, examples, fn, max_new_tokens):
        ok = "JSON" in str(fn(examples[0].text))
        failures = ["ok"] * 7 + ["invalid_json"] if ok else ["no_json"] * 6 + ["ok"] * 2
        return failures.count("ok"), failures

    monkeypatch.setattr(ex05, "json_valid_count", fake)


def outcome(capsys, exercise_id, answer) -> str:
    assert check(exercise_id, answer) is None
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def test_fixed_tickets():
    assert len(ex05.fixed_tickets()) == 8 and all(e.fields for e in ex05.fixed_tickets())


def test_05_1_right(capsys, fake_model):
    line = outcome(capsys, "05.1", 'Reply with JSON {"a": 1}.\nTicket: {ticket}')
    assert line == "✅ Solved: 7 of 8 answers hold valid JSON (invalid_json: 1, ok: 7)."
    fn = lambda text: [{"role": "user", "content": f"JSON please: {text}"}]  # noqa: E731
    assert outcome(capsys, "05.1", fn).startswith("✅ Solved")


def test_05_1_wrong(capsys, fake_model):
    line = outcome(capsys, "05.1", "Tell me about this ticket: {ticket}")
    assert line.startswith("❌ Not yet: 2 of 8 answers hold valid JSON") and "at least 5" in line


@pytest.mark.parametrize(
    ("answer", "says"),
    [
        ("Reply with JSON.", "no {ticket} placeholder"),
        (lambda text: "Reply with JSON.", "must contain the ticket"),
        (lambda text: 42, "must return a prompt"),
        (42, "expected a template string"),
    ],
)
def test_05_1_wrong_form(capsys, fake_model, answer, says):
    line = outcome(capsys, "05.1", answer)
    assert line.startswith("❌ Not yet:") and says in line


@pytest.fixture
def fake_table(monkeypatch):
    monkeypatch.setattr(ex05, "measured_table", lambda: TABLE)


def test_05_2_right(capsys, fake_table):
    line = outcome(capsys, "05.2", 2)
    assert line.startswith("✅ Solved: k=2: +1.250 accuracy per 1000 extra tokens")


@pytest.mark.parametrize(
    ("answer", "says"),
    [
        (8, "highest accuracy"),
        (4, "another k buys more"),
        (0, "reference"),
        (3, "not in the table"),
    ],
)
def test_05_2_wrong(capsys, fake_table, answer, says):
    line = outcome(capsys, "05.2", answer)
    assert line.startswith("❌ Not yet:") and says in line


@pytest.mark.parametrize("wrong", ["2", 2.0, True])
def test_05_2_wrong_type(capsys, fake_table, wrong):
    assert outcome(capsys, "05.2", wrong).startswith("❌ Not yet: expected k as a whole number")


def test_best_k_ties():
    assert ex05.best_k_per_token(TABLE) == [2]


@pytest.mark.parametrize("exercise_id", ["05.1", "05.2"])
@pytest.mark.parametrize("placeholder", [..., None])
def test_placeholder_is_not_attempted(capsys, exercise_id, placeholder):
    assert outcome(capsys, exercise_id, placeholder).startswith("⏳ Not attempted yet: ")
