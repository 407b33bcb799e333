"""Early stopping: stop after ``patience`` evaluations without a gain, keep the best weights."""

from __future__ import annotations

import pytest
import torch

from prompt_vs_finetune.finetune.diagnosis import RunCurves, run_curves
from prompt_vs_finetune.finetune.stopping import EarlyStopping
from prompt_vs_finetune.finetune.training import FineTuneRun


def _model() -> torch.nn.Module:
    model = torch.nn.Linear(2, 1)
    model.bias.requires_grad_(False)  # a frozen weight: never copied, never restored
    return model


def _set(model: torch.nn.Module, value: float) -> None:
    with torch.no_grad():
        model.weight.fill_(value)
        model.bias.fill_(value)


def test_stops_after_patience_evaluations_without_a_gain_and_restores_the_best():
    model, stopper = _model(), EarlyStopping(patience=2)
    curve = [(0, 0.30), (10, 0.50), (20, 0.40), (30, 0.50), (40, 0.45)]
    stops = []
    for step, accuracy in curve:
        _set(model, step)
        stops.append(stopper.update(model, step, accuracy))
    assert stops == [False, False, False, True, True]  # a tie is no gain
    assert (stopper.best_step, stopper.best) == (10, 0.50)
    stopper.restore(model)
    assert model.weight.eq(10).all() and model.bias.eq(40).all()  # frozen bias untouched


def test_without_patience_it_never_stops_and_keeps_the_last_weights():
    model, stopper = _model(), EarlyStopping()
    for step, accuracy in [(0, 0.9), (10, 0.1), (20, 0.1), (30, 0.1)]:
        _set(model, step)
        assert not stopper.update(model, step, accuracy)
    stopper.restore(model)
    assert model.weight.eq(30).all() and stopper.best_step == 0


def test_a_run_that_never_beats_step_zero_keeps_the_untrained_weights():
    model, stopper = _model(), EarlyStopping(patience=1)
    _set(model, 0.0)
    stopper.update(model, 0, 0.4)
    _set(model, 5.0)
    assert stopper.update(model, 20, 0.3)
    stopper.restore(model)
    assert model.weight.eq(0).all()


def _run(best_step):
    config = {"method": "lora", "lr": 1e-3, "n_train_used": 400, "steps": 100}
    curve = [(0, 0.2), (20, 0.6), (40, 0.5), (60, 0.55)]
    return FineTuneRun(None, [1.0] * 60, curve, 1.0, 1.0, False, None, config, "k",
                       best_step=best_step)  # fmt: skip


@pytest.mark.parametrize(("best_step", "dev"), [(20, 0.6), (None, 0.55)])
def test_dev_accuracy_is_that_of_the_kept_weights(best_step, dev):
    run = _run(best_step)
    assert run.dev_accuracy == dev and run.steps_run == 60
    curves = RunCurves.from_dict(run_curves(run))
    assert curves.best_step == best_step and curves.dev_accuracy == dev


def test_plot_circles_the_kept_evaluation():
    import matplotlib

    matplotlib.use("Agg")
    from prompt_vs_finetune.finetune.plots import plot_dev_accuracy

    ax = plot_dev_accuracy({"stopped": _run(20), "full budget": _run(None)})
    circles = [line for line in ax.get_lines() if line.get_label().startswith("_")]
    assert len(circles) == 1 and list(circles[0].get_xdata()) == [20]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["stopped", "full budget"]
