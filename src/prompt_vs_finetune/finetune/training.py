"""The tiny fine-tune: teach the model a task by changing its weights, on a CPU, in a minute.

Each training example is the k=0 prompt the scorer uses, ``prompt.render(ticket)``,
followed by the answer ``prompt.answer(label)`` (the label and its end marker). The loss
is the cross-entropy of the answer tokens only: the model is not asked to predict the
ticket, only what comes after it. So the fine-tuned model is scored exactly like any
prompted model, ``evaluate(run.lm, task, build_prompt(task, k=0))``. A generation task (no
labels, text answers) trains alike; its dev curve is then not an accuracy (``dev_metric``).

``method="lora"`` (default) freezes every weight and trains small low-rank adapters
(peft's LoRA) on the attention projections of the top layers; ``method="full"`` trains
every weight. The loop is plain PyTorch - AdamW, a short warm-up then a linear decay,
gradient clipping - so that a learner can read it in one sitting. Runs are seeded and
deterministic, and every finished run is saved as a checkpoint (see ``checkpoints``)
that the next call with the same recipe loads in seconds instead of training again.

The failure demos of the course are ordinary options: ``lr=WRECKING_LR`` with
``method="full"`` wrecks the model; ``n_train=16`` with many steps over-fits. With
``patience`` a run stops early once its dev score stops improving and keeps its best
weights (see ``stopping``); ``steps`` is then the budget, not the number of steps run.
"""

from __future__ import annotations

import contextlib
import copy
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch
from tqdm.auto import tqdm

from prompt_vs_finetune.finetune import checkpoints
from prompt_vs_finetune.finetune.dev_metric import GENERATION_METRIC, dev_scorer
from prompt_vs_finetune.finetune.options import METHODS, check_options
from prompt_vs_finetune.finetune.steps import (
    batches,
    lr_schedule,
    optimizer_step,
    shared_prefix_length,
    trainable,
    training_pairs,
)
from prompt_vs_finetune.finetune.stopping import EarlyStopping
from prompt_vs_finetune.model.loading import LoadedModel, load_model
from prompt_vs_finetune.model.seeding import seed_everything
from prompt_vs_finetune.prompting.fewshot import FewShotPrompt, build_prompt
from prompt_vs_finetune.store.cachefiles import exclusive

__all__ = [
    "DEFAULTS",
    "FULL_LR",
    "LORA_LR",
    "METHODS",
    "WRECKING_LR",
    "FineTuneRun",
    "adapter_size_bytes",
    "fine_tune",
    "full_model_size_bytes",
]

LORA_LR = 2e-3  # LoRA adapters start at zero and need a large step size
FULL_LR = 5e-5  # every weight moves: a small step size keeps what the model knew
#: A learning rate that wrecks the model with method="full" (measured, see the docstring).
WRECKING_LR = 1e-2

#: The default recipe: tuned to finish, evaluations included, in about 75 s on 2 cores.
#: Adapters sit in the top 15 of the 30 layers only, so the backward pass stops halfway
#: down: measured on the category task, 1.4 s a step instead of 2.1 s, with the same test
#: accuracy (0.71 after 40 steps here, 0.70 after 60 steps with adapters in every layer).
DEFAULTS: dict[str, Any] = {
    "steps": 40,
    "batch_size": 8,
    "rank": 8,
    "alpha": 16,
    "target_modules": ("q_proj", "v_proj"),
    "top_layers": 15,
    "max_text_tokens": 48,
    "n_dev": 48,
    "eval_every": 20,
}

adapter_size_bytes = checkpoints.adapter_size_bytes
full_model_size_bytes = checkpoints.full_model_size_bytes


