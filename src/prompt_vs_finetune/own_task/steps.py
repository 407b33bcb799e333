"""The measuring steps of the study on a learner's task, each one a call of the library.

A step takes the task, the settings and a ``Context`` (the model, loaded only when a step
has to measure) and returns a plain dict that the results store keeps. Every accuracy comes
from ``measure.evaluate``; the prompt search is ``prompting.best_prompt``'s (chosen on dev,
scored on test); the fine-tune is ``finetune.fine_tune`` with early stopping; the request
times are ``measure.latency.latency_study``'s. ``estimate`` guesses each step's seconds
from the data's size before anything runs (rates measured on a 2-core CPU).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from prompt_vs_finetune.economics.tokens import answer_tokens
from prompt_vs_finetune.finetune.training import fine_tune
from prompt_vs_finetune.measure.evaluate import evaluate
from prompt_vs_finetune.measure.latency import latency_study
from prompt_vs_finetune.prompting.best_prompt import (
    DEV_N,
    Technique,
    best_dev_prompt,
    choose,
    dev_study,
    study_summary,
)
from prompt_vs_finetune.prompting.fewshot import build_prompt

__all__ = ["FULL", "QUICK", "STEPS", "TECHNIQUES", "Context", "Step", "StudySettings"]

#: The few-shot prompts tried on dev: one shared prompt each (so every one can be timed as a
#: request), three seeded draws of examples per k; 0-shot is measured on its own.
TECHNIQUES: tuple[Technique, ...] = (
    Technique("plain", (1, 2, 4, 8), "labels take turns, shuffled order", draws=3),
    Technique("calibrated", (4,), "the same prompt, with contextual calibration",
              calibrate=True, draws=3),
)  # fmt: skip

# Rates for the time estimate: the default model on an idle 2-core CPU, measured with the
# compare command on 1,000 tweets. A busy machine is slower (the bar's remaining time
# follows the real pace), a GPU much faster.
SECONDS_PER_ITEM = 0.025  # scoring one query against every label
SECONDS_PER_PROMPT_TOKEN = 0.0002  # and for each token of the prompt before it
SECONDS_PER_TRAIN_STEP = 0.8  # one LoRA step, batch of 8, texts cut to 48 tokens
SECONDS_PER_REQUEST = 0.2  # one timed request (greedy, a few tokens)
SECONDS_TO_LOAD = 3.0  # loading the model, or a fine-tune's checkpoint


@dataclass(frozen=True)
class StudySettings:
    """How much the study measures: the prompt search, the fine-tune budget, the timing."""

    techniques: tuple[Technique, ...] = TECHNIQUES
    dev_n: int = DEV_N  # dev items each prompt of the search is scored on
    steps: int = 60  # the fine-tune's budget of optimiser steps
    eval_every: int = 10  # steps between its dev evaluations
    patience: int = 2  # evaluations without a better dev accuracy before it stops
    n_dev: int = 48  # dev items of those evaluations
    latency_n: int = 30  # test items timed as single requests

    def fine_tune_options(self, task: Any) -> dict[str, Any]:
        """The keyword arguments of ``fine_tune`` (dev items capped by the dev split)."""
        return {"steps": self.steps, "eval_every": self.eval_every, "patience": self.patience,
                "n_dev": min(self.n_dev, len(task.dev))}  # fmt: skip

    def dev_items(self, task: Any) -> int:
        """Dev items each searched prompt is scored on (capped by the dev split)."""
        return min(self.dev_n, len(task.dev))


#: The command's default: the whole search and a 60-step budget.
FULL = StudySettings()
#: Lesson 12's: two k with three draws each, a 40-step budget, 24 dev items.
QUICK = StudySettings(
    techniques=(Technique("plain", (2, 4), "labels take turns, shuffled order", draws=3),),
    steps=40, n_dev=24, latency_n=20,
)  # fmt: skip


class Context:
    """What the steps share: the task, the settings, and the model (loaded on first use)."""

    def __init__(self, task: Any, settings: StudySettings, lm: Any = None):
        self.task, self.settings, self._lm = task, settings, lm

    @property
    def lm(self) -> Any:
        """The base model: the one given, else ``load_model()`` (the course's setting)."""
        if self._lm is None:
            from prompt_vs_finetune.model.loading import load_model

            self._lm = load_model(verbose=False)
        return self._lm

    def best(self) -> Any:
        """The best prompt chosen on dev, with its test Evaluation (``BestPrompt``)."""
        s = self.settings
        return best_dev_prompt(self.lm, self.task, techniques=s.techniques,
                               n=s.dev_items(self.task))  # fmt: skip

    @cached_property
    def run(self) -> Any:
        """The LoRA fine-tune with early stopping (trained once, then its checkpoint)."""
        options = self.settings.fine_tune_options(self.task)
        return fine_tune(self.task, base=self.lm, progress=False, **options)


def _evaluation(r: Any) -> dict[str, Any]:
    """What the study keeps of an Evaluation: its items, accuracy, tokens and seconds."""
    return {"ids": r.ids, "gold": r.gold, "predictions": r.predictions, "n": r.n,
            "accuracy": r.accuracy, "tokens_per_request": r.mean_tokens, "k": r.k,
            "calibrated": r.calibrated, "seconds": r.seconds}  # fmt: skip


def zero_shot(ctx: Context) -> dict[str, Any]:
    """The base model with the instruction only, on the whole test split."""
    return {"eval": _evaluation(evaluate(ctx.lm, ctx.task, build_prompt(ctx.task, k=0)))}


def dev_search(ctx: Context) -> dict[str, Any]:
    """Every technique at each k over its seeded draws, on the same dev items; the choice."""
    s = ctx.settings
    study = dev_study(ctx.lm, ctx.task, techniques=s.techniques, n=s.dev_items(ctx.task))
    return {"summary": list(study_summary(study)), "draws": list(study), "choice": choose(study)}


def best_prompt(ctx: Context) -> dict[str, Any]:
    """The prompt chosen on dev, scored on the whole test split; its answer's tokens."""
    best = ctx.best()
    tokens_out = answer_tokens(ctx.lm, best.prompt, ctx.task.labels)
    return {"technique": best.technique, "k": best.k, "draw": best.draw,
            "calibrated": best.calibrate, "dev_accuracy": best.dev_accuracy,
            "dev_mean": best.dev_mean, "dev_n": best.dev_n, "answer_tokens": tokens_out,
            "eval": _evaluation(best.test)}  # fmt: skip


def fine_tuned(ctx: Context) -> dict[str, Any]:
    """The LoRA fine-tune (early stopping on dev), then the tuned model 0-shot on test."""
    run = ctx.run
    tested = evaluate(run.lm, ctx.task, build_prompt(ctx.task, k=0))
    return {"losses": run.losses, "dev_curve": run.dev_curve, "best_step": run.best_step,
            "steps_run": run.steps_run, "train_seconds": run.seconds,
            "dev_accuracy": run.dev_accuracy, "checkpoint": run.key,
            "eval": _evaluation(tested)}  # fmt: skip


def requests(ctx: Context) -> dict[str, Any]:
    """One request at a time: the best prompt against the fine-tuned model, interleaved."""
    task, s = ctx.task, ctx.settings
    conditions = {"best prompt": (ctx.lm, ctx.best().prompt),
                  "fine-tuned": (ctx.run.lm, build_prompt(task, k=0))}  # fmt: skip
    items = task.subset("test", min(s.latency_n, len(task.test)), seed=1)
    timed = latency_study(conditions, items)
    keep = ("mean_tokens", "p50", "p95", "mean")
    return {"n": timed["n"], "max_new_tokens": timed["max_new_tokens"],
            "conditions": {name: {k: r[k] for k in keep}
                           for name, r in timed["conditions"].items()}}  # fmt: skip


# ---- the time estimate ------------------------------------------------------------------------
def _prompt_tokens(task: Any, k: int) -> float:
    """A rough count of a k-shot prompt's tokens (about four characters a token)."""
    texts = task.train[:200] or task.test
    chars = sum(len(ex.text) for ex in texts) / len(texts)
    return (len(task.instruction) + (k + 1) * (chars + 24)) / 4 + 20


def _scoring(task: Any, items: int, k: int) -> float:
    return items * (SECONDS_PER_ITEM + SECONDS_PER_PROMPT_TOKEN * _prompt_tokens(task, k))


def _estimate_zero_shot(task: Any, s: StudySettings) -> float:
    return SECONDS_TO_LOAD + _scoring(task, len(task.test), 0)


def _estimate_dev_search(task: Any, s: StudySettings) -> float:
    n = s.dev_items(task)
    return sum(_scoring(task, n, k) * (1 if k == 0 else t.draws) * (1.2 if t.calibrate else 1)
               for t in s.techniques for k in t.ks)  # fmt: skip


def _estimate_best_prompt(task: Any, s: StudySettings) -> float:
    ks = [k for t in s.techniques for k in t.ks]
    return _scoring(task, len(task.test), round(sum(ks) / len(ks)))


def _estimate_fine_tuned(task: Any, s: StudySettings) -> float:
    evaluations = s.steps // s.eval_every + 1
    dev = evaluations * _scoring(task, min(s.n_dev, len(task.dev)), 0)
    return SECONDS_TO_LOAD + s.steps * SECONDS_PER_TRAIN_STEP + dev + _estimate_zero_shot(task, s)


def _estimate_requests(task: Any, s: StudySettings) -> float:
    timed = min(s.latency_n, len(task.test)) + 2  # two warm-up requests
    return 2 * SECONDS_TO_LOAD + 2 * timed * SECONDS_PER_REQUEST


@dataclass(frozen=True)
class Step:
    """One stored step: its name, what it does, what it depends on and how long it may take."""

    name: str
    what: str
    measure: Callable[[Context], dict[str, Any]]
    estimate: Callable[[Any, StudySettings], float]
    depends: tuple[str, ...]  # the settings its result depends on (its store key)


_SEARCH = ("techniques", "dev_n")
_TUNE = ("steps", "eval_every", "patience", "n_dev")

#: The study's steps, in the order they run.
STEPS: tuple[Step, ...] = (
    Step("zero_shot", "0-shot on the test split", zero_shot, _estimate_zero_shot, ()),
    Step("dev_search", "few-shot prompts on dev, over draws", dev_search,
         _estimate_dev_search, _SEARCH),
    Step("best_prompt", "the prompt chosen on dev, on test", best_prompt,
         _estimate_best_prompt, _SEARCH),
    Step("fine_tuned", "LoRA fine-tune (early stopping), on test", fine_tuned,
         _estimate_fine_tuned, _TUNE),
    Step("requests", "tokens and seconds per request", requests, _estimate_requests,
         (*_SEARCH, *_TUNE, "latency_n")),
)  # fmt: skip
