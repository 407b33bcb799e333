"""Asking the model: one fast helper for chat or plain prompts, with token counts."""

from __future__ import annotations

import inspect
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import torch
from tqdm.auto import tqdm
from transformers import StoppingCriteria, StoppingCriteriaList

from prompt_vs_finetune.model.loading import LoadedModel

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


def _check_max_new_tokens(max_new_tokens: Any) -> None:
    if not isinstance(max_new_tokens, int) or max_new_tokens < 1:
        raise ValueError("max_new_tokens must be a positive whole number.")


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
    _check_max_new_tokens(max_new_tokens)
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
    options["eos_token_id"] = stop_token_ids(lm)
    input_ids = torch.tensor([ids], device=model_device(lm.model))
    start = time.perf_counter()
    output = lm.model.generate(input_ids, attention_mask=torch.ones_like(input_ids), **options)
    seconds = time.perf_counter() - start
    new = output[0, len(ids) :].tolist()
    text = lm.tokenizer.decode(new, skip_special_tokens=True).strip()
    return Generation(text=text, tokens_in=len(ids), tokens_out=len(new), seconds=seconds)


def model_device(model: Any) -> torch.device:
    """The device a model's weights are on (inputs must be put there too)."""
    return next(model.parameters()).device


def forward_params(model: Any) -> set[str]:
    """Names of the arguments the model's forward takes (looks through a PEFT wrapper)."""
    base = model.get_base_model() if hasattr(model, "get_base_model") else model
    return set(inspect.signature(base.forward).parameters)


def output_cache(output: Any) -> Any:
    """The key/value cache of a forward pass (``cache`` in newer transformers)."""
    cache = getattr(output, "cache", None)
    return cache if cache is not None else output.past_key_values


def _cache_argument(model: Any) -> str:
    """The name a forward pass takes a key/value cache by (``cache`` in newer transformers)."""
    return "cache" if "cache" in forward_params(model) else "past_key_values"


def stop_token_ids(lm: LoadedModel) -> list[int]:
    """Tokens that end an answer: the end-of-text token and the chat turn's end."""
    tokenizer = lm.tokenizer
    stop = {tokenizer.eos_token_id, tokenizer.convert_tokens_to_ids("<|im_end|>")}
    return sorted(i for i in stop if isinstance(i, int) and i != tokenizer.unk_token_id)


class _StopWhen(StoppingCriteria):
    """Per row: stop once ``done(prefill + answer so far)`` is true; remember how many tokens."""

    def __init__(self, tokenizer: Any, n_prompt: int, prefill: str, done: Callable[[str], bool]):
        self.tokenizer, self.n_prompt, self.prefill, self.done = tokenizer, n_prompt, prefill, done
        self.lengths: dict[int, int] = {}  # row -> new tokens when it was done

    def __call__(self, input_ids: torch.Tensor, scores: Any, **kwargs: Any) -> torch.Tensor:
        n_new = input_ids.shape[1] - self.n_prompt
        flags = []
        for row in range(input_ids.shape[0]):
            if row not in self.lengths:
                text = self.tokenizer.decode(
                    input_ids[row, self.n_prompt :], skip_special_tokens=True
                )
                if self.done(self.prefill + text):
                    self.lengths[row] = n_new
            flags.append(row in self.lengths)
        return torch.tensor(flags, dtype=torch.bool, device=input_ids.device)


@torch.inference_mode()
def generate_batch(
    lm: LoadedModel,
    prompts: Sequence[Prompt],
    *,
    max_new_tokens: int = 64,
    chat: bool = True,
    prefill: str = "",
    stop_when: Callable[[str], bool] | None = None,
    batch_size: int = 8,
    progress: str | None = None,
) -> list[Generation]:
    """Greedy answers to many prompts, ``batch_size`` at a time; one Generation per prompt.

    Answering several prompts in one pass costs little more than answering one (each new
    token reads the whole model from memory once per pass, not once per prompt), so this is
    several times faster than calling ``generate`` in a loop. Prompts are grouped by length
    and padded on the left. ``prefill`` is text every answer is forced to start with (it is
    included in the returned text); ``stop_when(text)`` ends a row's answer early once it
    returns True. ``seconds`` is each prompt's share of its batch's time; ``progress``
    (a description) shows a progress bar.
    """
    if isinstance(prompts, str) or not isinstance(prompts, Sequence):
        raise TypeError("prompts must be a list of prompts (use generate() for a single one)")
    _check_max_new_tokens(max_new_tokens)
    if not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(f"batch_size must be a whole number >= 1, got {batch_size!r}")
    tokenizer = lm.tokenizer
    extra = tokenizer(prefill, add_special_tokens=False)["input_ids"] if prefill else []
    encoded = [encode(lm, p, chat=chat) + extra for p in prompts]
    for ids in encoded:
        check_fits(lm, len(ids), max_new_tokens)
    stop = stop_token_ids(lm)
    pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else stop[0]
    results: list[Generation | None] = [None] * len(encoded)
    order = sorted(range(len(encoded)), key=lambda i: len(encoded[i]))
    starts = range(0, len(order), batch_size)
    for b in tqdm(starts, desc=progress, disable=progress is None, unit="batch"):
        rows = order[b : b + batch_size]
        answers, seconds = _generate_rows(
            lm, [encoded[i] for i in rows], max_new_tokens, pad_id, stop, prefill, stop_when
        )
        for i, answer in zip(rows, answers, strict=True):
            text = prefill + tokenizer.decode(answer, skip_special_tokens=True)
            results[i] = Generation(text.strip(), len(encoded[i]), len(answer), seconds / len(rows))
    return [g for g in results if g is not None]


