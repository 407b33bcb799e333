"""Tone and style: replies in the company's voice, from a style guide in the prompt or a fine-tune.

The guide counts tone and style among what prompting handles. Pebblewire's voice
(``data.voice``) is a set of rules a reply can be checked against, one by one
(``check_reply``): a greeting by first name, the sign-off, no forbidden phrase, a length
range and plain language (Flesch reading ease, computed by ``textstat``). Two conditions
write replies to the same tickets:

- **prompt**: the base model with the style guide in the system message, and ``k``
  reference replies of training tickets as worked examples (``style_messages``);
- **fine-tune**: the course run ``"reply"`` (LoRA trained on the reference replies of the
  training tickets), which reads only a one-line instruction and the ticket.

Replies are generated greedily, once per condition, and kept in the results store
(``write_replies``); the checks run on the stored text, so changing a check needs no new
generation. ``style_comparison`` pairs the two conditions ticket by ticket, check by check.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from typing import Any

import textstat

from prompt_vs_finetune.data import load_tickets
from prompt_vs_finetune.data.voice import (
    FORBIDDEN_PHRASES,
    MIN_READING_EASE,
    SIGN_OFF,
    STYLE_GUIDE,
    WORD_RANGE,
    greeting,
)
from prompt_vs_finetune.measure.paired_table import paired_table
from prompt_vs_finetune.model.generation import generate_batch
from prompt_vs_finetune.prompting.fewshot import build_prompt
from prompt_vs_finetune.store.results import cached
from prompt_vs_finetune.ui.tables import Table

__all__ = [
    "CHECKS",
    "check_reply",
    "checked",
    "mean_tokens",
    "prompted_replies",
    "reading_ease",
    "style_comparison",
    "style_messages",
    "tuned_replies",
    "word_count",
    "write_replies",
]

KIND = "style-replies"
#: The rules of the voice a reply is checked on, and "all" (every rule kept).
CHECKS = ("length", "greeting", "sign_off", "no_forbidden", "plain_language", "all")
#: Room for a reply of the longest length the guide allows (70 words, about 90 tokens).
MAX_NEW_TOKENS = 96
SYSTEM = "You answer the support tickets of Pebblewire, a home internet and smart-home company."


def word_count(text: str) -> int:
    """Words in ``text`` (runs of characters between spaces)."""
    return len(text.split())


def reading_ease(text: str) -> float:
    """Flesch reading ease of ``text`` (``textstat``): higher is easier; 60-70 is plain English."""
    return float(textstat.flesch_reading_ease(text))


def _flat(text: str) -> str:
    return " ".join(text.split()).casefold()


def check_reply(reply: str, customer_name: str | None) -> dict[str, bool]:
    """Each rule of the voice, kept or not by ``reply`` to a ticket from ``customer_name``."""
    flat = _flat(reply)
    low, high = WORD_RANGE
    result = {
        "length": low <= word_count(reply) <= high,
        "greeting": flat.startswith(_flat(greeting(customer_name))),
        "sign_off": _flat(SIGN_OFF) in flat,
        "no_forbidden": not any(
            re.search(rf"\b{re.escape(phrase)}\b", flat) for phrase in FORBIDDEN_PHRASES
        ),
        "plain_language": bool(reply.strip()) and reading_ease(reply) >= MIN_READING_EASE,
    }
    result["all"] = all(result.values())
    return result


def style_messages(text: str, shots: Sequence[Any] = ()) -> list[dict[str, str]]:
    """Chat messages asking for a reply to ``text``: the style guide as the system message,
    then each shot (an Example with a reference ``reply``) as a ticket and its reply."""
    messages = [{"role": "system", "content": f"{SYSTEM}\n\n{STYLE_GUIDE}"}]
    for shot in shots:
        messages.append({"role": "user", "content": shot.text})
        messages.append({"role": "assistant", "content": shot.fields["reply"]})
    messages.append({"role": "user", "content": text})
    return messages


def write_replies(
    lm: Any, examples: Sequence[Any], prompts: Sequence[Any], *, chat: bool, progress: bool = False
) -> dict[str, Any]:
    """Greedy replies of ``lm`` to ``prompts`` (one per example), kept in the results store.

    Returns ``{"ids", "replies", "tokens_in", "tokens_out", "seconds"}``, lists in the
    order of ``examples``; the key holds the model's name, the prompts and the ticket ids.
    """
    blob = json.dumps(list(prompts), sort_keys=True, ensure_ascii=False)
    inputs = {
        "model": lm.name,
        "prompts": hashlib.sha256(blob.encode("utf-8")).hexdigest()[:20],
        "chat": chat,
        "max_new_tokens": MAX_NEW_TOKENS,
        "ids": [ex.id for ex in examples],
    }

    def compute() -> dict[str, Any]:
        out = generate_batch(
            lm, list(prompts), max_new_tokens=MAX_NEW_TOKENS, chat=chat, batch_size=24,
            progress="writing replies" if progress else None,
        )  # fmt: skip
        return {
            "ids": [ex.id for ex in examples],
            "replies": [g.text for g in out],
            "tokens_in": [g.tokens_in for g in out],
            "tokens_out": [g.tokens_out for g in out],
            "seconds": [g.seconds for g in out],
        }

    return cached(KIND, inputs, compute)


def prompted_replies(
    lm: Any, examples: Sequence[Any], *, k: int = 2, seed: int = 0, progress: bool = False
) -> dict[str, Any]:
    """Replies by ``lm`` prompted with the style guide and ``k`` reference replies."""
    shots = load_tickets("reply").subset("train", k, seed=seed) if k else ()
    prompts = [style_messages(ex.text, shots) for ex in examples]
    return write_replies(lm, examples, prompts, chat=True, progress=progress)


def tuned_replies(lm: Any, examples: Sequence[Any], *, progress: bool = False) -> dict[str, Any]:
    """Replies by a model fine-tuned on the "reply" task, read with its own 0-shot prompt."""
    prompt = build_prompt(load_tickets("reply"), k=0)
    prompts = [prompt.render(ex.text) for ex in examples]
    return write_replies(lm, examples, prompts, chat=False, progress=progress)


def checked(replies: dict[str, Any], examples: Sequence[Any]) -> dict[str, list[int]]:
    """1/0 per ticket for each of ``CHECKS``, in the order of ``examples``."""
    if replies["ids"] != [ex.id for ex in examples]:
        raise ValueError("the replies were written for other tickets (or in another order)")
    rows = [
        check_reply(reply, ex.fields.get("customer_name"))
        for reply, ex in zip(replies["replies"], examples, strict=True)
    ]
    return {name: [int(row[name]) for row in rows] for name in CHECKS}


def style_comparison(
    prompted: dict[str, Any], tuned: dict[str, Any], examples: Sequence[Any]
) -> Table:
    """Prompt against fine-tune on the same tickets: one row per check (pass rates, 95%
    intervals, the paired difference and McNemar's test)."""
    return paired_table(checked(prompted, examples), checked(tuned, examples))


def mean_tokens(replies: dict[str, Any]) -> float:
    """Mean tokens a request sent (the prompt: guide, examples and ticket, or the ticket)."""
    return sum(replies["tokens_in"]) / len(replies["tokens_in"])
