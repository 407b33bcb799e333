"""Set 08 with stubbed measurements: a right answer other than the solution's, wrong answers,
a wrong type and the placeholder for each exercise; the prediction rules of 08.4 and the bar
of 08.6 moving with the runs it is replayed on. The solution notebook reads the real ones."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from prompt_vs_finetune.checks import core, ex08, predictions
from prompt_vs_finetune.finetune.diagnosis import RunCurves
from tests.conftest import check_outcome as outcome


@pytest.fixture(autouse=True)
def progress_path(tmp_path, monkeypatch):
    monkeypatch.setenv(core.PROGRESS_ENV_VAR, str(tmp_path / "progress.json"))


# --- 08.4: edits that beat their base -----------------------------------------------------


def flipped(right: list[int], to_one=(), to_zero=()) -> list[int]:
    out = list(right)
    for i in to_one:
        out[i] = 1
    for i in to_zero:
        out[i] = 0
    return out


def version_rights() -> dict[str, list[int]]:
    """60 dev tickets. Against their bases: v3 and v8 win clearly; v5 wins 5 tickets to 0
    (interval above zero, McNemar p 0.06); v2 and v4 win 2 to 1; v6 and v7 lose clearly."""
    v1 = [1] * 20 + [0] * 40
    v3 = flipped(v1, to_one=range(20, 40))
    v4 = flipped(v3, to_one=(40, 41), to_zero=(0,))
    v5 = flipped(v4, to_one=range(42, 47))
    loses = flipped(v5, to_zero=range(1, 16))
    return {
        "v1": v1, "v2": flipped(v1, to_one=(20, 21), to_zero=(0,)), "v3": v3, "v4": v4,
        "v5": v5, "v6": loses, "v7": loses, "v8": flipped(v5, to_one=[0, *range(47, 60)]),
    }  # fmt: skip


@pytest.fixture
def versions(monkeypatch):
    def scored(right):
        return SimpleNamespace(gold=["a"] * len(right), predictions=["ab"[1 - r] for r in right])

    found = {name: scored(right) for name, right in version_rights().items()}
    monkeypatch.setattr(ex08, "version_runs", lambda: found)


def test_08_4_asks_for_a_prediction_first(capsys, versions):
    assert "write your prediction down first" in outcome(capsys, "08.4", 2)


def test_08_4_right_with_a_far_guess(capsys, versions):
    predictions.predict("08.4", 7)
    capsys.readouterr()
    line = outcome(capsys, "08.4", 2)
    assert line.startswith("✅ Solved: you predicted 7; the measurement is 2: too high")
    assert "5 of the 7 edits raised dev accuracy, 2 by more than the noise; 2 lowered" in line


@pytest.mark.parametrize(
    ("answer", "says"),
    [(5, "every edit that raised"), (4, "either direction"), (3, "intervals wholly above"),
     (1, "pair each edit with its base")],
)  # fmt: skip
def test_08_4_wrong(capsys, versions, answer, says):
    predictions.predict("08.4", 3)
    capsys.readouterr()
    line = outcome(capsys, "08.4", answer)
    assert line.startswith("❌ Not yet:") and says in line


def test_08_4_wrong_type(capsys, versions):
    predictions.predict("08.4", 3)
    capsys.readouterr()
    assert "expected a whole number" in outcome(capsys, "08.4", 2.0)


# --- 08.5: reading the queue run ----------------------------------------------------------

FALLING = [1.2 - 0.01 * i for i in range(100)]  # ends near 0.25: not memorised
DIP = [(0, 0.12), (20, 0.27), (40, 0.21), (60, 0.38), (80, 0.52), (100, 0.65), (120, 0.65)]


@pytest.fixture
def queue(monkeypatch):
    def use(curves):
        monkeypatch.setattr(ex08, "queue_curves", lambda: curves)

    use(RunCurves(FALLING, DIP))
    return use


def test_08_5_right(capsys, queue):
    line = outcome(capsys, "08.5", ["Fine", 100])  # the earliest best, in a word of its own
    assert line.startswith("✅ Solved: healthy:") and "Keep step 100" in line


def test_08_5_right_on_an_overfitting_run(capsys, queue):
    memorised = [1.0 - 0.012 * i for i in range(80)] + [0.01] * 20
    queue(RunCurves(memorised, [(0, 0.3), (50, 0.7), (100, 0.5)]))
    assert outcome(capsys, "08.5", ("overfit", 50)).startswith("✅ Solved: overfitting:")


@pytest.mark.parametrize(
    ("answer", "says"),
    [(("overfitting", 100), "not what the curves show"), (("healthy", 20), "at step 20"),
     (("healthy", 130), "measured at steps")],
)  # fmt: skip
def test_08_5_wrong(capsys, queue, answer, says):
    line = outcome(capsys, "08.5", answer)
    assert line.startswith("❌ Not yet:") and says in line


@pytest.mark.parametrize(
    ("answer", "says"),
    [("healthy", "answer with a pair"), (("healthy", "120"), "the step whose weights"),
     (("unclear", 120), "not one of the diagnoses")],
)  # fmt: skip
def test_08_5_wrong_type(capsys, queue, answer, says):
    assert says in outcome(capsys, "08.5", answer)


# --- 08.6: the patience of early stopping -------------------------------------------------

SMOOTH = {
    "category": [(0, 0.4), (20, 0.6), (40, 0.75)],
    "overfit": [(0, 0.4), (10, 0.5), (20, 0.7), (30, 0.6), (40, 0.55)],
    "queue": [(0, 0.1), (20, 0.3), (40, 0.5), (60, 0.6)],
}
DIPPING = {**SMOOTH, "queue": [(0, 0.1), (20, 0.3), (40, 0.25), (60, 0.6), (80, 0.65)]}


@pytest.fixture
def runs(monkeypatch):
    def use(curves):
        found = {name: RunCurves([1.0, 0.5], curve) for name, curve in curves.items()}
        monkeypatch.setattr(ex08, "runs", lambda: found)

    use(SMOOTH)
    return use


def test_08_6_right(capsys, runs):
    line = outcome(capsys, "08.6", 1)
    assert (
        line.startswith("✅ Solved:") and "after 130 training steps in all instead of 140" in line
    )


def test_08_6_the_bar_moves_with_the_runs(capsys, runs):
    assert outcome(capsys, "08.6", 1).startswith("✅ Solved:")
    runs(DIPPING)  # a run with a dip on the way: patience 1 stops there
    line = outcome(capsys, "08.6", 1)
    assert "the queue run stops at step 40 and keeps step 20" in line and "More patience" in line
    assert outcome(capsys, "08.6", 2).startswith("✅ Solved:")


@pytest.mark.parametrize(("answer", "says"), [(2, "Less patience"), (5, "Less patience")])
def test_08_6_wrong(capsys, runs, answer, says):
    line = outcome(capsys, "08.6", answer)
    assert line.startswith("❌ Not yet:") and says in line


@pytest.mark.parametrize(("answer", "says"), [(1.0, "expected a whole number"), (0, "1 or more")])
def test_08_6_wrong_type(capsys, runs, answer, says):
    assert says in outcome(capsys, "08.6", answer)


def test_replay_follows_early_stopping():
    assert ex08.replay(DIPPING["queue"], 1) == (40, 20, 0.3)
    assert ex08.replay(DIPPING["queue"], 2) == (80, 80, 0.65)


# --- every exercise: the placeholder, and the retired ids --------------------------------


@pytest.mark.parametrize("exercise_id", ["08.4", "08.5", "08.6"])
@pytest.mark.parametrize("placeholder", [..., None])
def test_placeholder_is_not_attempted(capsys, exercise_id, placeholder):
    assert outcome(capsys, exercise_id, placeholder).startswith("⏳ Not attempted yet: ")


@pytest.mark.parametrize(("old", "new"), [("08.1", "08.4"), ("08.2", "08.4"), ("08.3", "08.6")])
def test_retired_ids_say_what_replaced_them(capsys, old, new):
    line = outcome(capsys, old, 1)
    assert "no longer exists" in line and new in line
