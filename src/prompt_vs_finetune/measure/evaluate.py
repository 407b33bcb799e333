"""The one evaluation path: how accurate is a prompt on a task, with a given model?

``evaluate(lm, task, prompt)`` scores the prompt on a split of the task (all of it, or a
seeded balanced subset of ``n``), or on an explicit list of examples, with the
label-scoring engine (``measure.scoring``), and returns an ``Evaluation``. The result is
kept in the results store under one kind, ``"evaluation"``, keyed by everything that
changes it: model, task, prompt content, split, subset size and seed, calibration, the
instance context added to each query and the ids of explicit examples. Lessons, exercise
checks and the rest of the library all come through here, so the same prompt on the same
tickets is scored once, whoever asks first.

A *per-query* prompt (anything with ``for_query(example) -> FewShotPrompt`` and ``k``,
such as ``prompting.neighbours.NearestPrompts``) gives each query its own prompt, for
example the training tickets most similar to it. Each query is then scored on its own,
with no prefix shared across queries, and the store key holds every query's prompt.

``score_examples`` runs the same measurement without the store, for scores that must be
fresh each time (dev accuracy while training, a timed rollback).

*Instance context* is what a support system knows about one request, for example the
customer's plan and device from the account record. ``instance="account"`` appends it
to each ticket (``with_account``), the way a real system would add it to the request.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from tqdm.auto import tqdm

from prompt_vs_finetune.measure.intervals import Rate, rate
from prompt_vs_finetune.measure.metrics import accuracy, macro_f1
from prompt_vs_finetune.measure.scoring import score_labels
from prompt_vs_finetune.prompting.fewshot import FewShotPrompt, build_prompt
from prompt_vs_finetune.store.results import cached

__all__ = [
    "INSTANCE_CONTEXTS",
    "KIND",
    "Evaluation",
    "evaluate",
    "examples_for",
    "score_examples",
    "with_account",
]

KIND = "evaluation"


@dataclass(frozen=True)
class Evaluation:
    """One prompt scored on a list of examples; per-example lists share one order.

    Identity: ``model``, ``task`` (None from ``score_examples``), ``prompt_key`` and ``k``
    (examples shown), ``split``, ``seed`` (None where they did not choose the examples),
    ``calibrated``, ``instance``. Measured: ``labels``; per example ``ids``, ``gold``,
    ``predictions``, ``logprobs`` (one log-probability per label, 5 decimals, before
    calibration) and ``tokens_per_request`` (prompt tokens sent); ``accuracy``,
    ``macro_f1`` and ``seconds`` (the scoring run). ``cached``: True when it came from
    the results store.
    """

    model: str
    task: str | None
    prompt_key: str
    k: int
    split: str | None
    seed: int | None
    calibrated: bool
    instance: str | None
    n: int
    labels: list[str]
    ids: list[str | None]
    gold: list[str]
    predictions: list[str]
    logprobs: list[list[float]]
    tokens_per_request: list[int]
    accuracy: float
    macro_f1: float
    seconds: float
    cached: bool = False

    @property
    def mean_tokens(self) -> float:
        """Mean prompt tokens per request."""
        return float(np.mean(self.tokens_per_request))

    @property
    def interval(self) -> Rate:
        """The accuracy with its 95% Wilson interval (``str`` gives "0.713 [0.638, 0.778]")."""
        return rate(self.correct, self.n)

    @property
    def correct(self) -> int:
        """How many examples were answered right."""
        return sum(g == p for g, p in zip(self.gold, self.predictions, strict=True))

    @property
    def examples_per_second(self) -> float:
        """Examples scored per second of the scoring run."""
        return self.n / self.seconds if self.seconds > 0 else float("inf")

    def __repr__(self) -> str:
        where = self.split or "examples"
        return (
            f"Evaluation({self.model} on {self.task or 'examples'} {where}: accuracy "
            f"{self.accuracy:.3f}, macro-F1 {self.macro_f1:.3f}, n={self.n}, k={self.k}, "
            f"{self.mean_tokens:.0f} tokens per request{', calibrated' if self.calibrated else ''}"
            f"{', from the store' if self.cached else ''})"
        )


#: Fields of an ``Evaluation`` that the measurement produces (what the store keeps).
MEASURED: tuple[str, ...] = (
    "n", "labels", "ids", "gold", "predictions", "logprobs", "tokens_per_request",
    "accuracy", "macro_f1", "seconds",
)  # fmt: skip


def with_account(example: Any) -> str:
    """The ticket followed by what the account record says: plan and device (or "none")."""
    record = getattr(example, "fields", {}) or {}
    plan = record.get("plan") or "not known"
    device = record.get("product") or "none named"
    return f"{example.text.strip()}\n\n[Account record: plan {plan}; device {device}]"


#: Ways to add instance context to a ticket: name -> function(example) -> query text.
INSTANCE_CONTEXTS: dict[str, Callable[[Any], str]] = {"account": with_account}


def examples_for(task: Any, split: str = "test", n: int | None = None, seed: int = 0) -> list:
    """The examples ``evaluate`` scores: the whole ``split``, or a seeded balanced ``n``."""
    return list(task.split(split) if n is None else task.subset(split, n, seed=seed))


def _measure(
    lm: Any,
    prompt: FewShotPrompt | list[FewShotPrompt],
    examples: Sequence[Any],
    calibrate: bool,
    instance: str | None,
    progress: bool | str,
) -> dict[str, Any]:
    """Run the engine (once, or once per query for per-query prompts); the measured fields
    of an Evaluation, as plain JSON values. A ``progress`` string is printed first."""
    if isinstance(progress, str):
        print(progress, flush=True)
    add = INSTANCE_CONTEXTS[instance] if instance is not None else None
    queries = list(examples) if add is None else [add(ex) for ex in examples]
    if isinstance(prompt, FewShotPrompt):
        runs = [score_labels(lm, prompt, queries, calibrate=calibrate, progress=bool(progress))]
    else:
        pairs = tqdm(list(zip(prompt, queries, strict=True)), disable=not progress)
        runs = [score_labels(lm, p, [q], calibrate=calibrate, progress=False) for p, q in pairs]
    predictions = [label for run in runs for label in run.predictions]
    gold = [ex.label for ex in examples]
    labels = list(runs[0].labels)
    return {
        "n": len(examples),
        "labels": labels,
        "ids": [getattr(ex, "id", None) for ex in examples],
        "gold": gold,
        "predictions": predictions,
        "logprobs": np.vstack([run.logprobs for run in runs]).astype(float).round(5).tolist(),
        "tokens_per_request": [int(t) for run in runs for t in run.tokens_per_request],
        "accuracy": float(accuracy(gold, predictions)),
        "macro_f1": float(macro_f1(gold, predictions, labels=labels)),
        "seconds": float(sum(run.seconds for run in runs)),
    }


def _check(prompt: Any, instance: str | None) -> FewShotPrompt:
    if not isinstance(prompt, FewShotPrompt):
        raise TypeError(
            "prompt must be a FewShotPrompt (from build_prompt), a prompt version or a "
            f"per-query prompt (with for_query), not {type(prompt).__name__}"
        )
    if instance is not None and instance not in INSTANCE_CONTEXTS:
        raise ValueError(f"instance must be None or one of {sorted(INSTANCE_CONTEXTS)}")
    return prompt


def _prompts(
    prompt: Any, chosen: Sequence[Any], instance: str | None
) -> tuple[FewShotPrompt | list[FewShotPrompt], str]:
    """The prompt, or one prompt per query (``prompt.for_query``), and the key it is stored
    under: the prompt's key, or a hash of every query's prompt key in query order."""
    if not hasattr(prompt, "for_query"):
        prompt = _check(prompt, instance)
        return prompt, prompt.key()
    prompts = [_check(prompt.for_query(ex), instance) for ex in chosen]
    joint = hashlib.sha256("\n".join(p.key() for p in prompts).encode("utf-8")).hexdigest()
    return prompts, f"per-query:{joint}"


def _chosen(
    task: Any, split: str, n: int | None, seed: int, examples: Sequence[Any] | None
) -> tuple[list, str | None, int | None]:
    """The examples to score, with the split and the seed that chose them (None if none did)."""
    if examples is None:
        return examples_for(task, split, n, seed), split, None if n is None else seed
    if n is not None:
        raise ValueError("give either examples or n, not both")
    chosen = list(examples)
    if not all(isinstance(getattr(ex, "id", None), str) for ex in chosen):
        raise TypeError("examples must be Example objects (with ids), e.g. task.test[:20]")
    return chosen, None, None


def score_examples(
    lm: Any,
    prompt: Any,
    examples: Sequence[Any],
    *,
    calibrate: bool = False,
    instance: str | None = None,
    progress: bool = False,
) -> Evaluation:
    """``prompt`` (a FewShotPrompt or a per-query prompt) scored on ``examples`` now,
    without the results store (same measurement)."""
    prompts, key = _prompts(prompt, list(examples), instance)
    measured = _measure(lm, prompts, examples, calibrate, instance, progress)
    return Evaluation(
        model=lm.name, task=None, prompt_key=key, k=prompt.k, split=None, seed=None,
        calibrated=bool(calibrate), instance=instance, **measured,
    )  # fmt: skip


def evaluate(
    lm: Any,
    task: Any,
    prompt: Any = None,
    *,
    k: int = 0,
    split: str = "test",
    n: int | None = None,
    seed: int = 0,
    calibrate: bool | None = None,
    instance: str | None = None,
    examples: Sequence[Any] | None = None,
    progress: bool | str = False,
) -> Evaluation:
    """Accuracy of ``prompt`` on ``task`` with ``lm``, through the results store.

    ``prompt``: a FewShotPrompt; a prompt version (anything with ``build(task)`` and a
    ``calibrate`` flag, such as a ``PromptVersion``); a per-query prompt (``for_query``,
    see the module docstring); or None for ``build_prompt(task, k=k, seed=seed)``. The
    queries are ``split`` (all of it, or ``n`` seeded, balanced examples), or ``examples``
    when given (then ``split``, ``n`` and ``seed`` do not apply). ``calibrate``:
    contextual calibration (None: the version's own setting, else off). ``instance``
    names an entry of ``INSTANCE_CONTEXTS`` added to every query. ``progress``: a bar
    with a time estimate while measuring; a string is also printed first (only when the
    result is not in the store yet), to say what is being measured and why.
    """
    if prompt is None:
        prompt = build_prompt(task, k=k, seed=seed)
    elif hasattr(prompt, "build") and not isinstance(prompt, FewShotPrompt):
        calibrate = prompt.calibrate if calibrate is None else calibrate
        prompt = prompt.build(task)
    calibrate = bool(calibrate)
    chosen, split, seed = _chosen(task, split, n, seed, examples)
    prompts, key = _prompts(prompt, chosen, instance)
    inputs = {
        "model": lm.name,
        "task": task.name,
        "prompt": key,
        "split": split,
        "n": n,
        "seed": seed,
        "calibrate": calibrate,
        "instance": instance,
        "examples": None if examples is None else [ex.id for ex in chosen],
    }
    stored = cached(
        KIND, inputs, lambda: _measure(lm, prompts, chosen, calibrate, instance, progress)
    )
    return Evaluation(
        model=lm.name, task=task.name, prompt_key=key, k=prompt.k, split=split,
        seed=seed, calibrated=calibrate, instance=instance, cached=stored["_cached"],
        **{name: stored[name] for name in MEASURED},
    )  # fmt: skip
