"""The fine-tune engine on a tiny 2-layer Llama: it learns, it is repeatable, it caches."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import torch

from prompt_vs_finetune.data import load_tickets
from prompt_vs_finetune.finetune import checkpoints
from prompt_vs_finetune.finetune.training import FineTuneRun, fine_tune
from prompt_vs_finetune.measure.evaluate import score_examples
from prompt_vs_finetune.prompting.fewshot import build_prompt
from tests.conftest import at_once, make_tiny_lm

# Small enough to run in a fraction of a second on the tiny model.
FAST = {
    "steps": 4,
    "batch_size": 2,
    "n_train": 8,
    "n_dev": 6,
    "max_text_tokens": 12,
    "eval_every": 2,
    "progress": False,
}


@pytest.fixture(scope="module", autouse=True)
def one_thread():
    """Tiny models run fastest on one thread (and do not fight other processes for cores)."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture(scope="module")
def task():
    return load_tickets("category")


@pytest.fixture
def learnable_lm(real_tokenizer):
    """The tiny model with 20x larger embeddings: a random 32-wide model's logits are too
    small for its layers (all LoRA can change) to move them; with these they can."""
    lm = make_tiny_lm(real_tokenizer)
    with torch.no_grad():
        lm.model.get_input_embeddings().weight.mul_(20.0)  # tied: the output layer too
    return lm


@pytest.mark.parametrize("method, lr", [("lora", 5e-2), ("full", 1e-2)])
def test_training_reduces_loss(task, learnable_lm, tmp_cache, method, lr):
    run = fine_tune(
        task,
        base=learnable_lm,
        method=method,
        lr=lr,
        use_cache=False,
        **{**FAST, "steps": 24, "n_train": 4, "eval_every": 0},
    )
    assert len(run.losses) == 24
    assert np.mean(run.losses[-4:]) < 0.7 * np.mean(run.losses[:4])


def test_run_records_its_history(task, tiny_lm, tmp_cache):
    run = fine_tune(task, base=tiny_lm, **{**FAST, "steps": 6})
    assert isinstance(run, FineTuneRun)
    assert len(run.losses) == 6
    assert [s for s, _ in run.dev_curve] == [0, 2, 4, 6]
    assert all(0.0 <= acc <= 1.0 for _, acc in run.dev_curve)
    assert run.dev_accuracy == run.dev_curve[-1][1]
    assert run.steps_per_second > 0 and run.seconds > 0
    assert not run.cached
    assert run.lm.name.startswith("tiny-llama+lora-") and run.key[:8] in run.lm.name
    assert not run.lm.model.training
    assert "lora" in repr(run)


def test_caller_model_is_not_changed(task, tiny_lm, tmp_cache):
    before = {n: p.clone() for n, p in tiny_lm.model.named_parameters()}
    fine_tune(task, base=tiny_lm, method="full", lr=1e-2, use_cache=False, **FAST)
    for name, param in tiny_lm.model.named_parameters():
        assert param.equal(before[name]), name


def test_same_inputs_same_losses(task, tiny_lm, tmp_cache):
    a = fine_tune(task, base=tiny_lm, use_cache=False, **FAST)
    b = fine_tune(task, base=tiny_lm, use_cache=False, **FAST)
    assert a.losses == b.losses
    assert a.dev_curve == b.dev_curve
    c = fine_tune(task, base=tiny_lm, use_cache=False, seed=1, **FAST)
    assert c.losses != a.losses


@pytest.mark.parametrize("method", ["lora", "full"])
def test_checkpoint_round_trip(task, tiny_lm, tmp_cache, method, capsys):
    first = fine_tune(task, base=tiny_lm, method=method, lr=2e-2, **FAST)
    assert first.checkpoint_dir is not None and first.checkpoint_dir.is_dir()
    assert first.checkpoint_dir.parent == tmp_cache / "checkpoints"
    second = fine_tune(task, base=tiny_lm, method=method, lr=2e-2, **FAST)
    assert second.cached and second.key == first.key
    assert f"checkpoint cache hit: {first.key}" in capsys.readouterr().out
    assert second.losses == first.losses and second.dev_curve == first.dev_curve
    assert second.seconds == first.seconds and second.load_seconds > 0
    prompt = build_prompt(task, k=0)
    examples = task.test[:6]
    s1 = score_examples(first.lm, prompt, examples)
    s2 = score_examples(second.lm, prompt, examples)
    assert s1.predictions == s2.predictions
    np.testing.assert_allclose(s1.logprobs, s2.logprobs, rtol=1e-5, atol=1e-5)
    size = checkpoints.adapter_size_bytes(first)
    assert size > 0
    total = sum(p.numel() for p in tiny_lm.model.parameters())
    if method == "lora":
        assert size < 0.2 * total * 4  # only the adapter is stored
        assert (first.checkpoint_dir / "adapter" / "adapter_model.safetensors").is_file()
    else:
        assert size >= total * 4  # a whole model copy
        assert size == checkpoints.full_model_size_bytes(first.checkpoint_dir / "model")


