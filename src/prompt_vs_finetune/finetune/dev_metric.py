"""What a fine-tune's dev curve measures: label accuracy, or the probability of the answer text.

A classification task (``TaskData.labels`` not empty) is scored like any prompted model:
its dev accuracy from ``score_examples``. A generation task (empty ``labels``: each answer
is a text, such as a JSON object or a reply) has no label to choose; its dev score is the
**answer-token probability**, exp(-mean cross-entropy) of the dev answers' tokens: the
loss the training minimises (``steps.answer_loss``), measured on the dev examples without
gradient. It is the geometric mean of the probabilities the model gives the reference
answer's tokens. Both scores lie in [0, 1] and higher is better, so early stopping and
the plots treat them alike; scoring the dev loss costs one forward pass per dev example,
far less than generating every dev answer.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import torch

from prompt_vs_finetune.finetune.steps import answer_loss, training_pairs
from prompt_vs_finetune.measure.evaluate import score_examples
from prompt_vs_finetune.model.loading import LoadedModel
from prompt_vs_finetune.prompting.fewshot import FewShotPrompt

__all__ = ["GENERATION_METRIC", "answer_probability", "dev_scorer"]

#: The name a generation run's recipe gives its dev score (classification runs: accuracy).
GENERATION_METRIC = "dev answer-token probability"


@torch.no_grad()
def answer_probability(
    model: Any, pairs: Sequence[tuple[list[int], list[int]]], pad_id: int, batch_size: int = 8
) -> float:
    """exp(-mean cross-entropy) over every answer token of ``pairs`` (prompt, answer) ids."""
    total, count = 0.0, 0
    for start in range(0, len(pairs), batch_size):
        batch = pairs[start : start + batch_size]
        n_tokens = sum(len(answer) for _, answer in batch)
        total += float(answer_loss(model, batch, pad_id)) * n_tokens
        count += n_tokens
    return math.exp(-total / count) if count else float("nan")


def dev_scorer(
    base_lm: LoadedModel, prompt: FewShotPrompt, dev: Sequence[Any], max_text_tokens: int
) -> Callable[[Any], float]:
    """A function ``model -> dev score`` for a run on ``prompt``'s task (see the module)."""
    if prompt.labels:

        def accuracy(model: Any) -> float:
            view = LoadedModel(model, base_lm.tokenizer, base_lm.name, base_lm.source)
            return score_examples(view, prompt, dev).accuracy

        return accuracy
    tokenizer = base_lm.tokenizer
    pairs = training_pairs(tokenizer, prompt, dev, max_text_tokens)
    pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0
    return lambda model: answer_probability(model, pairs, pad_id)
