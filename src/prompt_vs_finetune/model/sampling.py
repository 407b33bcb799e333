"""Sampled answers: several answers to one prompt at a temperature, read once, continued
side by side (the consistency measurements of lessons 01 and 03)."""

from __future__ import annotations

import time
from typing import Any

import torch

from prompt_vs_finetune.model.generation import (
    Generation,
    Prompt,
    _cache_argument,
    _check_max_new_tokens,
    check_fits,
    encode,
    model_device,
    output_cache,
    stop_token_ids,
)
from prompt_vs_finetune.model.loading import LoadedModel

__all__ = ["sample_answers"]


@torch.inference_mode()
def sample_answers(
    lm: LoadedModel,
    prompt: Prompt,
    n_samples: int,
    *,
    temperature: float,
    seed: int = 0,
    max_new_tokens: int = 8,
    chat: bool = True,
) -> list[Generation]:
    """``n_samples`` sampled answers to one prompt: sample ``j`` is what ``generate`` gives
    with ``seed=seed + j``.

    The same draws as calling ``generate`` once per seed (each sample has its own random
    stream, seeded the same way), but the prompt is read once and the samples are
    continued side by side, so it costs about one request instead of ``n_samples``.
    ``seconds`` is each sample's share of the time.
    """
    if not isinstance(n_samples, int) or n_samples < 1:
        raise ValueError("n_samples must be a whole number >= 1.")
    _check_max_new_tokens(max_new_tokens)
    if not temperature > 0:
        raise ValueError("temperature must be above 0 to sample (use generate() for greedy).")
    ids = encode(lm, prompt, chat=chat)
    check_fits(lm, len(ids), max_new_tokens)
    start = time.perf_counter()
    answers = _sample_tokens(
        lm.model, ids, n_samples, temperature, seed, max_new_tokens, set(stop_token_ids(lm))
    )
    share = (time.perf_counter() - start) / n_samples
    return [
        Generation(
            lm.tokenizer.decode(a, skip_special_tokens=True).strip(), len(ids), len(a), share
        )
        for a in answers
    ]


def _sample_tokens(
    model: Any,
    ids: list[int],
    n_samples: int,
    temperature: float,
    seed: int,
    max_new_tokens: int,
    stop: set[int],
) -> list[list[int]]:
    """The answer tokens of ``n_samples`` samples continued side by side from one prompt."""
    cache_arg = _cache_argument(model)
    device = model_device(model)
    out = model(input_ids=torch.tensor([ids], device=device), use_cache=True)
    cache = output_cache(out)
    cache.batch_repeat_interleave(n_samples)
    logits = out.logits[:, -1, :].float().expand(n_samples, -1)
    streams = [torch.Generator().manual_seed(seed + j) for j in range(n_samples)]
    answers: list[list[int]] = [[] for _ in range(n_samples)]
    done = [False] * n_samples
    for step in range(max_new_tokens):
        tokens = _draw(logits, temperature, streams)
        for j, token in enumerate(tokens):
            if not done[j]:
                answers[j].append(token)
                done[j] = token in stop
        if all(done) or step == max_new_tokens - 1:
            break
        position = torch.full((n_samples, 1), len(ids) + step, dtype=torch.long, device=device)
        out = model(
            input_ids=torch.tensor(tokens, device=device)[:, None],
            position_ids=position,
            use_cache=True,
            **{cache_arg: cache},
        )
        cache, logits = output_cache(out), out.logits[:, -1, :].float()
    return answers


def _draw(logits: torch.Tensor, temperature: float, streams: list[torch.Generator]) -> list[int]:
    """One sampled token per row of ``logits``, row ``j`` drawn from ``streams[j]``."""
    probs = torch.softmax(logits / temperature, dim=-1).cpu()  # the streams are CPU generators
    return [int(torch.multinomial(probs[j : j + 1], 1, generator=g)) for j, g in enumerate(streams)]