def test_no_cache_leaves_nothing(task, tiny_lm, tmp_cache):
    run = fine_tune(task, base=tiny_lm, use_cache=False, **FAST)
    assert run.checkpoint_dir is None
    assert not list(tmp_cache.glob("checkpoints/*"))
    with pytest.raises(ValueError, match="no checkpoint"):
        checkpoints.adapter_size_bytes(run)


def test_key_changes_with_every_input(task, real_tokenizer, tmp_cache):
    tiny = make_tiny_lm(real_tokenizer)
    base_kwargs = {**FAST, "steps": 1, "n_train": 4, "eval_every": 0}

    def key(t=task, **change):
        return fine_tune(t, base=change.pop("base", tiny), **{**base_kwargs, **change}).key

    reference = key()
    assert key() == reference  # same inputs: same key (and a cache hit)
    used = task.subset("train", base_kwargs["n_train"], seed=0)[0]  # one example it trains on
    edited_train = tuple(
        dataclasses.replace(ex, text=ex.text + " Thanks!") if ex.id == used.id else ex
        for ex in task.train
    )
    variants = {
        "data": {"t": dataclasses.replace(task, train=edited_train)},
        "steps": {"steps": 2},
        "lr": {"lr": 1e-3},
        "batch_size": {"batch_size": 3},
        "rank": {"rank": 4},
        "alpha": {"alpha": 8},
        "target_modules": {"target_modules": ("q_proj",)},
        "n_train": {"n_train": 5},
        "max_text_tokens": {"max_text_tokens": 13},
        "n_dev": {"n_dev": 7},
        "eval_every": {"eval_every": 1},
        "seed": {"seed": 1},
        "method": {"method": "full"},
        "base": {"base": make_tiny_lm(real_tokenizer, seed=1)},
        "base name": {"base": dataclasses.replace(tiny, name="other-name")},
    }
    keys = {name: key(**change) for name, change in variants.items()}
    keys["reference"] = reference
    assert len(set(keys.values())) == len(keys), keys


