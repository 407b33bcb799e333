"""Every check of set 01 with a right answer, a wrong answer, a wrong type and the placeholder.

The model's measurements are stubbed: the two evaluations of 01.4 and the stored replies of
01.6 are small fakes, and 01.5 counts the matrices of a tiny 2-layer model (checked against
peft's own count of trainable numbers).
"""

from __future__ import annotations

import copy
import re
from types import SimpleNamespace

import pytest

from prompt_vs_finetune.checks import core, ex01
from prompt_vs_finetune.checks.predictions import predict
from prompt_vs_finetune.finetune.steps import trainable
from prompt_vs_finetune.measure.intervals import paired
from tests.conftest import check_outcome as outcome


@pytest.fixture(autouse=True)
def progress_path(tmp_path, monkeypatch):
    monkeypatch.setenv(core.PROGRESS_ENV_VAR, str(tmp_path / "progress.json"))


def predicted(capsys, exercise_id, value) -> None:
    predict(exercise_id, value)
    capsys.readouterr()


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


# --- 01.4: predict, then measure, how many answers the fine-tune changed ------------------

GOLD = ["a"] * 10
BASE = ["a", "a", "a", "b", "b", "b", "b", "b", "b", "b"]  # 3 right
TUNED = ["a", "a", "c", "a", "a", "a", "a", "c", "b", "b"]  # 6 right, 6 answers changed


@pytest.fixture
def evaluations(monkeypatch):
    def fake(predictions):
        right = sum(p == g for p, g in zip(predictions, GOLD, strict=True))
        return SimpleNamespace(predictions=predictions, gold=GOLD, accuracy=right / len(GOLD))

    monkeypatch.setattr(ex01, "evaluations", lambda: (fake(BASE), fake(TUNED)))


def test_01_4_asks_for_a_prediction_first(capsys, evaluations):
    assert outcome(capsys, "01.4", 0.6).startswith("❌ Not yet: write your prediction down first")


def test_01_4_a_far_prediction_still_solves(capsys, evaluations):
    predicted(capsys, "01.4", 0.05)
    line = outcome(capsys, "01.4", 0.6)
    assert line.startswith("✅ Solved: you predicted 0.05; the measurement is 0.60")
    assert "too low" in line and "4 went from wrong to right, 1 from right to wrong" in line


def test_01_4_right_from_a_count(capsys, evaluations):
    predicted(capsys, "01.4", 0.6)
    changed = len([i for i in range(10) if BASE[i] != TUNED[i]]) / 10
    assert outcome(capsys, "01.4", changed).startswith("✅ Solved: you predicted 0.60")


@pytest.mark.parametrize(
    ("wrong", "says"),
    [
        (0.3, "how far accuracy moved"),
        (0.4, "stayed the same"),
        (6, "more than 1"),
        (0.9, "not the share of tickets"),
    ],
)
def test_01_4_wrong(capsys, evaluations, wrong, says):
    predicted(capsys, "01.4", 0.5)
    line = outcome(capsys, "01.4", wrong)
    assert line.startswith("❌ Not yet:") and says in line


def test_01_4_wrong_type(capsys, evaluations):
    predicted(capsys, "01.4", 0.5)
    assert outcome(capsys, "01.4", "0.6").startswith("❌ Not yet: expected a number")


# --- 01.5: an adapter over every layer within the course's budget ---------------------------
# The tiny model has 2 layers; per layer q_proj is 32 -> 32, k_proj and v_proj 32 -> 16.
QV = ["q_proj", "v_proj"]


@pytest.fixture
def tiny(monkeypatch, tiny_lm):
    monkeypatch.setattr(ex01, "default_model", lambda: tiny_lm)
    return tiny_lm


def test_01_5_counts_what_peft_trains(tiny):
    recipe = {"rank": 3, "target_modules": ["q_proj", "k_proj", "v_proj"], "top_layers": 1}
    config = {"method": "lora", "alpha": 6, **recipe}
    model = trainable(copy.deepcopy(tiny.model), config)
    peft_count = sum(p.numel() for p in model.parameters() if p.requires_grad)
    assert ex01.lora_numbers(recipe)[0] == peft_count == 3 * (64 + 48 + 48)


def test_01_5_right(capsys, tiny):
    # the course recipe on the tiny model: rank 8, q and v, every layer (15 > 2): 1,792
    assert ex01.baseline() == 8 * 2 * (64 + 48)
    recipe = {
        "rank": 4,
        "target_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "top_layers": 2,
    }
    line = outcome(capsys, "01.5", recipe)
    assert line.startswith("✅ Solved: rank 4 on 4 matrices in all 2 layers trains 1,792")