@dataclass
class FineTuneRun:
    """A finished fine-tune: the trained model and how its training went.

    ``lm`` is an ordinary LoadedModel in eval mode (LoRA already merged into the weights),
    so ``evaluate`` and ``generate`` use it unchanged. ``losses``: one training loss per step
    run; ``dev_curve``: ``(step, dev accuracy)`` pairs (step 0: before training; a generation
    task's answer-token probability, ``dev_metric``). ``best_step``: the evaluation whose
    weights an early-stopping run kept (None without ``patience``: the last weights).
    ``info["threads"]``: the torch threads it trained with. ``seconds``: the wall time of the
    training call (evaluations and saving included), the original training's when loaded
    from its checkpoint (``cached=True``; ``load_seconds`` then says how long loading took).
    """

    lm: LoadedModel
    losses: list[float]
    dev_curve: list[tuple[int, float]]
    seconds: float
    steps_per_second: float
    cached: bool
    checkpoint_dir: Path | None
    config: dict[str, Any]
    key: str
    load_seconds: float = 0.0
    skipped_steps: int = 0
    info: dict[str, Any] = field(default_factory=dict)
    best_step: int | None = None

    @property
    def dev_accuracy(self) -> float:
        """Dev accuracy of the returned model: at ``best_step``, else the last of ``dev_curve``."""
        if not self.dev_curve:
            return float("nan")
        if self.best_step is None:
            return self.dev_curve[-1][1]
        return dict(self.dev_curve)[self.best_step]

    @property
    def steps_run(self) -> int:
        """Training steps actually taken (fewer than ``config["steps"]`` when stopped early)."""
        return len(self.losses)

    @property
    def label(self) -> str:
        """A short description for plot legends: method, learning rate, data size."""
        c = self.config
        n = c.get("n_train_used", "?")
        return f"{c.get('method')} lr={c.get('lr'):g} n_train={n} steps={c.get('steps')}"

    def __repr__(self) -> str:
        state = f"loaded in {self.load_seconds:.1f} s" if self.cached else "trained"
        last = f"{self.losses[-1]:.3f}" if self.losses else "n/a"
        metric = self.config.get("dev_metric", "dev accuracy")
        return (
            f"FineTuneRun({self.lm.name!r}, {state}, {len(self.losses)} steps in "
            f"{self.seconds:.0f} s, last loss {last}, {metric} {self.dev_accuracy:.2f})"
        )


# --- the public entry point ----------------------------------------------------------------------


def _base_model(base: Any, seed: int) -> LoadedModel:
    """A private copy of the base model (training never touches the caller's model)."""
    if isinstance(base, LoadedModel):
        return LoadedModel(
            copy.deepcopy(base.model), base.tokenizer, base.name, base.source, 0.0, dict(base.info)
        )
    return load_model(base, seed=seed, verbose=False)


def fine_tune(
    task: Any,
    *,
    method: str = "lora",
    steps: int = DEFAULTS["steps"],
    lr: float | None = None,
    batch_size: int = DEFAULTS["batch_size"],
    rank: int = DEFAULTS["rank"],
    alpha: int = DEFAULTS["alpha"],
    target_modules: Sequence[str] = DEFAULTS["target_modules"],
    top_layers: int | None = DEFAULTS["top_layers"],
    n_train: int | None = None,
    max_text_tokens: int = DEFAULTS["max_text_tokens"],
    n_dev: int = DEFAULTS["n_dev"],
    eval_every: int | None = DEFAULTS["eval_every"],
    patience: int | None = None,
    seed: int = 0,
    base: Any = None,
    use_cache: bool = True,
    progress: bool = True,
) -> FineTuneRun:
    """Fine-tune a model on ``task`` (a TaskData such as ``load_tickets()``); see the module.

    ``lr`` defaults to LORA_LR or FULL_LR. ``n_train`` uses a seeded label-balanced subset
    of the train split (None: all of it). Ticket texts are cut to ``max_text_tokens``
    tokens for training (not for scoring). Dev accuracy is measured on a fixed, balanced
    subset of ``n_dev`` dev examples before training, every ``eval_every`` steps (None or
    0: only before and after) and at the end. ``patience``: stop after that many
    evaluations without a better dev score, keep the best weights (``steps`` is then a
    budget). ``base`` is a model name, a folder or a LoadedModel (default: the course
    model), copied, never changed. ``use_cache``: load an identical earlier run.
    """
    start = time.perf_counter()
    lr = float((LORA_LR if method == "lora" else FULL_LR) if lr is None else lr)
    check_options(method, steps, batch_size, lr, n_train, top_layers, patience, eval_every)
    base_lm = _base_model(base, seed)
    prompt, train, dev = _data(task, n_train, n_dev, seed)
    config = {
        **_data_config(base_lm, task, prompt, train, dev),
        "method": method,
        "steps": steps,
        "lr": lr,
        "batch_size": batch_size,
        **_lora_config(method, rank, alpha, target_modules, top_layers),
        "n_train": n_train,
        "n_train_used": len(train),
        "max_text_tokens": max_text_tokens,
        "n_dev": len(dev),
        "eval_every": eval_every or 0,
        "seed": seed,
        "optimizer": "adamw, warmup 10% then linear decay, clip 1.0",
        **({} if patience is None else {"patience": patience}),  # older keys stay as they were
    }
    return _load_or_train(base_lm, prompt, train, dev, config, start, progress, use_cache)


