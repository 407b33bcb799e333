"""Classify by scoring every label: which answer does the model find most likely?

For a query, each label's score is the total log-probability of the label's tokens
(``prompt.answer(label, end=False)``, e.g. `` billing``) as the continuation of
``prompt.render(text)``: exact for labels of several tokens (every token is conditioned
on the ones before it). When one label's tokens start another label's tokens (``account``
vs ``account closure``), every label gets the end marker too (``prompt.answer(label,
end=True)``), so a shorter label is a real choice. The prediction is the best label.

Two implementations return the same numbers (up to float rounding):

* ``naive_score_labels`` - the textbook loop: for every example and every label, one
  forward pass over the whole prompt plus the label. Easy to trust, slow.
* ``score_labels`` - the engine. The few-shot prefix is the same for every query, so it
  runs through the model once and its key/value cache is reused. Each batch row then holds
  one query and, after it, the label tokens that must be *fed* to the model (all but the
  last token of each label: a label of one token needs none, its log-probability is read
  at the query's last position). A custom attention mask lets the query attend to the
  cached prefix and to itself (causally), and each label's tokens to the prefix, the query
  and the same label's earlier tokens only; position ids are what a separate forward pass
  would use. Queries are padded on the left inside the row, so the label block sits at
  the same place in every row, and the vocabulary projection is only computed at the
  positions that predict a label token. The batch layout lives in ``label_batches``.

``calibrate=True`` applies contextual calibration (Zhao et al., 2021, "Calibrate before
use"): the labels' log-probabilities for content-free queries ("N/A", "", "[MASK]") are
subtracted before choosing, which removes much of a small model's bias towards some
labels. It is a prompting technique: no weight changes, three extra rows to score.

Notebooks, checks and the rest of the library do not call this module: they go through
``measure.evaluate``, which runs the engine and keeps its results in the results store.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch
from tqdm.auto import tqdm

from prompt_vs_finetune.measure.label_batches import make_engine, prefix_cache_of, score_batch
from prompt_vs_finetune.model.generation import check_fits, forward_params
from prompt_vs_finetune.model.loading import LoadedModel
from prompt_vs_finetune.prompting.fewshot import FewShotPrompt

__all__ = ["CONTENT_FREE", "LabelScores", "naive_score_labels", "score_labels"]

#: Queries without content, used by ``calibrate=True`` to measure the labels' prior.
CONTENT_FREE: tuple[str, ...] = ("N/A", "", "[MASK]")


@dataclass
class LabelScores:
    """Per-example label scores.

    ``logprobs[i, j]`` is the log-probability of ``labels[j]`` for example ``i``;
    ``baseline`` (with ``calibrate=True``, else None) the labels' mean log-probabilities
    for content-free queries, subtracted before choosing; ``tokens_per_request[i]`` the
    prompt tokens a request for example ``i`` would send; ``latencies[i]`` its share of
    the compute time in seconds (engine: its batch's time divided by the batch size;
    naive loop: the time of its own passes); ``seconds`` the whole call, prefix and
    tokenization included.
    """

    labels: list[str]
    logprobs: np.ndarray
    predictions: list[str]
    seconds: float
    tokens_per_request: list[int]
    latencies: list[float]
    baseline: np.ndarray | None = None
    method: str = "cached"
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def scores(self) -> np.ndarray:
        """What predictions are the argmax of: ``logprobs`` minus ``baseline`` if calibrated."""
        return self.logprobs if self.baseline is None else self.logprobs - self.baseline

    @property
    def probabilities(self) -> np.ndarray:
        """``scores`` turned into probabilities over the label set (rows sum to 1)."""
        z = self.scores - self.scores.max(axis=1, keepdims=True)
        p = np.exp(z)
        return p / p.sum(axis=1, keepdims=True)

    @property
    def confidence(self) -> np.ndarray:
        """Probability of the predicted label, over the label set (for cascades)."""
        return self.probabilities.max(axis=1)

    @property
    def examples_per_second(self) -> float:
        return len(self.predictions) / self.seconds if self.seconds > 0 else float("inf")

    def __repr__(self) -> str:
        return (
            f"LabelScores({len(self.predictions)} examples x {len(self.labels)} labels, "
            f"{self.method}{', calibrated' if self.baseline is not None else ''}, "
            f"{self.seconds:.2f} s, {self.examples_per_second:.1f} ex/s)"
        )


# --- shared preparation --------------------------------------------------------------------


@dataclass
class _Plan:
    labels: list[str]
    texts: list[str]  # queries: the examples, then the content-free ones if calibrating
    n_real: int  # how many of ``texts`` are the caller's examples
    full: list[list[int]]  # token ids of render(text) per query
    answers: list[list[int]]  # token ids of each label's answer
    end: bool  # whether the answers carry the end marker


def _encode(lm: LoadedModel, text: str) -> list[int]:
    return lm.tokenizer(text, add_special_tokens=False)["input_ids"]


def _text(example: Any) -> str:
    if isinstance(example, str):
        return example
    text = getattr(example, "text", None)
    if not isinstance(text, str):
        raise TypeError(
            f"examples must be Example objects or strings, not {type(example).__name__}"
        )
    return text


def _starts(a: list[int], b: list[int]) -> bool:
    return len(a) <= len(b) and b[: len(a)] == a


def _plan(lm, prompt, examples, labels, calibrate: bool) -> _Plan:
    if not isinstance(lm, LoadedModel):
        raise TypeError(f"expected a LoadedModel (from load_model), not {type(lm).__name__}")
    if not isinstance(prompt, FewShotPrompt):
        raise TypeError(
            f"expected a FewShotPrompt (from build_prompt), not {type(prompt).__name__}"
        )
    if isinstance(examples, str) or not isinstance(examples, Sequence):
        raise TypeError("examples must be a list of Example objects (or of strings)")
    if len(examples) == 0:
        raise ValueError("no examples to score: the list is empty")
    if isinstance(labels, str):
        raise TypeError("labels must be a list of strings, not one string")
    labels = list(prompt.labels if labels is None else labels)
    if not labels:
        raise ValueError("no labels to score: pass labels=[...] or build the prompt from a task")
    if len(set(labels)) != len(labels):
        raise ValueError(f"labels must be distinct, got {labels}")
    texts = [_text(ex) for ex in examples]
    n_real = len(texts)
    if calibrate:
        texts += list(CONTENT_FREE)
    full = [_encode(lm, prompt.render(t)) for t in texts]
    answers = [_encode(lm, prompt.answer(label, end=False)) for label in labels]
    end = any(
        i != j and _starts(a, b) for i, a in enumerate(answers) for j, b in enumerate(answers)
    )
    if end:
        answers = [_encode(lm, prompt.answer(label, end=True)) for label in labels]
    # The label tokens must be what the tokenizer gives for prompt + answer as one text.
    for label, ids in zip(labels, answers, strict=True):
        whole = _encode(lm, prompt.render(texts[0]) + prompt.answer(label, end=end))
        if whole != full[0] + ids:
            raise ValueError(
                f"the answer {prompt.answer(label, end=end)!r} does not tokenize on its own the "
                f"way it does after the prompt; change the template or the label"
            )
    check_fits(lm, max(len(ids) for ids in full) + max(len(a) for a in answers), 0)
    return _Plan(labels, texts, n_real, full, answers, end)


def _finish(plan: _Plan, logprobs: np.ndarray, start: float, latencies, method, info):
    n = plan.n_real
    baseline = logprobs[n:].mean(axis=0) if len(plan.texts) > n else None
    scores = logprobs[:n] if baseline is None else logprobs[:n] - baseline
    return LabelScores(
        labels=list(plan.labels),
        logprobs=logprobs[:n],
        predictions=[plan.labels[j] for j in scores.argmax(axis=1)],
        seconds=time.perf_counter() - start,
        tokens_per_request=[len(ids) for ids in plan.full[:n]],
        latencies=[float(x) for x in latencies[:n]],
        baseline=baseline,
        method=method,
        info={"end_marker": plan.end, **info},
    )


class _EvalMode:
    """Put a model in eval mode for the duration, restoring its previous mode after."""

    def __init__(self, model):
        self.model, self.was_training = model, model.training

    def __enter__(self):
        self.model.eval()

    def __exit__(self, *exc):
        self.model.train(self.was_training)


class _GroupedQueryAttention:
    """Let transformers' SDPA attention share key/value heads instead of copying them.

    The course model has 9 query heads and 3 key/value heads. With a custom attention
    mask, transformers copies each key/value head 3 times before calling PyTorch's
    attention; ``TRANSFORMERS_SDPA_FORCE_GQA=1`` makes it pass ``enable_gqa=True``
    instead, which gives the same numbers about 6% faster on CPU. Restored afterwards.
    """

    name = "TRANSFORMERS_SDPA_FORCE_GQA"

    def __enter__(self):
        self.previous = os.environ.get(self.name)
        os.environ[self.name] = "1"

    def __exit__(self, *exc):
        if self.previous is None:
            os.environ.pop(self.name, None)
        else:
            os.environ[self.name] = self.previous


def _device(model) -> torch.device:
    return next(model.parameters()).device


# --- the reference ---------------------------------------------------------------------------


@torch.inference_mode()
def naive_score_labels(
    lm: LoadedModel,
    prompt: FewShotPrompt,
    examples: Sequence[Any],
    labels: Sequence[str] | None = None,
    *,
    calibrate: bool = False,
    progress: bool = True,
) -> LabelScores:
    """The reference: one forward pass over prompt + label, per example and per label."""
    start = time.perf_counter()
    plan = _plan(lm, prompt, examples, labels, calibrate)
    model, device = lm.model, _device(lm.model)
    keep_arg = "logits_to_keep" in forward_params(model)
    logprobs = np.zeros((len(plan.full), len(plan.labels)))
    latencies = []
    with _EvalMode(model):
        for i, ids in enumerate(tqdm(plan.full, desc="naive scoring", disable=not progress)):
            t0 = time.perf_counter()
            for j, answer in enumerate(plan.answers):
                x = torch.tensor([ids + answer], device=device)
                n = len(answer)
                kwargs = {"logits_to_keep": n + 1} if keep_arg else {}
                logits = model(input_ids=x, use_cache=False, **kwargs).logits[0, -(n + 1) : -1]
                lp = torch.log_softmax(logits.float(), dim=-1)
                logprobs[i, j] = lp[torch.arange(n), torch.tensor(answer, device=device)].sum()
            latencies.append(time.perf_counter() - t0)
    return _finish(plan, logprobs, start, latencies, "naive", {})


# --- the engine --------------------------------------------------------------------------------


@torch.inference_mode()
def score_labels(
    lm: LoadedModel,
    prompt: FewShotPrompt,
    examples: Sequence[Any],
    labels: Sequence[str] | None = None,
    *,
    batch_size: int = 8,
    calibrate: bool = False,
    progress: bool = True,
) -> LabelScores:
    """Score every label for every example, reusing the shared prefix's key/value cache.

    Same numbers as ``naive_score_labels`` (up to float rounding), many times faster.
    ``labels`` defaults to ``prompt.labels``; ``batch_size`` is the number of examples
    per forward pass; ``calibrate`` see the module docstring.
    """
    if not isinstance(batch_size, int) or isinstance(batch_size, bool) or batch_size < 1:
        raise ValueError(f"batch_size must be a whole number >= 1, got {batch_size!r}")
    start = time.perf_counter()
    plan = _plan(lm, prompt, examples, labels, calibrate)
    eng = make_engine(lm, _encode(lm, prompt.prefix), plan.full, plan.answers)
    suffixes = [ids[eng.n_cached :] for ids in plan.full]
    logprobs = np.zeros((len(suffixes), len(plan.labels)))
    latencies = [0.0] * len(suffixes)
    order = sorted(range(len(suffixes)), key=lambda i: -len(suffixes[i]))  # less padding
    bar = tqdm(total=len(order), desc="scoring", disable=not progress)
    with _EvalMode(eng.model), _GroupedQueryAttention():
        eng.prefix_cache = prefix_cache_of(eng, plan.full[0])
        for b in range(0, len(order), batch_size):
            t0 = time.perf_counter()
            rows = order[b : b + batch_size]
            logprobs[rows] = score_batch(eng, [suffixes[i] for i in rows])
            share = (time.perf_counter() - t0) / len(rows)
            for i in rows:
                latencies[i] = share
            bar.update(len(rows))
    bar.close()
    info = {"cached_prefix_tokens": eng.n_cached, "fed_label_tokens": eng.block.size}
    return _finish(plan, logprobs, start, latencies, "cached", {**info, "batch_size": batch_size})
