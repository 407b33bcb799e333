"""Set 07 with stubbed measurements: a right answer other than the solution's, wrong answers,
a wrong type and the placeholder for each exercise; the prediction rules of 07.4 and the bar
of 07.5 moving with the fine-tune it must match. The solution notebook runs the real ones."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from prompt_vs_finetune.checks import core, ex07, predictions
from tests.conftest import check_outcome as outcome


@pytest.fixture(autouse=True)
def progress_path(tmp_path, monkeypatch):
    monkeypatch.setenv(core.PROGRESS_ENV_VAR, str(tmp_path / "progress.json"))


def scored(right, *, confidence=None, tokens=100.0, labels=20):
    """An Evaluation-like result: right (1) or wrong (0) per ticket; ``confidence`` sets the
    top label probability of each ticket (the rest spread evenly over the other labels)."""
    n = len(right)
    top = np.full(n, 0.9) if confidence is None else np.asarray(confidence, dtype=float)
    rest = (1 - top) / (labels - 1)
    logprobs = np.log(np.column_stack([top] + [rest] * (labels - 1)))
    return SimpleNamespace(
        ids=[f"t{i}" for i in range(n)],
        gold=["a"] * n,
        predictions=["a" if r else "b" for r in right],
        logprobs=logprobs.tolist(),
        accuracy=sum(right) / n,
        mean_tokens=tokens,
        tokens_per_request=[tokens] * n,
    )


# --- 07.3: which precondition of the hybrid fails ----------------------------------------

BASE = [1] * 30 + [0] * 130
LEARNED = [1] * 100 + [0] * 60
LEARNED_WITH_RECORD = [1] * 95 + [0] * 5 + [1] * 3 + [0] * 57  # -2 tickets: no gain
USES_RECORD = [1] * 100 + [1] * 40 + [0] * 20  # +40 tickets


@pytest.fixture
def cells(monkeypatch):
    def use(tuned, tuned_with_record):
        lists = (BASE, BASE, tuned, tuned_with_record)
        found = dict(zip(ex07.CELLS, map(scored, lists), strict=True))
        monkeypatch.setattr(ex07, "two_by_two", lambda: found)

    use(LEARNED, LEARNED_WITH_RECORD)
    return use


def test_07_3_right(capsys, cells):
    line = outcome(capsys, "07.3", ("ignores the record", -2 / 160))
    assert line.startswith("✅ Solved: record not used") and "with the record minus" in line


def test_07_3_right_for_the_other_diagnoses(capsys, cells):
    cells(BASE, BASE)
    assert outcome(capsys, "07.3", ["Domain", 0.0]).startswith("✅ Solved: domain not learned")
    cells(LEARNED, USES_RECORD)
    assert outcome(capsys, "07.3", ("both hold", 0.25)).startswith("✅ Solved: both hold")


@pytest.mark.parametrize(
    ("answer", "says"),
    [(("domain not learned", 70 / 160), "not what the comparisons show"),
     (("both", -2 / 160), "not what the comparisons show"),
     (("record not used", 70 / 160), "not the difference")],
)  # fmt: skip
def test_07_3_wrong(capsys, cells, answer, says):
    line = outcome(capsys, "07.3", answer)
    assert line.startswith("❌ Not yet:") and says in line


@pytest.mark.parametrize(
    ("answer", "says"),
    [("record not used", "answer with a pair"), (("record not used", "-2"), "paired difference"),
     (("overfitting", 0.1), "not one of the diagnoses")],
)  # fmt: skip
def test_07_3_wrong_type(capsys, cells, answer, says):
    assert says in outcome(capsys, "07.3", answer)


# --- 07.4: the cheap path's accuracy on what it escalates --------------------------------

# 100 tickets: 20 unsure (confidence 0.4), 5 of them right; 80 sure, 60 of them right.
CHEAP = [1] * 5 + [0] * 15 + [1] * 60 + [0] * 20
SURE = [0.4] * 20 + [0.8] * 80


@pytest.fixture
def cheap(monkeypatch):
    monkeypatch.setattr(ex07, "cheap_path", lambda: scored(CHEAP, confidence=SURE))


def test_07_4_asks_for_a_prediction_first(capsys, cheap):
    assert "write your prediction down first" in outcome(capsys, "07.4", 0.25)


def test_07_4_right_with_a_far_guess(capsys, cheap):
    predictions.predict("07.4", 0.9)
    capsys.readouterr()
    line = outcome(capsys, "07.4", 5 / 20)
    assert line.startswith("✅ Solved: you predicted 0.90") and "too high" in line
    assert "keeps 80%" in line


@pytest.mark.parametrize(
    ("answer", "says"),
    [(60 / 80, "on the tickets it keeps"), (65 / 100, "on every ticket"),
     (0.2, "the share escalated"), (0.5, "count those the cheap path answered right")],
)  # fmt: skip
def test_07_4_wrong(capsys, cheap, answer, says):
    predictions.predict("07.4", 0.3)
    capsys.readouterr()
    line = outcome(capsys, "07.4", answer)
    assert line.startswith("❌ Not yet:") and says in line


def test_07_4_wrong_type(capsys, cheap):
    predictions.predict("07.4", 0.3)
    capsys.readouterr()
    assert "expected a share" in outcome(capsys, "07.4", [0.25])


# --- 07.5: a prompt-only waterfall as accurate as the fine-tune ---------------------------

# 100 tickets, confidence rising ticket by ticket: the cheap path gets the surest 40 right;
# the costly path gets 90 right. Escalating the least sure k tickets gives 40 + min(k, 50)
# right (the costly path is right on the first 50 and the last 40).
CONF = np.linspace(0.10, 0.95, 100)
CHEAP_RIGHT = [0] * 60 + [1] * 40
STRONG_RIGHT = [1] * 50 + [0] * 10 + [1] * 40


@pytest.fixture
def waterfall(monkeypatch, make_evaluation):
    inputs = {
        "cheap_logprobs": np.asarray(scored(CHEAP_RIGHT, confidence=CONF).logprobs),
        "cheap_preds": scored(CHEAP_RIGHT).predictions,
        "strong_preds": scored(STRONG_RIGHT).predictions,
        "gold": ["a"] * 100,
        "cost_cheap": 80.0,
        "cost_strong": 400.0,
    }
    monkeypatch.setattr(ex07, "waterfall", lambda: inputs)

    def fine_tune(correct: int):
        tuned = make_evaluation(100, correct, 80.0)
        monkeypatch.setattr(ex07, "baseline", lambda: tuned)

    fine_tune(80)  # interval [0.711, 0.867]: needs 72 right, 32 escalated
    return fine_tune


def cheapest_for(low: float) -> float:
    """The cheapest grid threshold whose waterfall reaches ``low`` (by brute force)."""
    for t in ex07.GRID:
        escalated = int((CONF < t).sum()) if t < 1 else 100
        if (40 + min(escalated, 50)) / 100 >= low:
            return t
    raise AssertionError("unreachable")


def test_07_5_right(capsys, waterfall):
    off_grid = float(CONF[31] + CONF[32]) / 2  # escalates 32 tickets: 72 right, cheaper
    line = outcome(capsys, "07.5", off_grid)
    assert line.startswith("✅ Solved: the waterfall") and "x fewer" in line


def test_07_5_the_bar_moves_with_the_fine_tune(capsys, waterfall):
    answer = cheapest_for(ex07.baseline().interval.low)
    assert outcome(capsys, "07.5", answer).startswith("✅ Solved:")
    waterfall(88)  # a better fine-tune: the same threshold no longer reaches it
    assert "below the low end" in outcome(capsys, "07.5", answer)
    assert outcome(capsys, "07.5", cheapest_for(ex07.baseline().interval.low)).startswith("✅")
    waterfall(99)  # out of reach: no threshold gets there
    assert outcome(capsys, "07.5", "None").startswith("✅ Solved: no threshold reaches")


@pytest.mark.parametrize(
    ("answer", "says"),
    [(0.1, "below the low end"), (1.0, "Take the cheapest"), ("none", "reaches the fine-tune")],
)
def test_07_5_wrong(capsys, waterfall, answer, says):
    line = outcome(capsys, "07.5", answer)
    assert line.startswith("❌ Not yet:") and says in line


@pytest.mark.parametrize(
    ("answer", "says"), [([0.5], "expected a threshold"), ("half", "expected a threshold"),
                         (1.5, "between 0 and 1")]
)  # fmt: skip
def test_07_5_wrong_type(capsys, waterfall, answer, says):
    assert says in outcome(capsys, "07.5", answer)


# --- every exercise: the placeholder, and the retired ids --------------------------------


@pytest.mark.parametrize("exercise_id", ["07.3", "07.4", "07.5"])
@pytest.mark.parametrize("placeholder", [..., None])
def test_placeholder_is_not_attempted(capsys, exercise_id, placeholder):
    assert outcome(capsys, exercise_id, placeholder).startswith("⏳ Not attempted yet: ")


@pytest.mark.parametrize("old", ["07.1", "07.2"])
def test_retired_ids_say_what_replaced_them(capsys, old):
    line = outcome(capsys, old, 1)
    assert "no longer exists" in line and "07.5" in line
