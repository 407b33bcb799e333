"""Every check of set 00 with a right answer, a wrong answer, a wrong type and the placeholder.

The model's measurements are stubbed (token counts, replies); two slow tests run the real
course model on the solution of 00.5 and on its unchanged baseline, the bare question.
"""

from __future__ import annotations

import pytest

from prompt_vs_finetune.checks import core, ex00
from prompt_vs_finetune.checks.predictions import predict
from prompt_vs_finetune.model.generation import Generation
from tests.conftest import check_outcome as outcome

SOLUTION = [
    {"role": "system", "content": ""},
    {"role": "user", "content": "Capital of Italy?"},
    {"role": "assistant", "content": "Rome"},
    {"role": "user", "content": "Capital of France?"},
]


@pytest.fixture(autouse=True)
def progress_path(tmp_path, monkeypatch):
    monkeypatch.setenv(core.PROGRESS_ENV_VAR, str(tmp_path / "progress.json"))


def reply(text: str, tokens_in: int = 30, tokens_out: int = 2) -> Generation:
    return Generation(text, tokens_in, tokens_out, 0.1)


# --- 00.4: predict, then measure, the German ticket's tokens -------------------------------


@pytest.fixture
def counts(monkeypatch):
    monkeypatch.setattr(ex00, "token_counts", lambda: (48, 30))  # German, English


def test_00_4_asks_for_a_prediction_first(capsys, counts):
    line = outcome(capsys, "00.4", 1.6)
    assert line.startswith("❌ Not yet: write your prediction down first")


def test_00_4_a_far_prediction_still_solves_with_the_measurement(capsys, counts):
    predict("00.4", 1.0)
    capsys.readouterr()
    line = outcome(capsys, "00.4", 48 / 30)
    assert line.startswith("✅ Solved: you predicted 1.00x") and "too low" in line
    assert "48 tokens" in line


def test_00_4_right_from_a_count_of_the_pieces(capsys, counts):
    predict("00.4", 1.5)
    capsys.readouterr()
    pieces = [8] * 6  # another way to get 48 tokens
    assert outcome(capsys, "00.4", sum(pieces) / 30).startswith("✅ Solved: you predicted 1.50x")


@pytest.mark.parametrize(
    ("wrong", "says"),
    [
        (30 / 48, "divide the other way"),
        (ex00._ratio(ex00.GERMAN, ex00.ENGLISH, "words"), "ratio of words"),
        (ex00._ratio(ex00.GERMAN, ex00.ENGLISH, "characters"), "ratio of characters"),
        (2.5, "not the ratio of the two token counts"),
    ],
)
def test_00_4_wrong(capsys, counts, wrong, says):
    predict("00.4", 1.5)
    capsys.readouterr()
    line = outcome(capsys, "00.4", wrong)
    assert line.startswith("❌ Not yet:") and says in line


def test_00_4_wrong_type(capsys, counts):
    predict("00.4", 1.5)
    capsys.readouterr()
    assert outcome(capsys, "00.4", "1.6").startswith("❌ Not yet: expected a number")


# --- 00.5: a one-word answer for fewer tokens than the bare question ------------------------


@pytest.fixture
def model(monkeypatch):
    """A stubbed model: 'Paris' costs 36 tokens for a prompt with a system message, else 58;
    the bare question costs 45 tokens."""

    def ask(prompt):
        if isinstance(prompt, str) and "What is" in prompt:
            return reply("The capital of France is Paris.", 37, 8)
        if isinstance(prompt, str) and "hello" in prompt.lower():
            return reply("Hello! How can I help?", 31, 8)
        return reply("Paris", 34 if isinstance(prompt, list) else 56, 2)

    monkeypatch.setattr(ex00, "ask", ask)
    monkeypatch.setattr(ex00, "baseline", lambda: 45)


def test_00_5_right_with_a_short_system_message(capsys, model):
    other = [{"role": "system", "content": "One word."}, {"role": "user", "content": "France?"}]
    line = outcome(capsys, "00.5", other)
    assert line.startswith("✅ Solved: 'Paris' for 34 tokens in + 2 out = 36 tokens")


def test_00_5_one_word_but_too_many_tokens(capsys, model):
    line = outcome(capsys, "00.5", "Q: Capital of Italy?\nA: Rome\nQ: Capital of France?\nA:")
    assert line.startswith("❌ Not yet: the reply is 'Paris', but the request costs 56")


