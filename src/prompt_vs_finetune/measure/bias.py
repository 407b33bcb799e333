"""Why a few-shot prompt can do worse than none: two biases, measured on a learner's run.

A small model reading a few-shot prompt leans on two things besides the ticket:

- **recency**: the label of the example shown last, right before the ticket, is copied
  into the answer (``copy_share``); a model that ignored it would give that label about
  as often as it is the right answer;
- **a label it prefers whatever the ticket says** (majority or prior bias): scored on
  content-free queries ("N/A", "", "[MASK]", the queries contextual calibration uses),
  the model still prefers one label (``content_free``). When the same label then takes
  most predictions (``top_label``), the prompt is answering its own prior.

``draw_biases`` lays both out for every draw of a ``kshot_draws`` table and
``bias_summary`` averages them per k.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np

from prompt_vs_finetune.measure.intervals import Rate, rate
from prompt_vs_finetune.measure.scoring import CONTENT_FREE, score_labels
from prompt_vs_finetune.store.results import cached
from prompt_vs_finetune.ui.tables import Table

__all__ = ["KIND", "bias_summary", "content_free", "copy_share", "draw_biases", "top_label"]

KIND = "content-free-preference"


def copy_share(predictions: Sequence[str], last: Sequence[str | None]) -> Rate:
    """Share of predictions equal to the label of the example shown last (per query)."""
    if len(predictions) != len(last):
        raise ValueError(f"{len(predictions)} predictions but {len(last)} last labels")
    return rate([int(p == q) for p, q in zip(predictions, last, strict=True)])


def top_label(predictions: Sequence[str]) -> tuple[str, float]:
    """The label predicted most often and its share of the predictions."""
    if not predictions:
        raise ValueError("no predictions")
    label, count = Counter(predictions).most_common(1)[0]
    return label, count / len(predictions)


def content_free(lm: Any, prompt: Any) -> dict[str, float]:
    """The labels' probabilities (over the label set) when the query has no content.

    The mean log-probability of each label over ``CONTENT_FREE`` queries, the baseline that
    contextual calibration subtracts, turned into probabilities. Stored per model and prompt.
    """

    def compute() -> dict[str, Any]:
        scores = score_labels(lm, prompt, list(CONTENT_FREE), progress=False)
        mean = scores.logprobs.mean(axis=0)
        p = np.exp(mean - mean.max())
        return {"labels": list(scores.labels), "probabilities": (p / p.sum()).round(5).tolist()}

    stored = cached(KIND, {"model": lm.name, "prompt": prompt.key()}, compute)
    return dict(zip(stored["labels"], stored["probabilities"], strict=True))


def draw_biases(lm: Any, draws: Table) -> Table:
    """One row per draw with examples (k > 0) of a ``kshot_draws`` table of shared prompts.

    Columns: k, draw, accuracy, last_label (shown right before the ticket), copies_last
    (share of predictions equal to it), last_is_gold (share of tickets it is right for: a
    model that ignored the last example and never erred would copy it that often),
    top_label and top_share (the label predicted most
    and its share), prior_label (the label preferred with no ticket) and prior_p (its
    probability), top_is_prior (whether the two agree).
    """
    rows = []
    for row in draws:
        if row["k"] == 0:
            continue
        key = (row["k"], row["draw"])
        result, prompt = draws.results[key], draws.prompts[key]
        last = prompt.examples[-1].label
        top, share = top_label(result.predictions)
        prior = content_free(lm, prompt)
        prior_label = max(prior, key=prior.get)
        rows.append({
            "k": row["k"], "draw": row["draw"], "accuracy": result.accuracy,
            "last_label": last,
            "copies_last": copy_share(result.predictions, [last] * result.n).value,
            "last_is_gold": copy_share(result.gold, [last] * result.n).value,
            "top_label": top, "top_share": share,
            "prior_label": prior_label, "prior_p": prior[prior_label],
            "top_is_prior": top == prior_label,
        })  # fmt: skip
    return Table(rows)


def bias_summary(rows: Sequence[dict[str, Any]]) -> Table:
    """Per k of a ``draw_biases`` table: draws, the mean of copies_last, last_is_gold and
    top_share, and in how many draws the top label was the label preferred with no ticket."""
    out = []
    for k in dict.fromkeys(r["k"] for r in rows):
        mine = [r for r in rows if r["k"] == k]
        mean = {c: float(np.mean([r[c] for r in mine]))
                for c in ("copies_last", "last_is_gold", "top_share")}  # fmt: skip
        out.append({"k": k, "draws": len(mine), **mean,
                    "top_is_prior": sum(r["top_is_prior"] for r in mine)})  # fmt: skip
    return Table(out)
