"""Asking the model: one fast helper for chat or plain prompts, with token counts."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import torch

from .models import LoadedModel

Prompt = str | Sequence[dict[str, str]]


class PromptTooLongError(ValueError):
    """The prompt plus the requested answer does not fit in the model's context."""


@dataclass(frozen=True)
class Generation:
    """What the model said, and what it cost in tokens and time."""

    text: str
    tokens_in: int
    tokens_out: int
    seconds: float

    def __str__(self) -> str:
        return self.text


def to_messages(prompt: Prompt, system: str | None = None) -> list[dict[str, str]]:
    """Turn a string or a list of chat messages into a checked list of messages."""
    if isinstance(prompt, str):
        messages = [{"role": "user", "content": prompt}]
    elif isinstance(prompt, Sequence) and all(
        isinstance(m, dict) and isinstance(m.get("content"), str) and m.get("role") for m in prompt
    ):
        messages = [dict(m) for m in prompt]
    else:
        raise TypeError(
            "A prompt is a string, or a list of messages like "
            "[{'role': 'user', 'content': 'Hello'}]; got "
            f"{type(prompt).__name__}."
        )
    if system is not None:
        messages = [{"role": "system", "content": system}, *messages]
    return messages


def encode(
    lm: LoadedModel, prompt: Prompt, *, chat: bool = True, system: str | None = None
) -> list[int]:
    """Token ids the model sees for ``prompt`` (chat template applied when ``chat``)."""
    tokenizer = lm.tokenizer
    if chat:
        text = tokenizer.apply_chat_template(
            to_messages(prompt, system), add_generation_prompt=True, tokenize=False
        )
    else:
        if not isinstance(prompt, str):
            raise TypeError(
                f"With chat=False the prompt must be a string, not {type(prompt).__name__}."
            )
        text = prompt if system is None else f"{system}\n\n{prompt}"
    return tokenizer(text, add_special_tokens=False)["input_ids"]


def count_tokens(lm: LoadedModel, text: Prompt, *, chat: bool = False) -> int:
    """Number of tokens in ``text`` (plus the chat template's own tokens when ``chat``)."""
    return len(encode(lm, text, chat=chat))


def show_tokens(lm: LoadedModel, text: str) -> list[tuple[str, int]]:
    """The pieces the tokenizer cuts ``text`` into, each with its id."""
    if not isinstance(text, str):
        raise TypeError(f"show_tokens() takes a string, not {type(text).__name__}.")
    ids = lm.tokenizer(text, add_special_tokens=False)["input_ids"]
    return [(lm.tokenizer.decode([i]), i) for i in ids]


def check_fits(lm: LoadedModel, n_prompt_tokens: int, max_new_tokens: int = 0) -> None:
    """Raise PromptTooLongError with advice if the request exceeds the context window."""
    limit = lm.context_length
    if n_prompt_tokens + max_new_tokens > limit:
        raise PromptTooLongError(
            f"The prompt has {n_prompt_tokens} tokens and asks for up to {max_new_tokens} more, "
            f"but {lm.name} reads at most {limit} tokens. Use fewer or shorter examples, "
            f"shorten the instruction, or lower max_new_tokens."
        )


@torch.inference_mode()
def generate(
    lm: LoadedModel,
    prompt: Prompt,
    *,
    max_new_tokens: int = 64,
    temperature: float = 0.0,
    top_p: float = 1.0,
    seed: int | None = None,
    chat: bool = True,
    system: str | None = None,
) -> Generation:
    """Generate an answer. Greedy when ``temperature`` is 0; sampled (seeded) otherwise."""
    if not isinstance(max_new_tokens, int) or max_new_tokens < 1:
        raise ValueError("max_new_tokens must be a positive whole number.")
    if temperature < 0:
        raise ValueError("temperature must be 0 (greedy) or more.")
    ids = encode(lm, prompt, chat=chat, system=system)
    check_fits(lm, len(ids), max_new_tokens)
    options: dict[str, Any] = {
        "max_new_tokens": max_new_tokens,
        "pad_token_id": lm.tokenizer.pad_token_id,
    }
    if temperature > 0:
        options.update(do_sample=True, temperature=temperature, top_p=top_p, top_k=0)
        torch.manual_seed(0 if seed is None else seed)
    else:
        options.update(do_sample=False, temperature=None, top_p=None, top_k=None)
    stop = {lm.tokenizer.eos_token_id}
    im_end = lm.tokenizer.convert_tokens_to_ids("<|im_end|>")
    if isinstance(im_end, int) and im_end != lm.tokenizer.unk_token_id:
        stop.add(im_end)
    options["eos_token_id"] = sorted(i for i in stop if i is not None)
    input_ids = torch.tensor([ids])
    start = time.perf_counter()
    output = lm.model.generate(input_ids, attention_mask=torch.ones_like(input_ids), **options)
    seconds = time.perf_counter() - start
    new = output[0, len(ids) :].tolist()
    text = lm.tokenizer.decode(new, skip_special_tokens=True).strip()
    return Generation(text=text, tokens_in=len(ids), tokens_out=len(new), seconds=seconds)