def test_00_5_the_bar_moves_with_the_baseline(capsys, model, monkeypatch):
    monkeypatch.setattr(ex00, "baseline", lambda: 60)
    assert outcome(capsys, "00.5", "Capital of France? One word:").startswith("✅ Solved")
    monkeypatch.setattr(ex00, "baseline", lambda: 50)
    assert outcome(capsys, "00.5", "Capital of France? One word:").startswith("❌ Not yet")


def test_00_5_the_unchanged_baseline_fails(capsys, model):
    line = outcome(capsys, "00.5", ex00.QUESTION)
    assert line.startswith("❌ Not yet: the model replied 'The capital of France is Paris.'")


def test_00_5_hello_fails(capsys, model):
    line = outcome(capsys, "00.5", "hello")
    assert line == "❌ Not yet: your prompt must ask the question, so it should mention France."


def test_00_5_wrong_word(capsys, monkeypatch):
    monkeypatch.setattr(ex00, "ask", lambda prompt: reply("Lyon"))
    line = outcome(capsys, "00.5", "Capital of France?")
    assert line.startswith("❌ Not yet: the model replied 'Lyon': one word, but not 'Paris'")


@pytest.mark.parametrize("wrong", [42, [1, 2], {"role": "user"}])
def test_00_5_wrong_type(capsys, wrong):
    line = outcome(capsys, "00.5", wrong)
    assert line.startswith("❌ Not yet:") and "list of" in line


def test_00_5_solution_on_the_real_model(capsys):
    assert outcome(capsys, "00.5", SOLUTION).startswith("✅ Solved: 'Paris' for")


def test_00_5_baseline_fails_on_the_real_model(capsys):
    assert outcome(capsys, "00.5", ex00.QUESTION).startswith("❌ Not yet: the model replied")


# --- 00.6: finished or cut off? -------------------------------------------------------------


@pytest.fixture
def cut(monkeypatch):
    text = "This is a service ticket for a router. It's a service ticket is a"
    monkeypatch.setattr(ex00, "reading", lambda: (reply(text, 40, ex00.LIMIT), True))


@pytest.mark.parametrize("word", ["cut off", "Truncated", "cut-off"])
def test_00_6_right(capsys, cut, word):
    line = outcome(capsys, "00.6", (word, ex00.LIMIT))
    assert line.startswith("✅ Solved: the reply used all 40 tokens and would have gone on")


def test_00_6_right_when_the_reply_finished(capsys, monkeypatch):
    monkeypatch.setattr(ex00, "reading", lambda: (reply("A technical ticket.", 40, 5), False))
    line = outcome(capsys, "00.6", ["finished", 5])
    assert line.startswith("✅ Solved: the reply stopped by itself after 5 tokens")


@pytest.mark.parametrize(
    ("wrong", "says"),
    [
        (("finished", 40), "yet you say 'finished'"),
        (("cut off", 39), "39 is not the number of tokens"),
        (("overfitting", 40), "not one of the diagnoses here"),
    ],
)
def test_00_6_wrong(capsys, cut, wrong, says):
    line = outcome(capsys, "00.6", wrong)
    assert line.startswith("❌ Not yet:") and says in line


@pytest.mark.parametrize("wrong", ["cut off", ("cut off", "40"), ("cut off",)])
def test_00_6_wrong_type(capsys, cut, wrong):
    assert outcome(capsys, "00.6", wrong).startswith("❌ Not yet:")


# --- all: the placeholder, and the retired ids ----------------------------------------------


@pytest.mark.parametrize("exercise_id", ["00.4", "00.5", "00.6"])
@pytest.mark.parametrize("placeholder", [..., None])
def test_placeholder_is_not_attempted(capsys, exercise_id, placeholder):
    assert outcome(capsys, exercise_id, placeholder).startswith("⏳ Not attempted yet: ")


@pytest.mark.parametrize(("old", "new"), [("00.1", "00.4"), ("00.2", "00.5"), ("00.3", "00.4")])
def test_retired_ids_say_what_replaced_them(capsys, old, new):
    line = outcome(capsys, old, 3)
    assert "no longer exists" in line and new in line
