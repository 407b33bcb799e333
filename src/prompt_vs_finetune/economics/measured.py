"""The measured numbers behind the scaling, ROI and decision lessons, gathered in one place.

Lessons 09-11 price the two approaches with ``costs`` and ``roi``. Those functions take
numbers; this module supplies the ones a laptop *can* measure, on the course's ticket
task, and keeps them in the results store so every later notebook and every exercise
check reads them in milliseconds:

* ``serving_inputs`` - what one request costs and how often it is right:
  tokens per request of the 8-shot prompt (what prompting sends every time) and of the
  0-shot prompt a fine-tuned model needs, tokens of the answer, and the accuracy of the
  prompted base model (0-shot and k-shot) and of the fine-tuned model (``course_run``),
  all on the same tickets (the test split);
* ``training_inputs`` - what fine-tuning costs up front and on disk: seconds of training
  and bytes of weights of the shared course fine-tunes (three LoRA adapters, one per
  ticket task) and the bytes of one full copy of the model;
* ``prompt_update_seconds`` - the machine time of changing a prompt (build the new
  version and prepare its first request), to set against the time of a retrain.

``measured_inputs`` returns all of them as one flat dict. Nothing here is a price:
prices are assumptions and live in ``assumptions.Assumptions``. When a result is missing
from the store it is computed (loading the model and, if needed, training the course
fine-tunes through ``course_run``), then stored.
"""

from __future__ import annotations

import time
from typing import Any

from prompt_vs_finetune.finetune.recipes import COURSE_RUNS
from prompt_vs_finetune.model.choice import configured_name
from prompt_vs_finetune.model.loading import LoadedModel
from prompt_vs_finetune.store.results import cached
from prompt_vs_finetune.ui.tables import Table

__all__ = [
    "ADAPTER_RUNS",
    "DEFAULT_K",
    "MEANINGS",
    "describe",
    "measured_inputs",
    "prompt_update_seconds",
    "recipe",
    "serving_inputs",
    "training_inputs",
]

TASK = "category"  # the running example: ticket categories
DEFAULT_K = 8  # examples in the prompting approach's prompt
ADAPTER_RUNS = ("category", "queue", "priority")  # one LoRA adapter per use case
TUNED_RUN = "category"

#: What each measured input means (shown by ``describe``).
MEANINGS: dict[str, str] = {
    "prompt_tokens_in": "tokens sent per request, k-shot prompt (prompting)",
    "tuned_tokens_in": "tokens sent per request, 0-shot prompt (fine-tuned model)",
    "tokens_out": "tokens of the answer (label + end marker)",
    "zero_shot_accuracy": "accuracy of the base model, 0-shot prompt",
    "prompt_accuracy": "accuracy of the base model, k-shot prompt",
    "tuned_accuracy": "accuracy of the fine-tuned model, 0-shot prompt",
    "train_seconds": "seconds the category fine-tune took to train",
    "prompt_update_seconds": "seconds to build a new prompt version and its first request",
    "full_model_bytes": "bytes of one full copy of the model's weights",
}


def _model_name(lm: LoadedModel | None) -> str:
    return configured_name() if lm is None else lm.name


def _model(lm: LoadedModel | None) -> LoadedModel:
    if lm is not None:
        return lm
    from prompt_vs_finetune.model.loading import load_model

    return load_model(verbose=False)


def recipe(name: str) -> dict[str, Any]:
    """What decides a course fine-tune's weights, without training or loading it.

    The run's name, target, options, the training defaults, and hashes of its training
    and dev examples. Used as the results-store key of numbers derived from the run, so
    that they can be read back without loading the checkpoint.
    """
    from prompt_vs_finetune.data import load_tickets
    from prompt_vs_finetune.finetune import training as finetune
    from prompt_vs_finetune.finetune.checkpoints import FORMAT_VERSION, examples_hash

    if name not in COURSE_RUNS:
        raise ValueError(f"Unknown course run {name!r}; choose one of {sorted(COURSE_RUNS)}.")
    target, options, _ = COURSE_RUNS[name]
    task = load_tickets(target)
    return {
        "run": name,
        "target": target,
        "options": options,
        "defaults": {**finetune.DEFAULTS, "lora_lr": finetune.LORA_LR, "full_lr": finetune.FULL_LR},
        "train_sha256": examples_hash(task.train),
        "dev_sha256": examples_hash(task.dev),
        "format": FORMAT_VERSION,
    }


