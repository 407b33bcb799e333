"""One training step of the tiny fine-tune, and what it is made of.

The (prompt, answer) token pairs a task trains on, the seeded batches, the loss on the
answer tokens only, the learning-rate schedule, the model made trainable (LoRA or every
weight) and one optimiser step with clipping. ``training.fine_tune`` runs the loop.
"""

from __future__ import annotations

import inspect
import os
import random
import warnings
from collections.abc import Sequence
from typing import Any

import torch
import torch.nn.functional as F

from prompt_vs_finetune.prompting.fewshot import FewShotPrompt

__all__ = [
    "answer_loss",
    "batches",
    "lr_schedule",
    "optimizer_step",
    "shared_prefix_length",
    "trainable",
    "training_pairs",
]


def _encode(tokenizer: Any, text: str) -> list[int]:
    return tokenizer(text, add_special_tokens=False)["input_ids"]


def _truncate(tokenizer: Any, text: str, max_tokens: int) -> str:
    """The first ``max_tokens`` tokens of ``text`` (most tickets fit whole)."""
    ids = _encode(tokenizer, text)
    return text if len(ids) <= max_tokens else tokenizer.decode(ids[:max_tokens])


def training_pairs(
    tokenizer: Any, prompt: FewShotPrompt, examples: Sequence[Any], max_text_tokens: int
) -> list[tuple[list[int], list[int]]]:
    """(prompt tokens, answer tokens) per example, tokenized exactly as the scorer does."""
    return [
        (
            _encode(tokenizer, prompt.render(_truncate(tokenizer, ex.text, max_text_tokens))),
            _encode(tokenizer, prompt.answer(ex.label)),
        )
        for ex in examples
    ]


def batches(n_examples: int, batch_size: int, steps: int, seed: int) -> list[list[int]]:
    """Example indices for each step: seeded shuffled passes over the data."""
    rng = random.Random(seed)
    order: list[int] = []
    chosen = []
    for _ in range(steps):
        while len(order) < batch_size:
            epoch = list(range(n_examples))
            rng.shuffle(epoch)
            order += epoch
        chosen.append(order[:batch_size])
        del order[:batch_size]
    return chosen


def shared_prefix_length(pairs: Sequence[tuple[list[int], list[int]]]) -> int:
    """How many leading prompt tokens every example has in common (the instruction)."""
    prompts = [p for p, _ in pairs]
    # keep at least one token of each prompt: the last one predicts the first answer token
    return min(len(os.path.commonprefix(prompts)), min(len(p) for p in prompts) - 1)


def answer_loss(
    model: Any, pairs: Sequence[tuple[list[int], list[int]]], pad_id: int, n_shared: int = 0
):
    """Mean cross-entropy of the answer tokens of a batch of (prompt, answer) pairs.

    Two shortcuts make a step cheaper without changing what the model computes:

    * The first ``n_shared`` prompt tokens (the instruction, the same in every example)
      run through the model once per step, without gradient, and their key/value cache
      is shared by the whole batch: about 40% fewer tokens per step on the ticket task.
      The only approximation is that no gradient flows back through the instruction.
    * The vocabulary projection (the largest matrix of a small model) is applied only
      where an answer token is predicted.

    Rows are padded on the right. No attention mask is needed: attention is causal, so
    real tokens never look at the padding after them.
    """
    inner = model.get_base_model() if hasattr(model, "get_base_model") else model
    decoder = getattr(inner, inner.base_model_prefix)
    head = inner.get_output_embeddings()
    kwargs: dict[str, Any] = {"use_cache": False}
    device = next(inner.parameters()).device
    if n_shared:
        with torch.no_grad():
            shared = torch.tensor([pairs[0][0][:n_shared]], device=device)
            out = decoder(input_ids=shared, use_cache=True)
        cache = getattr(out, "cache", None) or out.past_key_values
        cache.batch_repeat_interleave(len(pairs))
        # transformers 5 names the argument ``cache``; older versions ``past_key_values``
        name = (
            "cache"
            if "cache" in inspect.signature(decoder.forward).parameters
            else "past_key_values"
        )
        kwargs = {name: cache, "use_cache": True}
    rows_ids = [(p[n_shared:], a) for p, a in pairs]
    width = max(len(p) + len(a) for p, a in rows_ids)
    ids = torch.full((len(pairs), width), pad_id, dtype=torch.long)
    rows, cols, targets = [], [], []
    for r, (p, a) in enumerate(rows_ids):
        ids[r, : len(p) + len(a)] = torch.tensor(p + a)
        for m, token in enumerate(a):
            rows.append(r)
            cols.append(len(p) + m - 1)  # the position that predicts answer token m
            targets.append(token)
    hidden = decoder(input_ids=ids.to(device), **kwargs).last_hidden_state
    logits = head(hidden[torch.tensor(rows, device=device), torch.tensor(cols, device=device)])
    return F.cross_entropy(logits.float(), torch.tensor(targets, device=device))


def lr_schedule(steps: int) -> Any:
    """Learning-rate multiplier: linear warm-up over the first 10% of steps, then linear decay."""
    warmup = max(1, steps // 10)

    def factor(step: int) -> float:
        if step < warmup:
            return (step + 1) / warmup
        return max(0.0, (steps - step) / max(1, steps - warmup))

    return factor


def trainable(model: Any, config: dict[str, Any]) -> Any:
    """``model`` ready to train: LoRA adapters on its top layers, or every weight unfrozen."""
    if config["method"] != "lora":
        for param in model.parameters():
            param.requires_grad_(True)
        return model
    from peft import LoraConfig, get_peft_model  # imported when used: it takes seconds to import

    n_layers = model.config.num_hidden_layers
    top = config["top_layers"]
    lora = LoraConfig(
        layers_to_transform=None if top is None else list(range(max(0, n_layers - top), n_layers)),
        r=config["rank"],
        lora_alpha=config["alpha"],
        target_modules=list(config["target_modules"]),
        lora_dropout=0.0,
        bias="none",
        task_type="CAUSAL_LM",
    )
    with warnings.catch_warnings():  # peft 0.21 calls an API transformers 5 deprecates
        warnings.filterwarnings("ignore", ".*is_gradient_checkpointing", FutureWarning)
        return get_peft_model(model, lora)


def optimizer_step(
    model: Any,
    pairs: Sequence[tuple[list[int], list[int]]],
    pad_id: int,
    n_shared: int,
    optimizer: torch.optim.Optimizer,
) -> tuple[float, bool]:
    """One optimiser step on one batch: its loss, and whether the step was applied."""
    model.train()
    loss = answer_loss(model, pairs, pad_id, n_shared)
    loss.backward()
    params = [p for group in optimizer.param_groups for p in group["params"]]
    grad_norm = torch.nn.utils.clip_grad_norm_(params, 1.0)
    applied = bool(torch.isfinite(loss) and torch.isfinite(grad_norm))
    if applied:
        optimizer.step()
    # otherwise the step is skipped (and counted): it would turn every weight into NaN
    optimizer.zero_grad(set_to_none=True)
    return float(loss.detach()), applied
