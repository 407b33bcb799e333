"""Every check of set 02 with a right answer, a wrong answer, a wrong type and the placeholder.

02.1 and 02.3 use the real course tokenizer and model (token counts, label scores on 24
tickets: a few seconds), as the notebook does.
"""

from __future__ import annotations

import math

import pytest

from prompt_vs_finetune.checks import check, core, ex02
from prompt_vs_finetune.data import load_tickets
from prompt_vs_finetune.economics.costs import Prices, monthly_cost
from prompt_vs_finetune.prompting.fewshot import build_prompt

SHORT = "Categories: billing, technical, shipping, account, cancellation, feature."


@pytest.fixture(autouse=True)
def progress_path(tmp_path, monkeypatch):
    monkeypatch.setenv(core.PROGRESS_ENV_VAR, str(tmp_path / "progress.json"))


def outcome(capsys, exercise_id, answer) -> str:
    assert check(exercise_id, answer) is None
    out = capsys.readouterr().out.strip().splitlines()
    lines = [line for line in out if not line.startswith("results store:")]
    assert len(lines) == 1, lines
    return lines[0]


# --- 02.1: a month of 8-shot requests ---------------------------------------------------


def right_monthly() -> float:
    t_in, t_out = ex02.eight_shot_tokens()
    return monthly_cost(ex02.VOLUME, t_in, t_out, Prices())


def test_02_1_right(capsys):
    assert outcome(capsys, "02.1", right_monthly()).startswith("✅ Solved: 250,000 requests")


@pytest.mark.parametrize(
    ("wrong", "says"),
    [
        (lambda m, t_in: ex02.VOLUME * t_in / 1000 * Prices().input_per_1k, "input tokens only"),
        (lambda m, t_in: m * 1000, "per 1,000 tokens"),
        (lambda m, t_in: m / ex02.VOLUME, "that is one request"),
        (lambda m, t_in: m * 2, "is not what the check computes"),
    ],
)
def test_02_1_wrong(capsys, wrong, says):
    line = outcome(capsys, "02.1", wrong(right_monthly(), ex02.eight_shot_tokens()[0]))
    assert line.startswith("❌ Not yet:") and says in line


def test_02_1_wrong_type(capsys):
    assert outcome(capsys, "02.1", "12 dollars").startswith("❌ Not yet: expected a number")


# --- 02.2: the break-even rule ------------------------------------------------------------


def break_even(upfront, cost_prompt, cost_tuned, months=12):
    saving = cost_prompt - cost_tuned
    return None if saving <= 0 else upfront / months / saving


def test_02_2_right(capsys):
    assert outcome(capsys, "02.2", break_even).startswith("✅ Solved: your rule agrees")


def test_02_2_infinity_is_accepted_for_never(capsys):
    def with_inf(*args):
        value = break_even(*args)
        return math.inf if value is None else value

    assert outcome(capsys, "02.2", with_inf).startswith("✅ Solved:")


@pytest.mark.parametrize(
    ("wrong", "says"),
    [
        (lambda u, p, t, m: u / (p - t) if p > t else None, "divide by the months"),
        (lambda u, p, t, m: u / m / (p - t), "raised ZeroDivisionError"),
        (lambda u, p, t, m: u / m / abs(p - t) if p != t else None, "never pays back"),
        (lambda u, p, t, m: u / m / p, "the check expects"),
    ],
)
def test_02_2_wrong(capsys, wrong, says):
    line = outcome(capsys, "02.2", wrong)
    assert line.startswith("❌ Not yet:") and says in line


def test_02_2_wrong_type(capsys):
    assert outcome(capsys, "02.2", 4_000_000).startswith("❌ Not yet: expected a function")


# --- 02.3: a cheaper prompt ------------------------------------------------------------------


@pytest.fixture(scope="module")
def task():
    return load_tickets("category")


def test_02_3_right(capsys, task):
    line = outcome(capsys, "02.3", build_prompt(task, k=3, seed=0, instruction=SHORT))
    assert line.startswith("✅ Solved:") and "much cheaper" in line


def test_02_3_too_long(capsys, task):
    line = outcome(capsys, "02.3", build_prompt(task, k=8, seed=0))
    assert line.startswith("❌ Not yet:") and "fewer than" in line


def test_02_3_not_accurate_enough(capsys, task, monkeypatch):
    monkeypatch.setattr(ex02, "eight_shot_on_tickets", lambda: (500.0, 0.6))
    monkeypatch.setattr(ex02, "measure_prompt", lambda prompt: (80.0, 0.3))
    line = outcome(capsys, "02.3", build_prompt(task, k=0))
    assert line.startswith("❌ Not yet:") and "at least 55%" in line


def test_02_3_other_task(capsys):
    line = outcome(capsys, "02.3", build_prompt(load_tickets("priority"), k=0))
    assert line.startswith("❌ Not yet:") and "ticket categories" in line


def test_02_3_wrong_type(capsys):
    assert outcome(capsys, "02.3", "Classify: {labels}").startswith(
        "❌ Not yet: expected a FewShotPrompt"
    )


# --- all: the placeholder -----------------------------------------------------------------


@pytest.mark.parametrize("exercise_id", ["02.1", "02.2", "02.3"])
@pytest.mark.parametrize("placeholder", [..., None])
def test_placeholder_is_not_attempted(capsys, exercise_id, placeholder):
    assert outcome(capsys, exercise_id, placeholder).startswith("⏳ Not attempted yet: ")