def _answer_tokens(lm: LoadedModel, prompt: Any, examples: Any) -> list[int]:
    tok = lm.tokenizer
    return [
        len(tok(prompt.answer(ex.label, end=True), add_special_tokens=False)["input_ids"])
        for ex in examples
    ]


def serving_inputs(
    lm: LoadedModel | None = None,
    *,
    k: int = DEFAULT_K,
    seed: int = 0,
    progress: bool = False,
) -> dict[str, Any]:
    """Tokens per request and accuracy of prompting (k-shot) vs the fine-tuned model.

    Every number is measured on the whole test split of the ticket categories. The
    fine-tuned model is ``course_run("category")`` scored with the 0-shot prompt it was
    trained on. Accuracies come from the shared evaluations (``measure.evaluate``,
    the same store entries lessons 05 and 06 write), so nothing is scored twice. Cached
    as a whole (kind ``serving-inputs``, keyed by the fine-tune's recipe), so a warm
    cache answers without loading any model.
    """
    from prompt_vs_finetune.data import load_tickets
    from prompt_vs_finetune.prompting.fewshot import build_prompt

    task = load_tickets(TASK)
    shots = build_prompt(task, k=k, seed=seed)
    bare = build_prompt(task, k=0, seed=seed)
    inputs = {
        "model": _model_name(lm),
        "task": TASK,
        "split": "test",
        "seed": seed,
        "k": k,
        "prompt": shots.key(),
        "tuned_prompt": bare.key(),
        "tuned": recipe(TUNED_RUN),
    }

    def compute() -> dict[str, Any]:
        from prompt_vs_finetune.finetune.recipes import course_run
        from prompt_vs_finetune.measure.evaluate import evaluate
        from prompt_vs_finetune.prompting.fewshot import prompt_tokens

        base = _model(lm)
        examples = list(task.test)
        shot_tokens = prompt_tokens(base, shots, examples)
        bare_tokens = prompt_tokens(base, bare, examples)
        out_tokens = _answer_tokens(base, bare, examples)
        few = evaluate(base, task, k=k, seed=seed, progress=progress)
        zero = evaluate(base, task, k=0, seed=seed, progress=progress)
        tuned_lm = course_run(TUNED_RUN, progress=progress).lm
        tuned = evaluate(tuned_lm, task, k=0, seed=seed, progress=progress)
        return {
            "n": len(examples),
            "k": k,
            "prompt_tokens_in": sum(shot_tokens) / len(shot_tokens),
            "tuned_tokens_in": sum(bare_tokens) / len(bare_tokens),
            "tokens_out": sum(out_tokens) / len(out_tokens),
            "zero_shot_accuracy": zero.accuracy,
            "prompt_accuracy": few.accuracy,
            "tuned_accuracy": tuned.accuracy,
            "tuned_model": tuned_lm.name,
        }

    return cached("serving-inputs", inputs, compute)


