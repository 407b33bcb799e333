"""Every check of set 01 with a right answer, a wrong answer, a wrong type and the placeholder.

01.1 runs the real course model on its 12 tickets for the right answer (as the notebook does);
the slow parts of the other checks (the fine-tune) are replaced by fixed numbers.
"""

from __future__ import annotations

import re

import pytest

from prompt_vs_finetune.checks import check, core, ex01
from prompt_vs_finetune.prompting.variants import PromptVariant

GOOD = PromptVariant(
    "mine",
    "{ticket}\n\nOptions:\n{options}\n\nReply with one option from the list above and "
    "nothing else.",
    system="You sort support tickets. You answer with exactly one word.",
    answer_cue="Option:",
)


@pytest.fixture(autouse=True)
def progress_path(tmp_path, monkeypatch):
    monkeypatch.setenv(core.PROGRESS_ENV_VAR, str(tmp_path / "progress.json"))


def outcome(capsys, exercise_id, answer) -> str:
    assert check(exercise_id, answer) is None
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


# --- 01.1: a prompt whose answers are labels --------------------------------------------


def test_01_1_right_on_the_real_model(capsys):
    line = outcome(capsys, "01.1", GOOD)
    assert line.startswith("✅ Solved:") and "exactly one label" in line


def test_01_1_low_validity(capsys, monkeypatch):
    def fake(lm, variant, examples, labels):
        assert variant.max_new_tokens == ex01.ANSWER_TOKENS  # the learner cannot shorten it
        return {"format_validity": 0.25, "accuracy": 0.1, "replies": ["This is about", "x", "y"]}

    monkeypatch.setattr(ex01, "run_variant", fake)
    line = outcome(capsys, "01.1", "{ticket} Which category: {labels}?")  # a string works too
    assert line.startswith("❌ Not yet: only 25%") and "'This is about'" in line


@pytest.mark.parametrize(
    ("template", "says"),
    [("Classify: {labels}", "no {ticket}"), ("{ticket}\nIs it billing?", "all six labels")],
)
def test_01_1_template_problems(capsys, template, says):
    line = outcome(capsys, "01.1", PromptVariant("x", template))
    assert line.startswith("❌ Not yet:") and says in line


def test_01_1_wrong_type(capsys):
    assert outcome(capsys, "01.1", 42).startswith("❌ Not yet: expected a PromptVariant")


# --- 01.2: total weight change ------------------------------------------------------------


@pytest.fixture
def fake_total(monkeypatch):
    monkeypatch.setattr(ex01, "_tuned_total_change", lambda: 1.2345)


def test_01_2_right(capsys, fake_total):
    assert outcome(capsys, "01.2", 1.2345).startswith("✅ Solved: the fine-tune moved")


@pytest.mark.parametrize(
    ("wrong", "says"), [(0.0, "zero is what a prompt"), (3.0, "not the total")]
)
def test_01_2_wrong(capsys, fake_total, wrong, says):
    line = outcome(capsys, "01.2", wrong)
    assert line.startswith("❌ Not yet:") and says in line


def test_01_2_wrong_type(capsys, fake_total):
    assert outcome(capsys, "01.2", "1.2").startswith("❌ Not yet: expected a number")


# --- 01.3: reading the label out of a reply ----------------------------------------------


def good_pick(reply, labels):
    words = set(re.findall(r"[a-z]+", reply.lower()))
    named = [label for label in labels if label in words]
    return named[0] if len(named) == 1 else None


def test_01_3_right(capsys):
    assert outcome(capsys, "01.3", good_pick).startswith("✅ Solved: your function reads all")


@pytest.mark.parametrize(
    ("wrong", "says"),
    [
        (
            lambda reply, labels: next((lab for lab in labels if lab in reply.lower()), None),
            "expected None",
        ),  # substring match and first label: fooled by lists and "accounting"
        (lambda reply, labels: reply.strip().lower() or None, "expected"),
        (lambda reply, labels: 1 / 0, "raised ZeroDivisionError"),
    ],
)
def test_01_3_wrong(capsys, wrong, says):
    line = outcome(capsys, "01.3", wrong)
    assert line.startswith("❌ Not yet:") and says in line


def test_01_3_wrong_type(capsys):
    assert outcome(capsys, "01.3", "billing").startswith("❌ Not yet: expected a function")


# --- all: the placeholder -----------------------------------------------------------------


@pytest.mark.parametrize("exercise_id", ["01.1", "01.2", "01.3"])
@pytest.mark.parametrize("placeholder", [..., None])
def test_placeholder_is_not_attempted(capsys, exercise_id, placeholder):
    assert outcome(capsys, exercise_id, placeholder).startswith("⏳ Not attempted yet: ")
