"""Every check of set 11 with a right answer, a wrong answer, a wrong type and the placeholder.

11.1 and 11.2 run the real decision tool (pure Python, instant). 11.3's scoring is a
stand-in, so no tickets are scored here; the solution notebook runs the real thing.
"""

from __future__ import annotations

import dataclasses

import pytest

from prompt_vs_finetune.checks import check, core, ex11
from prompt_vs_finetune.data import QUEUE_RULES, load_tickets
from prompt_vs_finetune.decision.advice import DecisionInputs
from prompt_vs_finetune.decision.case_studies import CASE_STUDIES
from prompt_vs_finetune.measure import evaluate as evaluate_module
from prompt_vs_finetune.prompting.fewshot import build_prompt

RIGHT = DecisionInputs(**ex11.SCENARIO_FACTS)


@pytest.fixture(autouse=True)
def progress_path(tmp_path, monkeypatch):
    monkeypatch.setenv(core.PROGRESS_ENV_VAR, str(tmp_path / "progress.json"))


def outcome(capsys, exercise_id, answer) -> str:
    assert check(exercise_id, answer) is None
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


# --- 11.1 ---------------------------------------------------------------------------------


def test_11_1_right(capsys):
    line = outcome(capsys, "11.1", RIGHT)
    assert line.startswith("✅ Solved: recommend() says 'hybrid'")
    assert "per_request_context" in line


def test_11_1_close_enough_volume(capsys):
    answer = dataclasses.replace(RIGHT, monthly_requests=3_010_000)
    assert outcome(capsys, "11.1", answer).startswith("✅ Solved")


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"per_request_context": False}, "says 'fine-tuning'"),
        ({"ml_skills": False}, "decided by ml_skills"),
        (
            {"requirement_changes": "sometimes"},
            "1 field does not match the story: requirement_changes",
        ),
        ({"break_even_volume": 100.0}, "break_even_volume"),
    ],
)
def test_11_1_wrong(capsys, change, says):
    line = outcome(capsys, "11.1", dataclasses.replace(RIGHT, **change))
    assert line.startswith("❌ Not yet:") and says in line


def test_11_1_wrong_type(capsys):
    line = outcome(capsys, "11.1", dict(ex11.SCENARIO_FACTS))
    assert line.startswith("❌ Not yet: expected a DecisionInputs")


# --- 11.2 ---------------------------------------------------------------------------------

OWN = DecisionInputs(monthly_requests=200, format_only=True)


def test_11_2_right(capsys):
    assert outcome(capsys, "11.2", (OWN, "prompting")).startswith(
        "✅ Solved: recommend() agrees: 'prompting', decided by format_only"
    )
    assert outcome(capsys, "11.2", dataclasses.replace(CASE_STUDIES[0], inputs=OWN)).startswith(
        "✅ Solved"
    )


@pytest.mark.parametrize(
    ("answer", "says"),
    [
        ((OWN, "fine-tuning"), "recommend() says 'prompting', not 'fine-tuning'"),
        ((OWN, "fine tuning"), "expected must be one of"),
        ((CASE_STUDIES[5].inputs, "fine-tuning"), "exactly the inputs of the case study"),
        ((OWN, "prompting", "extra"), "a pair"),
        (("inputs", "prompting"), "expected a DecisionInputs"),
        ((OWN, 1), "as the second item"),
    ],
)
def test_11_2_wrong(capsys, answer, says):
    line = outcome(capsys, "11.2", answer)
    assert line.startswith("❌ Not yet:") and says in line


def test_11_2_wrong_type(capsys):
    assert outcome(capsys, "11.2", "prompting").startswith("❌ Not yet: expected a pair")


# --- 11.3 ---------------------------------------------------------------------------------


@pytest.fixture
def fake_scoring(monkeypatch, make_evaluation):
    """Stand-in: a prompt with the rules in its context scores 0.70, any other 0.15."""
    monkeypatch.setattr(
        evaluate_module,
        "evaluate",
        lambda lm, task, prompt, **kw: make_evaluation(20, 14 if prompt.context else 3),
    )


@pytest.fixture
def queue():
    return load_tickets("queue")


def test_11_3_right_when_prompting_is_exhausted(capsys, fake_scoring, queue):
    attempt = {"prompt": build_prompt(queue, k=8), "exhausted": True}
    line = outcome(capsys, "11.3", attempt)
    assert line.startswith("✅ Solved: even a fair try scores 0.15")


def test_11_3_right_when_prompting_works(capsys, fake_scoring, queue):
    attempt = {"prompt": build_prompt(queue, k=0, context=QUEUE_RULES), "exhausted": False}
    assert outcome(capsys, "11.3", attempt).startswith("✅ Solved: 0.70 reaches the target")


@pytest.mark.parametrize(
    ("k", "context", "exhausted", "says"),
    [
        (0, QUEUE_RULES, True, "is not exhausted, it works"),
        (2, None, False, "Improve it, or"),
        (2, None, True, "not yet a fair try"),
    ],
)
def test_11_3_wrong(capsys, fake_scoring, queue, k, context, exhausted, says):
    attempt = {"prompt": build_prompt(queue, k=k, context=context), "exhausted": exhausted}
    line = outcome(capsys, "11.3", attempt)
    assert line.startswith("❌ Not yet:") and says in line


def test_11_3_wrong_shape(capsys, fake_scoring, queue):
    category = build_prompt(load_tickets("category"), k=8)
    assert "not the queue codes" in outcome(capsys, "11.3", {"prompt": category, "exhausted": True})
    assert "two keys" in outcome(capsys, "11.3", {"prompt": build_prompt(queue, k=8)})
    line = outcome(capsys, "11.3", {"prompt": build_prompt(queue, k=8), "exhausted": "yes"})
    assert line.startswith("❌ Not yet: expected True or False")
    assert outcome(capsys, "11.3", build_prompt(queue, k=8)).startswith(
        "❌ Not yet: expected a dict"
    )


# --- all three: the placeholder -----------------------------------------------------------


@pytest.mark.parametrize("exercise_id", ["11.1", "11.2", "11.3"])
@pytest.mark.parametrize("placeholder", [..., None])
def test_placeholder_is_not_attempted(capsys, exercise_id, placeholder):
    assert outcome(capsys, exercise_id, placeholder).startswith("⏳ Not attempted yet: ")