def _left_pad(
    rows: Sequence[list[int]], pad_id: int, device: torch.device
) -> tuple[torch.Tensor, torch.Tensor]:
    """Token ids padded on the left to one width, and their attention mask, on ``device``."""
    width = max(len(ids) for ids in rows)
    input_ids = torch.full((len(rows), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(rows), width), dtype=torch.long)
    for r, ids in enumerate(rows):
        input_ids[r, width - len(ids) :] = torch.tensor(ids)
        mask[r, width - len(ids) :] = 1
    return input_ids.to(device), mask.to(device)


#: A shared beginning shorter than this is read with each row (copying it would save little).
MIN_SHARED_PREFIX = 16


def shared_prefix_length(rows: Sequence[list[int]]) -> int:
    """How many first tokens every row has in common, leaving each row at least one of its own."""
    n = min(len(ids) for ids in rows) - 1
    for i, token in enumerate(rows[0][: max(n, 0)]):
        if any(ids[i] != token for ids in rows[1:]):
            return i
    return max(n, 0)


def _read_shared_prefix(
    model: Any, rows: Sequence[list[int]], pad_id: int
) -> tuple[torch.Tensor, torch.Tensor, Any]:
    """Input ids and attention mask for ``generate``, and the key/value cache of the rows'
    shared beginning (None where it is too short or there is one row: nothing to share)."""
    device = model_device(model)
    shared = shared_prefix_length(rows) if len(rows) > 1 else 0
    if shared < MIN_SHARED_PREFIX:
        input_ids, mask = _left_pad(rows, pad_id, device)
        return input_ids, mask, None
    prefix = torch.tensor([rows[0][:shared]], device=device)
    cache = output_cache(model(input_ids=prefix, use_cache=True))
    cache.batch_repeat_interleave(len(rows))
    rest, rest_mask = _left_pad([ids[shared:] for ids in rows], pad_id, device)
    input_ids = torch.cat([prefix.expand(len(rows), -1), rest], dim=1)
    mask = torch.cat([torch.ones_like(prefix).expand(len(rows), -1), rest_mask], dim=1)
    return input_ids, mask, cache


def _generate_rows(
    lm: LoadedModel,
    rows: Sequence[list[int]],
    max_new_tokens: int,
    pad_id: int,
    stop: list[int],
    prefill: str,
    stop_when: Callable[[str], bool] | None,
) -> tuple[list[list[int]], float]:
    """One greedy pass over a batch: each row's answer tokens, and the seconds it took.

    The rows' shared beginning (a few-shot prompt's instruction and examples) is read once
    and its keys and values copied to every row, as label scoring does; the rest of each
    row is padded on the left of its own part, so every token keeps its position."""
    start = time.perf_counter()
    input_ids, mask, cache = _read_shared_prefix(lm.model, rows, pad_id)
    width = input_ids.shape[1]
    criteria = _StopWhen(lm.tokenizer, width, prefill, stop_when) if stop_when else None
    output = lm.model.generate(
        input_ids,
        attention_mask=mask,
        **({} if cache is None else {_cache_argument(lm.model): cache}),
        max_new_tokens=max_new_tokens,
        do_sample=False,
        temperature=None,
        top_p=None,
        top_k=None,
        pad_token_id=pad_id,
        eos_token_id=stop,
        stopping_criteria=StoppingCriteriaList([criteria] if criteria else []),
    )
    seconds = time.perf_counter() - start
    answers = []
    for r in range(len(rows)):
        new = output[r, width:].tolist()
        n = next((t + 1 for t, token in enumerate(new) if token in stop), len(new))
        if criteria is not None and r in criteria.lengths:
            n = min(n, criteria.lengths[r])
        answers.append(new[:n])
    return answers, seconds
