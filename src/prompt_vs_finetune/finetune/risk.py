"""Hidden costs: what goes wrong, how fast you recover, and how you find out.

Lesson 03 compares two kinds of mistakes on the ticket task:

- a bad prompt (here: a few-shot prompt whose examples carry the wrong labels, the kind
  of bug a copy-paste introduces). Undoing it is swapping the text back: ``prompt_rollback``
  times that swap plus a re-check on a set of tickets;
- a bad fine-tune (``course_run("wrecked")``: every weight trained with a far too high
  learning rate). ``diverged`` (from ``diagnosis``) reads its loss curve; undoing it
  means training again.

It also runs the general-ability probe (``probes.run_probe``) before and after a
fine-tune, kept in the results store (``probe_cached``), as the regression suite that
tells you whether an update broke something that used to work.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import time
from collections.abc import Sequence
from typing import Any

from prompt_vs_finetune.finetune.diagnosis import diverged, loss_numbers
from prompt_vs_finetune.measure.evaluate import score_examples
from prompt_vs_finetune.measure.probes import PROBE_ITEMS, ProbeResult, compare_probes, run_probe
from prompt_vs_finetune.prompting.fewshot import FewShotPrompt
from prompt_vs_finetune.store.results import cached
from prompt_vs_finetune.ui.tables import Table

__all__ = [
    "GENERAL_QUESTIONS",
    "loss_summary",
    "mislabeled",
    "plot_recovery",
    "probe_cached",
    "probe_summary",
    "prompt_rollback",
    "sample_answers",
]


def loss_summary(losses: Sequence[float]) -> dict[str, Any]:
    """First/last-window mean, lowest and highest finite loss, and the ``diverged`` flag.

    The numbers are ``diagnosis.loss_numbers``; ``diverged`` is the course's one definition
    of a diverged run (``diagnosis.diverged``, the rules lesson 04's diagnosis applies).
    """
    n = loss_numbers(losses)
    first = n["loss_first"]
    return {
        "steps": n["steps"],
        "start": n["loss_start"],
        "end": n["loss_end"],
        "lowest": n["loss_min"],
        "highest": n["loss_max"],
        "not_finite": n["nonfinite_steps"],
        "diverged": diverged(losses),
        "peak_vs_first": n["loss_max"] / first if math.isfinite(first) and first else math.nan,
    }


def mislabeled(prompt: FewShotPrompt, shift: int = 1) -> FewShotPrompt:
    """The same prompt with every example's label replaced by the label ``shift`` places on.

    A realistic bad edit: the examples file got out of step with its labels. Nothing
    about the model changes, only the text it is shown.
    """
    labels = list(prompt.labels)
    if not labels or not prompt.examples:
        raise ValueError("mislabeled() needs a prompt with examples and labels")
    moved = tuple(
        dataclasses.replace(ex, label=labels[(labels.index(ex.label) + shift) % len(labels)])
        for ex in prompt.examples
    )
    return dataclasses.replace(prompt, examples=moved)


def prompt_rollback(
    lm: Any, good: FewShotPrompt, bad: FewShotPrompt, examples: Sequence[Any]
) -> dict[str, Any]:
    """Accuracy with the good prompt, with the bad one, and after rolling back to the good one.

    The rollback is timed: swapping the prompt text back plus re-scoring ``examples`` to
    confirm the fix (``rollback_seconds``). Nothing has to be retrained.
    """
    before = score_examples(lm, good, examples)
    broken = score_examples(lm, bad, examples)
    start = time.perf_counter()  # the rollback: use the previous prompt text again, re-check
    restored = score_examples(lm, good, examples)
    seconds = time.perf_counter() - start
    return {
        "n": len(examples),
        "good_accuracy": before.accuracy,
        "bad_accuracy": broken.accuracy,
        "restored_accuracy": restored.accuracy,
        "restored_identical": restored.predictions == before.predictions,
        "rollback_seconds": seconds,
    }


#: Everyday requests that have nothing to do with tickets: does the model still cope?
GENERAL_QUESTIONS: tuple[str, ...] = (
    "What is the capital of France?",
    "Write one sentence about the sea.",
    "My router keeps disconnecting. What should I try first?",
)


def sample_answers(
    models: dict[str, Any], questions: Sequence[str] = GENERAL_QUESTIONS, max_new_tokens: int = 16
) -> list[dict[str, str]]:
    """Each model's greedy answer to each question: one row per question, one column per model."""
    from prompt_vs_finetune.model.generation import generate

    return [
        {
            "question": q,
            **{
                name: generate(lm, q, max_new_tokens=max_new_tokens).text
                for name, lm in models.items()
            },
        }
        for q in questions
    ]


def plot_recovery(seconds: dict[str, float], ax: Any = None) -> Any:
    """Horizontal bars of how long each way back takes (log scale); returns the Axes."""
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(7, 2.4))
    names = list(seconds)
    values = [seconds[n] for n in names]
    bars = ax.barh(names, values, color=["tab:green", "tab:red", "tab:grey"][: len(names)])
    for bar, value in zip(bars, values, strict=True):
        ax.annotate(
            f" {value:,.1f} s",
            (bar.get_width(), bar.get_y() + bar.get_height() / 2),
            va="center",
            fontsize=8,
        )
    ax.set_xscale("log")
    ax.set_xlabel("seconds (log scale)")
    ax.set_title("How long it takes to get back to a good model")
    ax.invert_yaxis()
    return ax


def _items_key(items: Sequence[tuple[str, str, str]]) -> str:
    blob = json.dumps([list(i) for i in items], ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]


def probe_cached(lm: Any, items: Sequence[tuple[str, str, str]] = PROBE_ITEMS) -> ProbeResult:
    """``probes.run_probe(lm)``, kept in the results store (kind "probe-general-ability")."""
    inputs = {"model": lm.name, "items": _items_key(items)}

    def compute() -> dict[str, Any]:
        result = run_probe(lm, items)
        return {
            "model": result.model,
            "records": list(result.records),
            "accuracy": result.accuracy,
            "seconds": result.seconds,
        }

    stored = cached("probe-general-ability", inputs, compute)
    return ProbeResult(
        stored["model"], Table(stored["records"]), stored["accuracy"], stored["seconds"]
    )


def probe_summary(before: ProbeResult, after: ProbeResult) -> dict[str, Any]:
    """Counts from ``compare_probes``: kept, forgotten, learned, and the mean change of p_gold."""
    rows = compare_probes(before, after)
    counts = {s: sum(r["status"] == s for r in rows) for s in ("kept", "FORGOTTEN", "learned")}
    drift = sum(r["p_gold_after"] - r["p_gold_before"] for r in rows) / len(rows)
    return {
        "kept": counts["kept"],
        "forgotten": counts["FORGOTTEN"],
        "learned": counts["learned"],
        "forgotten_questions": [r["question"] for r in rows if r["status"] == "FORGOTTEN"],
        "accuracy_before": before.accuracy,
        "accuracy_after": after.accuracy,
        "mean_p_gold_change": drift,
        "n": len(rows),
    }
