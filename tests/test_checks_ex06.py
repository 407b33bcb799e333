"""Set 06 with stubbed measurements: a right answer other than the solution's, wrong answers,
a wrong type and the placeholder for each exercise; the prediction rules of 06.4 and the bar
of 06.6 moving with its baseline. The solution notebook runs the real measurements."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from prompt_vs_finetune.checks import core, ex06, predictions
from tests.conftest import check_outcome as outcome


@pytest.fixture(autouse=True)
def progress_path(tmp_path, monkeypatch):
    monkeypatch.setenv(core.PROGRESS_ENV_VAR, str(tmp_path / "progress.json"))


def scored(right: list[int]) -> SimpleNamespace:
    """An Evaluation-like result: right (1) or wrong (0) per ticket."""
    n = len(right)
    return SimpleNamespace(
        ids=[f"t{i}" for i in range(n)],
        gold=["a"] * n,
        predictions=["a" if r else "b" for r in right],
        accuracy=sum(right) / n,
    )


# --- 06.4: the fine-tune's share of the prompt's mistakes --------------------------------

# 160 tickets: the prompt gets the first 100 right; the fine-tune gets 90 of those and 20 of
# the 60 the prompt missed: it fixes 20 / 60 of the prompt's mistakes.
PROMPT = [1] * 100 + [0] * 60
TUNED = [1] * 90 + [0] * 10 + [1] * 20 + [0] * 40


@pytest.fixture
def pair(monkeypatch):
    monkeypatch.setattr(ex06, "prompt_and_fine_tune", lambda: (scored(PROMPT), scored(TUNED)))


def test_06_4_asks_for_a_prediction_first(capsys, pair):
    assert "write your prediction down first" in outcome(capsys, "06.4", 20 / 60)


def test_06_4_right_with_a_far_guess(capsys, pair):
    predictions.predict("06.4", 0.9)
    capsys.readouterr()
    fixed = [t for p, t in zip(PROMPT, TUNED, strict=True) if not p]
    line = outcome(capsys, "06.4", float(np.mean(fixed)))
    assert line.startswith("✅ Solved: you predicted 0.90") and "too high" in line
    assert "paired test" in line


@pytest.mark.parametrize(
    ("answer", "says"),
    [
        (110 / 160, "accuracy on every test ticket"),
        (20 / 160, "divide by the 60 tickets"),
        (10 / 50, "the other way round"),
        (40 / 60, "also gets wrong"),
        (0.5, "count those the fine-tune got right"),
    ],
)
def test_06_4_wrong(capsys, pair, answer, says):
    predictions.predict("06.4", 0.3)
    capsys.readouterr()
    line = outcome(capsys, "06.4", answer)
    assert line.startswith("❌ Not yet:") and says in line


def test_06_4_wrong_type(capsys, pair):
    predictions.predict("06.4", 0.3)
    capsys.readouterr()
    assert "expected a share" in outcome(capsys, "06.4", "0.33")


# --- 06.5: reading a paired comparison of two routing prompts ----------------------------

# Rules alone (A) and rules + examples (B): 20 tickets only A gets right, 21 only B.
RULES = [1] * 30 + [1] * 20 + [0] * 21 + [0] * 89
SHOWN = [1] * 30 + [0] * 20 + [1] * 21 + [0] * 89
CLEAR = [1] * 30 + [0] * 2 + [1] * 40 + [1] * 18 + [0] * 70  # B far ahead


@pytest.fixture
def routing(monkeypatch):
    def use(a, b):
        monkeypatch.setattr(ex06, "routing_pair", lambda: (scored(a), scored(b)))

    use(RULES, SHOWN)
    return use


def settle(a, b) -> int:
    from prompt_vs_finetune.measure.intervals import correct_of, items_to_settle, paired

    return items_to_settle(paired(correct_of(scored(a)), correct_of(scored(b))))


def test_06_5_right(capsys, routing):
    needed = settle(RULES, SHOWN)
    line = outcome(capsys, "06.5", ("can't tell", round(needed * 1.05)))
    assert line.startswith("✅ Solved:") and "inconclusive" in line


def test_06_5_right_when_settled(capsys, routing):
    routing(RULES, CLEAR)
    line = outcome(capsys, "06.5", ["Supported", settle(RULES, CLEAR)])
    assert line.startswith("✅ Solved:") and "already settle it" in line


@pytest.mark.parametrize(
    ("answer", "says"),
    [
        (("contradicted", 5000), "is not what this interval says"),
        (("not at this scale", 5000), "is not what this interval says"),
        (("inconclusive", 160), "not what items_to_settle gives"),
    ],
)
def test_06_5_wrong(capsys, routing, answer, says):
    line = outcome(capsys, "06.5", answer)
    assert line.startswith("❌ Not yet:") and says in line


@pytest.mark.parametrize(
    ("answer", "says"),
    [("inconclusive", "answer with a pair"), (("inconclusive", "many"), "how many tickets"),
     (("maybe", 100), "not one of the diagnoses")],
)  # fmt: skip
def test_06_5_wrong_type(capsys, routing, answer, says):
    line = outcome(capsys, "06.5", answer)
    assert line.startswith("❌ Not yet:") and says in line


# --- 06.6: as consistent as the fine-tune ------------------------------------------------

LOGPROBS = np.array([[0.0, -1.0, -2.0], [0.0, -0.5, -3.0], [0.0, -2.0, -2.5]])


@pytest.fixture
def consistency(monkeypatch):
    monkeypatch.setattr(ex06, "prompted_logprobs", lambda: LOGPROBS)

    def bar(value: float):
        monkeypatch.setattr(ex06, "baseline", lambda: value)

    bar(0.6)
    return bar


def test_06_6_right(capsys, consistency):
    hottest = ex06.hottest_consistent(LOGPROBS, 0.6)
    line = outcome(capsys, "06.6", round(hottest - 0.03, 2))
    assert line.startswith("✅ Solved:") and f"about {hottest:.2f}" in line


def test_06_6_the_bar_moves_with_the_baseline(capsys, consistency):
    answer = ex06.hottest_consistent(LOGPROBS, 0.6) - 0.01
    assert outcome(capsys, "06.6", answer).startswith("✅ Solved:")
    consistency(0.8)
    assert "too hot" in outcome(capsys, "06.6", answer)
    consistency(0.0)  # any temperature reaches it: the ceiling is the answer
    assert "sample hotter" in outcome(capsys, "06.6", answer)
    assert outcome(capsys, "06.6", 2.0).startswith("✅ Solved:")


@pytest.mark.parametrize(("answer", "says"), [(0.0, "sample hotter"), (1.9, "too hot")])
def test_06_6_wrong(capsys, consistency, answer, says):
    line = outcome(capsys, "06.6", answer)
    assert line.startswith("❌ Not yet:") and says in line


@pytest.mark.parametrize(("answer", "says"), [("0.5", "expected a temperature"), (3.0, "0 to 2")])
def test_06_6_wrong_type(capsys, consistency, answer, says):
    assert says in outcome(capsys, "06.6", answer)


# --- every exercise: the placeholder, and the retired ids --------------------------------


@pytest.mark.parametrize("exercise_id", ["06.4", "06.5", "06.6"])
@pytest.mark.parametrize("placeholder", [..., None])
def test_placeholder_is_not_attempted(capsys, exercise_id, placeholder):
    assert outcome(capsys, exercise_id, placeholder).startswith("⏳ Not attempted yet: ")


@pytest.mark.parametrize(("old", "new"), [("06.1", "06.4"), ("06.2", "06.5"), ("06.3", "06.6")])
def test_retired_ids_say_what_replaced_them(capsys, old, new):
    line = outcome(capsys, old, 1)
    assert "no longer exists" in line and new in line