def training_inputs(
    runs: tuple[str, ...] = ADAPTER_RUNS, *, progress: bool = False
) -> dict[str, Any]:
    """Training seconds and weight bytes of the course fine-tunes, and of a full model copy.

    Returns ``train_seconds`` and ``adapter_bytes`` (dicts keyed by run name) and
    ``full_model_bytes``. Cached (kind ``training-inputs``, keyed by the runs' recipes); a
    miss trains or loads each run through ``course_run``.
    """
    inputs = {"model": configured_name(), "runs": {name: recipe(name) for name in runs}}

    def compute() -> dict[str, Any]:
        from prompt_vs_finetune.finetune.checkpoints import (
            adapter_size_bytes,
            full_model_size_bytes,
        )
        from prompt_vs_finetune.finetune.recipes import course_run

        seconds, sizes, dev = {}, {}, {}
        for name in runs:
            run = course_run(name, progress=progress)
            seconds[name] = run.seconds
            sizes[name] = adapter_size_bytes(run)
            dev[name] = run.dev_accuracy
        return {
            "train_seconds": seconds,
            "adapter_bytes": sizes,
            "dev_accuracy": dev,
            "full_model_bytes": full_model_size_bytes(),
        }

    return cached("training-inputs", inputs, compute)


def prompt_update_seconds(lm: LoadedModel | None = None, *, repeats: int = 5) -> dict[str, Any]:
    """Machine time of shipping a new prompt version: build it and prepare a request.

    A prompt edit needs no training: the new text is built, rendered for a ticket and
    tokenized, and the next request uses it. The median of ``repeats`` tries is stored
    (kind ``prompt-update-time``) so reruns show the same number. People's time to
    *write* the edit is not in it; lessons compare like with like by also leaving
    people's time out of the retraining side.
    """
    from prompt_vs_finetune.data import load_tickets
    from prompt_vs_finetune.prompting.fewshot import build_prompt

    inputs = {"model": _model_name(lm), "task": TASK, "repeats": repeats, "k": DEFAULT_K}

    def compute() -> dict[str, Any]:
        base = _model(lm)
        task = load_tickets(TASK)
        ticket = task.test[0].text
        times = []
        for i in range(repeats):
            start = time.perf_counter()
            prompt = build_prompt(
                task, k=DEFAULT_K, seed=i, instruction=f"{task.instruction} (version {i + 1})"
            )
            base.tokenizer(prompt.render(ticket), add_special_tokens=False)
            times.append(time.perf_counter() - start)
        times.sort()
        return {"seconds": times[len(times) // 2], "repeats": repeats}

    return cached("prompt-update-time", inputs, compute)


def measured_inputs(
    lm: LoadedModel | None = None,
    *,
    k: int = DEFAULT_K,
    seed: int = 0,
    training: bool = True,
    progress: bool = False,
) -> dict[str, Any]:
    """Every measured input of lessons 09-11 as one flat dict (see ``MEANINGS``).

    Keys: prompt_tokens_in, tuned_tokens_in, tokens_out, zero_shot_accuracy,
    prompt_accuracy, tuned_accuracy, n, k, model, prompt_update_seconds and, with
    ``training`` (default), train_seconds (of the category fine-tune), train_seconds_by_run,
    adapter_bytes (by run) and full_model_bytes.
    """
    serving = serving_inputs(lm, k=k, seed=seed, progress=progress)
    out: dict[str, Any] = {"model": _model_name(lm)}
    out.update({key: value for key, value in serving.items() if not key.startswith("_")})
    out["prompt_update_seconds"] = prompt_update_seconds(lm)["seconds"]
    if training:
        trained = training_inputs(progress=progress)
        out["train_seconds"] = trained["train_seconds"][TUNED_RUN]
        out["train_seconds_by_run"] = trained["train_seconds"]
        out["adapter_bytes"] = trained["adapter_bytes"]
        out["full_model_bytes"] = trained["full_model_bytes"]
    return out


def _show(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.3f}" if value < 1 else f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def describe(measured: dict[str, Any]) -> Table:
    """The measured inputs as a table: input, value, meaning (lists and dicts left out)."""
    rows = [
        {"input": key, "value": _show(measured[key]), "meaning": meaning}
        for key, meaning in MEANINGS.items()
        if key in measured
    ]
    for name, size in measured.get("adapter_bytes", {}).items():
        rows.append(
            {"input": f"adapter_bytes[{name}]", "value": _show(size),
             "meaning": f"bytes of the LoRA adapter for ticket {name}"}
        )  # fmt: skip
    return Table(rows)
