"""Measuring answers: accuracy, macro-F1, confusion, format validity, consistency, latency.

Plain Python and numpy, written to be read: each metric is a few lines that a
learner can check by hand.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from prompt_vs_finetune.ui.tables import Table

__all__ = [
    "Table",
    "accuracy",
    "confusion_matrix",
    "consistency",
    "format_validity",
    "latency_summary",
    "macro_f1",
    "measure_consistency",
    "normalize_answer",
    "plot_confusion",
]

OTHER = "(other)"  # confusion-matrix row/column for answers outside the label set


def _pair(gold: Sequence[Any], pred: Sequence[Any]) -> tuple[list[Any], list[Any]]:
    gold, pred = list(gold), list(pred)
    if len(gold) != len(pred):
        raise ValueError(f"gold has {len(gold)} answers but pred has {len(pred)}.")
    if not gold:
        raise ValueError("No answers to score: gold and pred are empty.")
    return gold, pred


def accuracy(gold: Sequence[Any], pred: Sequence[Any]) -> float:
    """Share of predictions equal to the gold answer."""
    gold, pred = _pair(gold, pred)
    return sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold)


def macro_f1(
    gold: Sequence[Any], pred: Sequence[Any], labels: Sequence[Any] | None = None
) -> float:
    """Unweighted mean over ``labels`` of each label's F1 (same as scikit-learn's macro F1).

    A label's precision (or recall) is 0 when it was never predicted (or never
    gold), so no division by zero; a prediction outside ``labels`` only costs recall.
    ``labels`` defaults to the sorted labels that occur in ``gold``.
    """
    gold, pred = _pair(gold, pred)
    labels = sorted(set(gold)) if labels is None else list(labels)
    scores = []
    for label in labels:
        tp = sum(g == label and p == label for g, p in zip(gold, pred, strict=True))
        fp = sum(g != label and p == label for g, p in zip(gold, pred, strict=True))
        fn = sum(g == label and p != label for g, p in zip(gold, pred, strict=True))
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        scores.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return float(np.mean(scores)) if scores else 0.0


def confusion_matrix(
    gold: Sequence[Any], pred: Sequence[Any], labels: Sequence[Any] | None = None
) -> tuple[np.ndarray, list[Any]]:
    """Counts ``matrix[i, j]`` of examples with gold ``order[i]`` predicted as ``order[j]``.

    Returns ``(matrix, order)``. ``order`` is ``labels`` (default: sorted labels of
    both lists), plus ``"(other)"`` at the end when some answer is outside ``labels``.
    """
    gold, pred = _pair(gold, pred)
    order = sorted(set(gold) | set(pred), key=str) if labels is None else list(labels)
    if any(v not in order for v in gold + pred):
        order.append(OTHER)
    index = {label: i for i, label in enumerate(order)}
    matrix = np.zeros((len(order), len(order)), dtype=int)
    for g, p in zip(gold, pred, strict=True):
        matrix[index.get(g, index.get(OTHER)), index.get(p, index.get(OTHER))] += 1
    return matrix, order


def plot_confusion(
    gold: Sequence[Any], pred: Sequence[Any], labels: Sequence[Any] | None = None, ax: Any = None
) -> Any:
    """Draw the confusion matrix with counts in the cells; return the Axes."""
    import matplotlib.pyplot as plt

    matrix, order = confusion_matrix(gold, pred, labels)
    if ax is None:
        size = 1.0 + 0.6 * len(order)
        _, ax = plt.subplots(figsize=(size + 1, size))
    ax.imshow(matrix, cmap="Blues")
    ticks = range(len(order))
    ax.set_xticks(ticks)
    ax.set_xticklabels([str(v) for v in order], rotation=45, ha="right")
    ax.set_yticks(ticks)
    ax.set_yticklabels([str(v) for v in order])
    ax.set_xlabel("predicted")
    ax.set_ylabel("gold")
    high = matrix.max() if matrix.size else 0
    for i in ticks:
        for j in ticks:
            color = "white" if high and matrix[i, j] > high / 2 else "black"
            ax.text(j, i, str(matrix[i, j]), ha="center", va="center", color=color)
    return ax


def format_validity(outputs: Sequence[Any], validator: Callable[[Any], Any] | None = None) -> float:
    """Share of outputs in the right format.

    Either pass booleans (already checked), or outputs plus a ``validator`` that
    returns True for a valid one (a validator that raises counts as invalid).
    """
    outputs = list(outputs)
    if not outputs:
        raise ValueError("No outputs to check.")
    if validator is None:
        if not all(isinstance(v, bool | np.bool_) for v in outputs):
            raise TypeError("Pass booleans, or outputs together with validator=a function.")
        return sum(bool(v) for v in outputs) / len(outputs)

    def ok(output: Any) -> bool:
        try:
            return bool(validator(output))
        except Exception:
            return False

    return sum(ok(o) for o in outputs) / len(outputs)


def normalize_answer(text: Any) -> str:
    """Answer text compared loosely: lower case, single spaces, no surrounding punctuation."""
    return " ".join(str(text).split()).lower().strip(" .,:;!?\"'`")


def consistency(
    samples: Sequence[Sequence[str]],
    *,
    method: str = "modal",
    normalize: Callable[[Any], Any] | None = normalize_answer,
) -> float:
    """How often repeated samples for the same input agree, averaged over inputs (0 to 1).

    ``samples[i]`` holds the N answers sampled for input i.

    - ``method="modal"`` (default): for each input, the share of its samples equal to
      its most common answer; 1.0 means every sample agreed, 1/N means all differed.
    - ``method="pairwise"``: for each input, the share of pairs of samples that are
      equal (the chance two random samples agree); it punishes splits harder.

    Answers are compared after ``normalize`` (default: case, spaces, punctuation).
    """
    if method not in ("modal", "pairwise"):
        raise ValueError(f'method must be "modal" or "pairwise", not {method!r}.')
    if not samples:
        raise ValueError("No samples given.")
    scores = []
    for answers in samples:
        answers = [normalize(a) if normalize else a for a in answers]
        n = len(answers)
        if n == 0:
            raise ValueError("Every input needs at least one sample.")
        counts = Counter(answers).values()
        if method == "modal":
            scores.append(max(counts) / n)
        else:
            scores.append(1.0 if n == 1 else sum(c * (c - 1) for c in counts) / (n * (n - 1)))
    return float(np.mean(scores))


def latency_summary(seconds: Sequence[float]) -> dict[str, float]:
    """Median, 95th percentile and mean of per-request times (seconds)."""
    values = np.asarray(list(seconds), dtype=float)
    if values.size == 0:
        raise ValueError("No latencies given.")
    return {
        "p50": float(np.percentile(values, 50)),
        "p95": float(np.percentile(values, 95)),
        "mean": float(values.mean()),
    }


def _prompts_for(prompt_fn_or_prompts: Any, inputs: Sequence[Any]) -> tuple[list[Any], bool]:
    """Prompt per input, and whether the prompts are raw text (chat template already applied)."""
    if hasattr(prompt_fn_or_prompts, "render"):  # a FewShotPrompt: renders full prompt text
        return [prompt_fn_or_prompts.render(getattr(x, "text", x)) for x in inputs], True
    if callable(prompt_fn_or_prompts):
        return [prompt_fn_or_prompts(x) for x in inputs], False
    prompts = list(prompt_fn_or_prompts)
    if len(prompts) != len(inputs):
        raise ValueError(f"{len(prompts)} prompts given for {len(inputs)} inputs.")
    return prompts, False


def measure_consistency(
    lm: Any,
    prompt_fn_or_prompts: Any,
    inputs: Sequence[Any],
    *,
    n_samples: int = 5,
    temperature: float = 0.8,
    seed: int = 0,
    max_new_tokens: int = 8,
    chat: bool | None = None,
) -> dict[str, Any]:
    """Sample ``n_samples`` answers per input and measure how often they agree.

    ``prompt_fn_or_prompts`` is a function input -> prompt, a list with one prompt
    per input, or a FewShotPrompt (its ``render(text)`` is used, sent as plain text).
    Sample j of every input uses seed ``seed + j``, so the run is reproducible (the same
    answers as ``generate(..., seed=seed + j)``, computed together by
    ``sampling.sample_answers``). ``chat`` (default: True, False for a FewShotPrompt)
    says whether the chat template is applied.

    Returns ``{"consistency", "pairwise", "samples", "n_samples", "temperature", "seconds"}``.
    """
    from prompt_vs_finetune.model.sampling import sample_answers

    if n_samples < 1:
        raise ValueError("n_samples must be at least 1.")
    inputs = list(inputs)
    prompts, rendered = _prompts_for(prompt_fn_or_prompts, inputs)
    use_chat = (not rendered) if chat is None else chat
    start = time.perf_counter()
    samples = [
        [
            g.text
            for g in sample_answers(
                lm,
                prompt,
                n_samples,
                max_new_tokens=max_new_tokens,
                temperature=temperature,
                seed=seed,
                chat=use_chat,
            )
        ]
        for prompt in prompts
    ]
    return {
        "consistency": consistency(samples),
        "pairwise": consistency(samples, method="pairwise"),
        "samples": samples,
        "n_samples": n_samples,
        "temperature": temperature,
        "seconds": time.perf_counter() - start,
    }