def _load_or_train(base_lm, prompt, train, dev, config, start, progress, use_cache):
    """The run of ``config``: loaded from its checkpoint, else trained (and saved with
    ``use_cache``) by one process while any other that wants it waits."""
    key = checkpoints.make_key(config)
    folder = checkpoints.checkpoint_path(key).parent
    with exclusive(folder, f"train-{key}") if use_cache else contextlib.nullcontext():
        cached = _load_checkpoint(key, base_lm, config, start) if use_cache else None
        if cached is not None:
            return cached
        history, model = _train(base_lm, prompt, train, dev, config, progress)
        history["seconds"] = time.perf_counter() - start
        return _finish(model, base_lm, history, config, key, use_cache)


def _finish(model, base_lm, history, config, key, use_cache) -> FineTuneRun:
    """The trained model as a run (LoRA merged), saved as a checkpoint with ``use_cache``."""
    folder = None
    if use_cache:
        folder = checkpoints.save_checkpoint(
            key, model, base_lm.tokenizer, method=config["method"], config=config, history=history
        )
    if config["method"] == "lora":
        model = model.merge_and_unload()
    return _run(model.eval(), base_lm, history, config, key, folder, False, 0.0)


def _data(
    task: Any, n_train: int | None, n_dev: int, seed: int
) -> tuple[FewShotPrompt, list, list]:
    """The k=0 prompt, the training examples and the fixed dev subset of a run."""
    prompt = build_prompt(task, k=0)
    train = list(task.train if n_train is None else task.subset("train", n_train, seed=seed))
    return prompt, train, list(task.subset("dev", min(n_dev, len(task.dev)), seed=0))


def _data_config(
    base_lm: LoadedModel, task: Any, prompt: FewShotPrompt, train: list, dev: list
) -> dict[str, Any]:
    """The part of a run's recipe that names its model, data and prompt."""
    return {
        "base": {"name": base_lm.name, "weights_sha256": checkpoints.weights_hash(base_lm.model)},
        "task": task.name,
        "train_sha256": checkpoints.examples_hash(train),
        "dev_sha256": checkpoints.examples_hash(dev),
        "prompt_key": prompt.key(),
        "labels": list(task.labels),
        **({} if task.labels else {"dev_metric": GENERATION_METRIC}),  # classifiers: as before
    }


def _lora_config(
    method: str, rank: int, alpha: int, target_modules: Sequence[str], top_layers: int | None
) -> dict[str, Any]:
    """The adapter options of a recipe (all None for a full fine-tune)."""
    lora = method == "lora"
    return {
        "rank": rank if lora else None,
        "alpha": alpha if lora else None,
        "target_modules": sorted(target_modules) if lora else None,
        "top_layers": top_layers if lora else None,
    }


def _load_checkpoint(
    key: str, base_lm: LoadedModel, config: dict[str, Any], start: float
) -> FineTuneRun | None:
    """The run saved under ``key``, or None when there is none or it will not load."""
    folder = checkpoints.find_checkpoint(key)
    if folder is None:
        return None
    try:
        model = checkpoints.load_weights(folder, base_lm, config["method"])
        history = checkpoints.read_history(folder)
    except Exception as exc:  # noqa: BLE001 - a checkpoint that will not load is retrained
        print(f"checkpoint {key} could not be loaded ({exc}); training again")
        checkpoints.discard_checkpoint(key)
        return None
    seconds = time.perf_counter() - start
    print(f"checkpoint cache hit: {key} (loaded in {seconds:.1f} s)")
    return _run(model, base_lm, history, config, key, folder, True, seconds)