def test_01_5_the_bar_moves_with_the_baseline(capsys, tiny, monkeypatch):
    recipe = {"rank": 6, "target_modules": QV, "top_layers": 2}  # 1,344 numbers
    monkeypatch.setattr(ex01, "baseline", lambda: 1500)
    assert outcome(capsys, "01.5", recipe).startswith("✅ Solved")
    monkeypatch.setattr(ex01, "baseline", lambda: 1300)
    assert outcome(capsys, "01.5", recipe).startswith("❌ Not yet: your recipe trains 1,344")


@pytest.mark.parametrize(
    ("recipe", "says"),
    [
        ({"rank": 8, "target_modules": QV, "top_layers": 1}, "reach every layer"),
        ({"rank": 8, "target_modules": ["q_proj"], "top_layers": 2}, "keep at least"),
        ({"rank": 9, "target_modules": QV, "top_layers": 2}, "the budget is 1,792"),
        ({"rank": 7, "target_modules": QV, "top_layers": 2}, "rank 8 (1,792) would fit too"),
        ({"rank": 8, "target_modules": ["q_proj", "wq"], "top_layers": 2}, "must name matrices"),
        ({"rank": 8, "top_layers": 2}, "has no target_modules"),
        ({"rank": 0, "target_modules": QV, "top_layers": 2}, "at least 1"),
    ],
)
def test_01_5_wrong(capsys, tiny, recipe, says):
    line = outcome(capsys, "01.5", recipe)
    assert line.startswith("❌ Not yet:") and says in line


@pytest.mark.parametrize(
    "wrong", [4, ("q_proj", 4), {"rank": "4", "target_modules": QV, "top_layers": 2}]
)
def test_01_5_wrong_type(capsys, tiny, wrong):
    assert outcome(capsys, "01.5", wrong).startswith("❌ Not yet: expected")


# --- 01.6: did the format instruction make the model more accurate? ------------------------


def result(predicted_labels, valid=0.0):
    gold = ["a"] * len(predicted_labels)
    return {"predicted": predicted_labels, "gold": gold, "format_validity": valid}


@pytest.fixture
def stored(monkeypatch):
    bare = result(["b"] * 40)
    listed = result(["a"] * 2 + ["b"] * 38)
    monkeypatch.setattr(ex01, "c1_pair", lambda: (bare, listed))
    return paired(ex01._right(bare), ex01._right(listed))


@pytest.mark.parametrize("word", ["inconclusive", "Can't tell", "unclear"])
def test_01_6_right(capsys, stored, word):
    line = outcome(capsys, "01.6", (word, (stored.low, stored.high)))
    assert line.startswith("✅ Solved: inconclusive: the difference is +0.050")


def test_01_6_right_when_the_instruction_wins(capsys, monkeypatch):
    bare, listed = result(["b"] * 40), result(["a"] * 20 + ["b"] * 20, valid=0.9)
    monkeypatch.setattr(ex01, "c1_pair", lambda: (bare, listed))
    cmp = paired(ex01._right(bare), ex01._right(listed))
    line = outcome(capsys, "01.6", ["supported", [round(cmp.low, 2), round(cmp.high, 2)]])
    assert line.startswith("✅ Solved: supported") and "from 0% to 90%" in line


@pytest.mark.parametrize(
    ("wrong", "says"),
    [
        (lambda c: ("supported", (c.low, c.high)), "'supported' is not what it says"),
        (lambda c: ("inconclusive", (-c.high, -c.low)), "subtract the other way"),
        (lambda c: ("inconclusive", (0.1, 0.3)), "not the paired interval"),
        (lambda c: ("overfitting", (c.low, c.high)), "not one of the diagnoses"),
        (lambda c: ("inconclusive", (c.low,)), "two numbers"),
    ],
)
def test_01_6_wrong(capsys, stored, wrong, says):
    line = outcome(capsys, "01.6", wrong(stored))
    assert line.startswith("❌ Not yet:") and says in line


@pytest.mark.parametrize("wrong", ["inconclusive", ("inconclusive", 0.05)])
def test_01_6_wrong_type(capsys, stored, wrong):
    assert outcome(capsys, "01.6", wrong).startswith("❌ Not yet:")


# --- all: the placeholder, and the retired ids ------------------------------------------------


@pytest.mark.parametrize("exercise_id", ["01.3", "01.4", "01.5", "01.6"])
@pytest.mark.parametrize("placeholder", [..., None])
def test_placeholder_is_not_attempted(capsys, exercise_id, placeholder):
    assert outcome(capsys, exercise_id, placeholder).startswith("⏳ Not attempted yet: ")


@pytest.mark.parametrize(("old", "new"), [("01.1", "01.6"), ("01.2", "01.5")])
def test_retired_ids_say_what_replaced_them(capsys, old, new):
    line = outcome(capsys, old, 3)
    assert "no longer exists" in line and new in line
