"""Every check of set 09 with a right answer, a wrong answer, a wrong type and the placeholder.

The measured inputs are a fixed dict (no results store), and 09.3's scoring is replaced by a
stand-in that rewards examples, so these tests run in seconds; the solution notebook runs
the real thing.
"""

from __future__ import annotations

import pytest

from prompt_vs_finetune.checks import check, core, ex09
from prompt_vs_finetune.data import load_tickets
from prompt_vs_finetune.economics.costs import cost_per_request
from prompt_vs_finetune.economics.scaling import break_even_volume, upfront, use_case_table
from prompt_vs_finetune.measure import evaluate as evaluate_module
from prompt_vs_finetune.prompting.fewshot import build_prompt, prompt_tokens

MEASURED = {
    "prompt_tokens_in": 510.0,
    "tuned_tokens_in": 79.0,
    "tokens_out": 2.0,
    "train_seconds": 90.0,
    "prompt_update_seconds": 0.004,
    "adapter_bytes": {"category": 3_700_000, "queue": 3_700_000, "priority": 3_700_000},
    "full_model_bytes": 538_000_000,
}


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    monkeypatch.setenv(core.PROGRESS_ENV_VAR, str(tmp_path / "progress.json"))
    monkeypatch.setattr(ex09, "_measured", lambda: MEASURED)


def outcome(capsys, exercise_id, answer) -> str:
    assert check(exercise_id, answer) is None
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


# --- 09.1 ---------------------------------------------------------------------------------


def truth_09_1() -> int:
    rows = use_case_table(MEASURED, counts=range(1, 201))
    return next(r["n_use_cases"] for r in rows if r["monthly_saving"] >= ex09.SAVING_TARGET)


def test_09_1_right(capsys):
    assert outcome(capsys, "09.1", truth_09_1()).startswith("✅ Solved: with ")


@pytest.mark.parametrize(("delta", "says"), [(-1, "less than"), (5, "the fewest")])
def test_09_1_wrong(capsys, delta, says):
    line = outcome(capsys, "09.1", truth_09_1() + delta)
    assert line.startswith("❌ Not yet:") and says in line


def test_09_1_wrong_type(capsys):
    assert outcome(capsys, "09.1", "12").startswith("❌ Not yet: expected a whole number")


# --- 09.2 ---------------------------------------------------------------------------------


def test_09_2_right(capsys):
    line = outcome(capsys, "09.2", break_even_volume(MEASURED) * 1.01)
    assert line.startswith("✅ Solved: above about")


def test_09_2_one_month_instead_of_twelve(capsys):
    saving = cost_per_request(510, 2) - cost_per_request(79, 2, tuned=True)
    line = outcome(capsys, "09.2", upfront(MEASURED).total / saving)
    assert line.startswith("❌ Not yet:") and "single month" in line


def test_09_2_forgot_the_tuned_cost(capsys):
    line = outcome(capsys, "09.2", upfront(MEASURED).total / (12 * cost_per_request(510, 2)))
    assert line.startswith("❌ Not yet:") and "not free" in line


def test_09_2_too_low_and_wrong_type(capsys):
    assert "too low" in outcome(capsys, "09.2", 10.0)
    assert outcome(capsys, "09.2", "many").startswith("❌ Not yet: expected a number")


# --- 09.3 ---------------------------------------------------------------------------------


@pytest.fixture
def fake_scoring(monkeypatch, make_evaluation):
    """Reference: 8-shot, 0.60 accuracy. Stand-in accuracy: 0.40 + 0.05 per example."""
    lm = core.default_model()
    task = load_tickets("category")
    dev = task.subset("dev", ex09.LEAN_N, seed=0)
    eight = prompt_tokens(lm, build_prompt(task, k=8), dev)
    reference = make_evaluation(40, 24, tokens_per_request=eight)
    monkeypatch.setattr(ex09, "_reference", lambda lm: reference)
    monkeypatch.setattr(
        evaluate_module,
        "evaluate",
        lambda lm, task, prompt, **kw: make_evaluation(20, 8 + prompt.k),
    )


def test_09_3_right(capsys, fake_scoring):
    line = outcome(capsys, "09.3", build_prompt(load_tickets("category"), k=4))
    assert line.startswith("✅ Solved:") and "accuracy 0.60" in line


def test_09_3_too_many_tokens(capsys, fake_scoring):
    line = outcome(capsys, "09.3", build_prompt(load_tickets("category"), k=6))
    assert line.startswith("❌ Not yet: your prompt sends") and "budget" in line


def test_09_3_not_accurate_enough(capsys, fake_scoring):
    line = outcome(capsys, "09.3", build_prompt(load_tickets("category"), k=1))
    assert line.startswith("❌ Not yet:") and "accuracy is 0.45" in line


def test_09_3_wrong_task_and_type(capsys, fake_scoring):
    line = outcome(capsys, "09.3", build_prompt(load_tickets("priority"), k=2))
    assert "not the ticket categories" in line
    assert outcome(capsys, "09.3", "Classify the ticket").startswith(
        "❌ Not yet: expected a FewShotPrompt"
    )


# --- all three: the placeholder -----------------------------------------------------------


@pytest.mark.parametrize("exercise_id", ["09.1", "09.2", "09.3"])
@pytest.mark.parametrize("placeholder", [..., None])
def test_placeholder_is_not_attempted(capsys, exercise_id, placeholder):
    assert outcome(capsys, exercise_id, placeholder).startswith("⏳ Not attempted yet: ")