def _run(model, base_lm, history, config, key, folder, cached, load_seconds) -> FineTuneRun:
    info = {"fine_tune": config, "key": key}
    name = f"{base_lm.name}+{config['method']}-{key[:8]}"
    lm = LoadedModel(model, base_lm.tokenizer, name, "checkpoint", load_seconds, info)
    return FineTuneRun(
        lm=lm,
        losses=[float(x) for x in history["losses"]],
        dev_curve=[(int(s), float(a)) for s, a in history["dev_curve"]],
        seconds=float(history["seconds"]),
        steps_per_second=float(history["steps_per_second"]),
        cached=cached,
        checkpoint_dir=folder,
        config=config,
        key=key,
        load_seconds=load_seconds,
        skipped_steps=int(history.get("skipped_steps", 0)),
        info={"threads": history.get("threads")},
        best_step=history.get("best_step"),
    )


def _train(
    base_lm: LoadedModel,
    prompt: FewShotPrompt,
    train: list,
    dev: list,
    config: dict[str, Any],
    progress: bool,
) -> tuple[dict[str, Any], Any]:
    """The training loop. Returns (history, trained model: peft-wrapped for LoRA)."""
    seed_everything(config["seed"])
    tokenizer = base_lm.tokenizer
    pairs = training_pairs(tokenizer, prompt, train, config["max_text_tokens"])
    model = trainable(base_lm.model, config)
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=config["lr"], weight_decay=0.0)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lr_schedule(config["steps"]))
    steps, every = config["steps"], config["eval_every"]
    pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0
    n_shared = shared_prefix_length(pairs)

    losses: list[float] = []
    dev_score = dev_scorer(base_lm, prompt, dev, config["max_text_tokens"])
    dev_curve = [(0, dev_score(model))]
    stopper = EarlyStopping(config.get("patience"))
    stopper.update(model, 0, dev_curve[0][1])
    skipped, train_seconds = 0, 0.0
    bar = tqdm(total=steps, desc=f"fine-tuning ({config['method']})", disable=not progress)
    bar.set_postfix(dev_acc=f"{dev_curve[-1][1]:.2f}")
    for step, batch in enumerate(batches(len(pairs), config["batch_size"], steps, config["seed"])):
        t0 = time.perf_counter()
        loss, applied = optimizer_step(
            model, [pairs[i] for i in batch], pad_id, n_shared, optimizer
        )
        scheduler.step()
        skipped += 0 if applied else 1
        train_seconds += time.perf_counter() - t0
        losses.append(loss)
        done = step + 1
        stop = False
        if done == steps or (every and done % every == 0):
            dev_curve.append((done, dev_score(model)))
            stop = stopper.update(model, done, dev_curve[-1][1])
        bar.set_postfix(loss=f"{losses[-1]:.3f}", dev_acc=f"{dev_curve[-1][1]:.2f}")
        bar.update(1)
        if stop:
            break
    bar.close()
    stopper.restore(model)
    model.eval()
    return _history(losses, dev_curve, train_seconds, skipped, stopper, config), model


def _history(losses, dev_curve, train_seconds, skipped, stopper, config) -> dict[str, Any]:
    """What a checkpoint keeps of its training (warning first about skipped steps)."""
    if skipped:
        print(
            f"{skipped} of {len(losses)} steps had a non-finite loss or gradient and were "
            f"skipped: the learning rate ({config['lr']:g}) is far too high."
        )
    history = {
        "losses": losses,
        "dev_curve": dev_curve,
        "train_seconds": train_seconds,
        "steps_per_second": len(losses) / train_seconds if train_seconds > 0 else float("inf"),
        "skipped_steps": skipped,
        "threads": torch.get_num_threads(),  # the float results depend on it, a little
    }
    if stopper.patience is not None:
        history["best_step"] = stopper.best_step
    return history