def test_damaged_checkpoint_is_rebuilt(task, tiny_lm, tmp_cache):
    first = fine_tune(task, base=tiny_lm, **FAST)
    weights = first.checkpoint_dir / "adapter" / "adapter_model.safetensors"
    data = weights.read_bytes()
    weights.write_bytes(data[: len(data) // 2])  # a half-written file
    second = fine_tune(task, base=tiny_lm, **FAST)
    assert not second.cached  # the manifest caught it: trained again
    assert second.losses == first.losses
    assert weights.stat().st_size == len(data)
    third = fine_tune(task, base=tiny_lm, **FAST)
    assert third.cached


def test_unloadable_checkpoint_is_retrained(task, tiny_lm, tmp_cache, monkeypatch):
    first = fine_tune(task, base=tiny_lm, **FAST)

    def broken(*args, **kwargs):
        raise OSError("simulated incompatible checkpoint")

    monkeypatch.setattr(checkpoints, "load_weights", broken)
    second = fine_tune(task, base=tiny_lm, **FAST)
    assert not second.cached and second.key == first.key


def test_far_too_high_learning_rate_is_survived(task, tiny_lm, tmp_cache, capsys):
    run = fine_tune(task, base=tiny_lm, method="full", lr=1e30, use_cache=False, **FAST)
    assert run.skipped_steps >= 1  # loss or gradient overflowed: those updates were skipped
    assert "far too high" in capsys.readouterr().out
    params = list(run.lm.model.parameters())
    assert all(bool(p.isfinite().all()) for p in params)  # no NaN weights: steps were skipped


@pytest.mark.parametrize(
    "bad, match",
    [
        ({"method": "qlora"}, "method"),
        ({"steps": 0}, "steps"),
        ({"batch_size": 1.5}, "batch_size"),
        ({"lr": -1.0}, "lr"),
        ({"n_train": 0}, "n_train"),
    ],
)
def test_bad_arguments(task, tiny_lm, tmp_cache, bad, match):
    with pytest.raises(ValueError, match=match):
        fine_tune(task, base=tiny_lm, **{**FAST, **bad})


def _fake_run(losses, curve, lr=1e-3):
    config = {"method": "lora", "lr": lr, "n_train_used": 400, "steps": len(losses)}
    return FineTuneRun(None, losses, curve, 1.0, 1.0, False, None, config, "k")


def test_plots_take_one_run_a_list_or_a_dict():
    import matplotlib

    matplotlib.use("Agg")
    from prompt_vs_finetune.finetune.plots import plot_dev_accuracy, plot_loss

    good = _fake_run([2.0, 1.0, 0.5, 0.2], [(0, 0.3), (4, 0.8)])
    wrecked = _fake_run([2.0, 30.0, float("nan"), 50.0], [(0, 0.3), (4, 0.1)], lr=1e-2)
    ax = plot_loss(good)
    assert len(ax.get_lines()) == 1 and ax.get_legend().get_texts()[0].get_text() == good.label
    ax = plot_loss([good, wrecked], smooth=2, log=True)
    assert len(ax.get_lines()) == 3  # two curves and the marker of the non-finite step
    ax = plot_dev_accuracy({"healthy": good, "wrecked": wrecked}, reference={"8-shot": 0.6})
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["healthy", "wrecked", "8-shot"]
    with pytest.raises(TypeError):
        plot_loss([object()])


def test_early_stopping_keeps_the_best_weights(task, tiny_lm, tmp_cache, monkeypatch):
    """Dev accuracy scripted: best at step 2, then two evaluations without a gain."""
    from prompt_vs_finetune.finetune import training

    script, seen = iter([0.2, 0.5, 0.4, 0.5, 0.9, 0.9]), []

    def scripted(model):
        seen.append({n: p.detach().clone() for n, p in model.named_parameters()})
        return next(script)

    monkeypatch.setattr(training, "dev_scorer", lambda *args: scripted)
    options = {**FAST, "steps": 12, "method": "full", "lr": 1e-2, "patience": 2}
    run = fine_tune(task, base=tiny_lm, **options)
    assert run.dev_curve == [(0, 0.2), (2, 0.5), (4, 0.4), (6, 0.5)]
    assert run.steps_run == 6 and run.config["steps"] == 12 and run.best_step == 2
    assert run.dev_accuracy == 0.5
    for name, param in run.lm.model.named_parameters():
        assert param.equal(seen[1][name]), name  # the weights measured at step 2
    again = fine_tune(task, base=tiny_lm, **options)
    assert again.cached and again.best_step == 2 and again.dev_curve == run.dev_curve


def test_patience_is_in_the_key_only_when_set(task, tiny_lm, tmp_cache):
    plain = fine_tune(task, base=tiny_lm, use_cache=False, **FAST)
    assert "patience" not in plain.config and plain.best_step is None
    assert plain.steps_run == FAST["steps"]
    stopping = fine_tune(task, base=tiny_lm, use_cache=False, patience=5, **FAST)
    assert stopping.config["patience"] == 5 and stopping.key != plain.key
    assert stopping.losses == plain.losses  # never stopped: the same training
    with pytest.raises(ValueError, match="patience"):
        fine_tune(task, base=tiny_lm, patience=2, **{**FAST, "eval_every": 0})


def test_two_workers_asking_for_one_run_train_it_once(task, tiny_lm, tmp_cache, monkeypatch):
    from prompt_vs_finetune.finetune import training

    trained = []
    real_train = training._train

    def counting_train(*args, **kwargs):
        trained.append(1)
        return real_train(*args, **kwargs)

    monkeypatch.setattr(training, "_train", counting_train)
    runs = at_once(lambda: fine_tune(task, base=tiny_lm, **FAST), 2)
    assert len(trained) == 1
    assert sorted(r.cached for r in runs) == [False, True]
