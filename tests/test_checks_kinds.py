"""The three kinds of exercise: predictions kept on record, bars from baselines, readings."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from prompt_vs_finetune.checks import check, core, predictions, readings
from prompt_vs_finetune.checks.bars import MIN_ITEMS, beats, reaches
from prompt_vs_finetune.measure.intervals import rate

DEMO = "99.1"


@pytest.fixture(autouse=True)
def progress_path(tmp_path, monkeypatch):
    monkeypatch.setenv(core.PROGRESS_ENV_VAR, str(tmp_path / "progress.json"))


@pytest.fixture
def demo(monkeypatch):
    """A predict exercise whose measurement is 0.40 [0.30, 0.50]; answer: the measurement."""

    def checker(answer):
        first = predictions.prediction_for(DEMO)
        ok = abs(answer - 0.40) < 1e-9
        return ok, predictions.compare(first, 0.40, (0.30, 0.50))

    ex = core.Exercise(DEMO, "demo", "measure it", ("hint",), "x = 0.4", checker, "predict")
    monkeypatch.setitem(core.EXERCISES, DEMO, ex)


def lines(capsys) -> list[str]:
    return capsys.readouterr().out.strip().splitlines()


def test_check_asks_for_a_prediction_first(demo, capsys):
    check(DEMO, 0.40)
    assert "write your prediction down first" in lines(capsys)[0]


def test_first_prediction_stays_and_a_late_change_shows(demo, capsys):
    predictions.predict(DEMO, 0.7)
    check(DEMO, 0.40)
    out = lines(capsys)[-1]
    assert out.startswith("✅ Solved") and "too high" in out and "0.70" in out
    predictions.predict(DEMO, 0.42)
    check(DEMO, 0.40)
    out = lines(capsys)[-1]
    assert "0.70" in out and "after the measurement" in out and "first one counts" in out


def test_a_change_before_measuring_is_noted_as_such(demo, capsys):
    predictions.predict(DEMO, 0.1)
    predictions.predict(DEMO, 0.35)
    check(DEMO, 0.40)
    out = lines(capsys)[-1]
    assert "too low" in out and "before measuring" in out


@pytest.mark.parametrize("bad", [..., None, {"a": 1}])
def test_a_placeholder_or_odd_prediction_is_not_recorded(demo, capsys, bad):
    predictions.predict(DEMO, bad)
    assert lines(capsys)[0].startswith(predictions.NO_PREDICTION)
    assert "prediction" not in core.load_progress().get(DEMO, {})


def test_predict_on_a_non_predict_exercise_says_so(capsys):
    predictions.predict("00.1", 3)
    assert "not a predict-then-measure exercise" in lines(capsys)[0]


def test_retired_ids_say_what_replaced_them(monkeypatch, capsys):
    monkeypatch.setitem(core.RETIRED, "98.1", "it became 98.4 (a predict exercise).")
    check("98.1", 1)
    assert "no longer exists: it became 98.4" in lines(capsys)[0]


def fake(ids, right):
    """An Evaluation-like object: ``right`` is 1/0 per item."""
    return SimpleNamespace(
        ids=ids, gold=["a"] * len(ids), predictions=["a" if r else "b" for r in right]
    )


def test_beats_needs_a_paired_win_on_the_same_items():
    ids = list(range(MIN_ITEMS))
    base = fake(ids, [1] * 40 + [0] * 60)
    better = fake(ids, [1] * 40 + [1] * 20 + [0] * 40)
    same = fake(ids, [1] * 40 + [0] * 60)
    assert beats(better, base)[0] and not beats(same, base)[0]
    ok, sentence, cmp = beats(better, base)
    assert "McNemar" in sentence and cmp.b_only == 20


def test_beats_refuses_other_or_too_few_items():
    with pytest.raises(core.NotYet, match="different tickets"):
        beats(fake([1, 2], [1, 0]), fake([2, 1], [1, 0]))
    with pytest.raises(core.NotYet, match="cannot settle"):
        beats(fake([1, 2], [1, 1]), fake([1, 2], [0, 0]))


def test_reaches_uses_the_low_end_of_the_interval():
    reference = rate(80, 160)
    assert reaches(reference.low, reference)[0] and not reaches(reference.low - 0.01, reference)[0]


@pytest.mark.parametrize(
    ("answer", "word"),
    [(("Over-fit", 30), "overfitting"), (["diverged", 5], "diverged"), (("NOISE", 3), None)],
)
def test_readings_normalise_words(answer, word):
    if word is None:
        with pytest.raises(core.NotYet, match="not one of"):
            readings.parse(answer, readings.RUN_WORDS, int)
    else:
        assert readings.parse(answer, readings.RUN_WORDS, int) == (word, answer[1])


@pytest.mark.parametrize("answer", ["overfitting", ("overfitting",), ("overfitting", "30")])
def test_readings_want_a_word_and_its_evidence(answer):
    with pytest.raises(core.NotYet):
        readings.parse(answer, readings.RUN_WORDS, int, "the step where dev peaked")


def test_claim_words_cover_every_status():
    assert readings.normalise("Not at this scale", readings.CLAIM_WORDS) == "not at this scale"
    assert readings.normalise("can't tell", readings.CLAIM_WORDS) == "inconclusive"


def test_a_word_for_a_number_is_reported_not_raised(demo, capsys):
    predictions.predict(DEMO, "about half")
    check(DEMO, 0.40)
    out = lines(capsys)[-1]
    assert out.startswith("✅ Solved") and "is not a number" in out
