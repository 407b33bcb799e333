"""Every check of set 00 with a right answer, a wrong answer, a wrong type and the placeholder.

These run the real course model (the checks' own cached copy), as the notebooks do.
"""

from __future__ import annotations

import pytest

from prompt_vs_finetune.checks import check, core
from prompt_vs_finetune.checks.ex00 import SENTENCE
from prompt_vs_finetune.model.generation import count_tokens

FEW_SHOT = "Q: What is the capital of Italy?\nA: Rome\nQ: What is the capital of France?\nA:"
MESSAGES = [
    {"role": "user", "content": "What is the capital of Italy?"},
    {"role": "assistant", "content": "Rome"},
    {"role": "user", "content": "What is the capital of France?"},
]


@pytest.fixture(autouse=True)
def progress_path(tmp_path, monkeypatch):
    monkeypatch.setenv(core.PROGRESS_ENV_VAR, str(tmp_path / "progress.json"))


def outcome(capsys, exercise_id, answer) -> str:
    assert check(exercise_id, answer) is None
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def n_tokens(chat=False) -> int:
    return count_tokens(core.default_model(), SENTENCE, chat=chat)


# --- 00.1: count the tokens of a sentence -----------------------------------------------


def test_00_1_right(capsys):
    line = outcome(capsys, "00.1", n_tokens())
    assert line.startswith("✅ Solved:") and f"{n_tokens()} tokens" in line


@pytest.mark.parametrize(
    ("wrong", "says"),
    [
        (len(SENTENCE.split()), "number of words"),
        (len(SENTENCE), "number of characters"),
        (None, "chat template"),  # None: the count with the chat template
        (1, "fewer than"),
        (500, "more than"),
    ],
)
def test_00_1_wrong_answer_gets_a_specific_hint(capsys, wrong, says):
    wrong = n_tokens(chat=True) if wrong is None else wrong
    line = outcome(capsys, "00.1", wrong)
    assert line.startswith("❌ Not yet:") and says in line


def test_00_1_wrong_type(capsys):
    assert outcome(capsys, "00.1", str(n_tokens())).startswith(
        "❌ Not yet: expected a whole number (an int)"
    )


# --- 00.2: a one-word answer ------------------------------------------------------------


@pytest.mark.parametrize("prompt", [FEW_SHOT, MESSAGES], ids=["string", "messages"])
def test_00_2_right(capsys, prompt):
    assert outcome(capsys, "00.2", prompt) == (
        "✅ Solved: the model replied 'Paris': one word, and the right one."
    )


def test_00_2_wrong_sentence_reply(capsys):
    line = outcome(capsys, "00.2", "What is the capital of France?")
    assert line.startswith("❌ Not yet: the model replied 'The capital of France is Paris.'")
    assert "exactly one" in line


def test_00_2_prompt_must_ask_the_question(capsys):
    assert outcome(capsys, "00.2", "Say Paris.") == (
        "❌ Not yet: your prompt must ask the question, so it should mention France."
    )


@pytest.mark.parametrize("wrong", [42, [1, 2], {"role": "user"}])
def test_00_2_wrong_type(capsys, wrong):
    line = outcome(capsys, "00.2", wrong)
    assert line.startswith("❌ Not yet:") and "list of" in line


# --- 00.3: a word cut into 3+ tokens ----------------------------------------------------


def test_00_3_right(capsys):
    line = outcome(capsys, "00.3", "antidisestablishmentarianism")
    assert line.startswith("✅ Solved:") and "ant | idis | establish | ment | arianism" in line


@pytest.mark.parametrize(
    ("wrong", "says"),
    [
        ("hello", "is 1 token (hello)"),
        ("two words", "single word"),
        ("a1b2", "letters only"),
        ("  ", "empty"),
    ],
)
def test_00_3_wrong(capsys, wrong, says):
    line = outcome(capsys, "00.3", wrong)
    assert line.startswith("❌ Not yet:") and says in line


def test_00_3_wrong_type(capsys):
    assert outcome(capsys, "00.3", 3).startswith("❌ Not yet: expected a string")


# --- all three: the placeholder ---------------------------------------------------------


@pytest.mark.parametrize("exercise_id", ["00.1", "00.2", "00.3"])
@pytest.mark.parametrize("placeholder", [..., None])
def test_placeholder_is_not_attempted(capsys, exercise_id, placeholder):
    assert outcome(capsys, exercise_id, placeholder).startswith("⏳ Not attempted yet: ")
