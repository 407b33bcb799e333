"""Ask the same question several times: how often does the model give the same answer?

With greedy decoding (temperature 0) a model always answers the same way. Services often
sample instead (temperature above 0), and then the answer can change from one call to the
next. How much it changes depends on how sure the model is: a model that puts 98% of its
probability on one label keeps saying it; one that hesitates between two labels flips.

Two ways to measure it, both here:

* ``expected_agreement(logprobs, temperature)`` - exact, from one scoring pass: if the
  answer is drawn from the label probabilities at temperature T (``softmax(logprobs / T)``),
  the chance that two independent draws agree is the sum of the squared probabilities.
  Cheap, so a whole temperature curve (``agreement_curve``) costs nothing extra.
* ``sampled_consistency`` - the real thing: generate N seeded answers per ticket at
  temperature T, free text, and count how often they agree (``metrics.consistency``).
  Answers outside the label set count too (they are what a program reading the answer
  would get), and ``valid`` says how many samples were a label at all.

The rule of C11 in ``claims`` turns the measured agreement of a prompted and a
fine-tuned model into a verdict on the guide's claim.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from prompt_vs_finetune.measure.metrics import accuracy, measure_consistency, normalize_answer
from prompt_vs_finetune.prompting.fewshot import FewShotPrompt
from prompt_vs_finetune.store.results import cached
from prompt_vs_finetune.ui.tables import Table

__all__ = [
    "TEMPERATURES",
    "agreement_curve",
    "expected_agreement",
    "plot_agreement",
    "sampled_consistency",
]

#: Temperatures of the agreement curve (0 = greedy).
TEMPERATURES: tuple[float, ...] = (0.0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0)


def _logprob_array(logprobs: Any) -> np.ndarray:
    array = np.asarray(getattr(logprobs, "logprobs", logprobs), dtype=float)
    if array.ndim != 2 or array.shape[0] == 0 or array.shape[1] == 0:
        raise ValueError(f"logprobs must have shape [n_examples, n_labels], not {array.shape}")
    return array


def expected_agreement(logprobs: Any, temperature: float) -> np.ndarray:
    """Per example: the chance that two answers sampled at ``temperature`` are the same label.

    ``logprobs`` is [n_examples, n_labels] (or a LabelScores). The answer is drawn from
    ``softmax(logprobs / temperature)`` over the labels; two draws agree with probability
    ``sum(p ** 2)``. Temperature 0 is greedy: always 1.0.
    """
    array = _logprob_array(logprobs)
    if not isinstance(temperature, int | float) or temperature < 0:
        raise ValueError(f"temperature must be a number >= 0, got {temperature!r}")
    if temperature == 0:
        return np.ones(len(array))
    z = array / float(temperature)
    z = z - z.max(axis=1, keepdims=True)
    p = np.exp(z)
    p /= p.sum(axis=1, keepdims=True)
    return (p**2).sum(axis=1)


def agreement_curve(
    named_logprobs: Mapping[str, Any], temperatures: Sequence[float] = TEMPERATURES
) -> Table:
    """Mean expected agreement per temperature, one column per named model/prompt."""
    rows = []
    for t in temperatures:
        row: dict[str, Any] = {"temperature": float(t)}
        for name, lp in named_logprobs.items():
            row[name] = float(expected_agreement(lp, t).mean())
        rows.append(row)
    return Table(rows)


def plot_agreement(curve: Sequence[dict[str, Any]], ax: Any = None, mark: float | None = None):
    """Draw ``agreement_curve``: agreement (y) against temperature (x), one line per model."""
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(6, 3.5))
    names = [c for c in curve[0] if c != "temperature"]
    ts = [r["temperature"] for r in curve]
    for name in names:
        ax.plot(ts, [r[name] for r in curve], "o-", label=name)
    if mark is not None:
        ax.axvline(mark, color="black", linestyle=":", linewidth=1)
    ax.set_xlabel("sampling temperature")
    ax.set_ylabel("chance two answers agree")
    ax.set_ylim(0, 1.02)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    ax.set_title("Consistency under sampling (label probabilities)")
    return ax


def _ids_hash(examples: Sequence[Any]) -> str:
    blob = "\n".join(f"{getattr(ex, 'id', '')}\t{getattr(ex, 'text', ex)}" for ex in examples)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]


def sampled_consistency(
    lm: Any,
    prompt: FewShotPrompt,
    examples: Sequence[Any],
    *,
    n_samples: int = 5,
    temperature: float = 1.0,
    seed: int = 0,
    max_new_tokens: int = 4,
) -> dict[str, Any]:
    """Generate ``n_samples`` seeded answers per ticket at ``temperature``; cached.

    Each request is ``prompt.render(ticket)`` sent as text (it already holds the chat
    markup and ends with the answer cue). Returns ``consistency`` (mean share of samples
    equal to the ticket's most common answer), ``pairwise`` (chance two samples agree),
    ``valid`` (share of samples that are one of the labels), ``modal_accuracy`` (the most
    common answer's accuracy), ``samples`` and the settings.
    """
    examples = list(examples)
    labels = [normalize_answer(label) for label in prompt.labels]
    inputs = {
        "model": lm.name,
        "prompt": prompt.key(),
        "examples": _ids_hash(examples),
        "n_samples": n_samples,
        "temperature": temperature,
        "seed": seed,
        "max_new_tokens": max_new_tokens,
    }

    def compute() -> dict[str, Any]:
        r = measure_consistency(
            lm,
            prompt,
            examples,
            n_samples=n_samples,
            temperature=temperature,
            seed=seed,
            max_new_tokens=max_new_tokens,
        )
        answers = [[normalize_answer(a) for a in row] for row in r["samples"]]
        flat = [a for row in answers for a in row]
        modal = [max(set(row), key=lambda a, row=row: (row.count(a), a)) for row in answers]
        gold = [normalize_answer(ex.label) for ex in examples]
        return {
            "consistency": r["consistency"],
            "pairwise": r["pairwise"],
            "valid": sum(a in labels for a in flat) / len(flat),
            "modal_accuracy": float(accuracy(gold, modal)),
            "samples": answers,
            "n": len(examples),
            "n_samples": n_samples,
            "temperature": temperature,
            "seconds": r["seconds"],
        }

    return cached("sampled-consistency", inputs, compute)
