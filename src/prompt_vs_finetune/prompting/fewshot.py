"""Few-shot prompts: choose k labelled examples, order them, and lay them out for the model.

A prompt is a plain value (``FewShotPrompt``). Everything that does not depend on the
query - the instruction, optional context such as company rules, and the examples -
comes first and is the same for every query: ``prompt.prefix``. The query follows, and
``prompt.render(text)`` ends exactly where the model's answer begins, so scoring a label
means scoring `` billing`` (``prompt.answer(label, end=False)``) as the continuation of
``prompt.render(text)``. Because the prefix is shared, the scorer
(``scoring.score_labels``) runs it through the model once and reuses its key/value cache
for every query.

Templates (how the text is laid out):

* ``"chat"`` (default) - the SmolLM2 chat format (ChatML). The instruction (and context)
  is the system message; each example is a user turn (the ticket) answered by an
  assistant turn (``Category: billing``); the query is the last user turn, and the last
  assistant turn is opened with the ``Category:`` cue, so the answer is `` billing``.
  On the ticket task this scored best of the layouts tried (answering after a cue beat a
  bare assistant turn by about 15 points); a fine-tuned model is trained and scored on
  the same format with k=0.
* ``"chat_single"`` - ChatML too, but the whole few-shot block is one user message
  (``Ticket: ...`` / ``Category: ...`` lines) under SmolLM2's default system message.
* ``"plain"`` - no chat markup, for base models: ``Ticket: ...\nCategory: billing\n\n``.

In every template the answer is the label with a leading space (`` billing``: one token
for SmolLM2's tokenizer), written the same way in the examples as in the answer.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from prompt_vs_finetune.prompting.selection import arrange, select

if TYPE_CHECKING:  # pragma: no cover - imports for type hints only
    from prompt_vs_finetune.data import Example, TaskData
    from prompt_vs_finetune.model.loading import LoadedModel

__all__ = [
    "ORDERS",
    "STRATEGIES",
    "TEMPLATES",
    "FewShotPrompt",
    "build_prompt",
    "prompt_tokens",
    "show_prompt",
]

STRATEGIES: tuple[str, ...] = ("balanced", "random", "nearest")
ORDERS: tuple[str, ...] = ("shuffled", "grouped", "interleaved", "ranked")
TEMPLATES: tuple[str, ...] = ("chat", "chat_single", "plain")
POOLS: tuple[str, ...] = ("train", "dev")

#: SmolLM2's default system message (its chat template adds it when a chat has none).
SMOLLM_SYSTEM = "You are a helpful AI assistant named SmolLM, trained by Hugging Face"
IM_START, IM_END = "<|im_start|>", "<|im_end|>"


def _turn(role: str, content: str) -> str:
    """One ChatML message, exactly as SmolLM2's chat template writes it."""
    return f"{IM_START}{role}\n{content}{IM_END}\n"


def _names(task_name: str) -> tuple[str, str]:
    """Field names for text templates: "tickets/category" -> ("Ticket", "Category").

    A qualifier after a second slash names a variant of the task and does not change them
    ("tickets/category/without-feature", ``TaskData.without``)."""
    data, _, target = str(task_name).partition("/")
    target = target.partition("/")[0]
    data = re.sub(r"[^A-Za-z ]", " ", data).strip()
    target = re.sub(r"[^A-Za-z ]", " ", target).strip()
    noun = data[:-1] if data.endswith("s") and len(data) > 1 else data
    return (noun.capitalize() or "Text", target.capitalize() or "Label")


@dataclass(frozen=True)
class FewShotPrompt:
    """A few-shot classification prompt: instruction, optional context, k labelled examples.

    ``render(text)`` is the full prompt for one query and ends exactly where the answer
    starts; ``answer(label)`` is the complete answer (label and end marker); ``prefix`` is
    the part shared by every query. ``strategy``, ``order`` and ``seed`` record how the
    examples were chosen (they are not part of ``key()``, which hashes the content only).
    """

    instruction: str
    examples: tuple[Example, ...] = ()
    template: str = "chat"
    labels: tuple[str, ...] = ()
    context: str | None = None
    input_name: str = "Text"
    output_name: str = "Label"
    strategy: str = "balanced"
    order: str = "shuffled"
    seed: int = 0

    def __post_init__(self) -> None:
        if self.template not in TEMPLATES:
            raise ValueError(
                f"unknown template {self.template!r}; expected one of {', '.join(TEMPLATES)}"
            )
        if not isinstance(self.instruction, str):
            raise TypeError(f"instruction must be a string, not {type(self.instruction).__name__}")
        if self.context is not None and not isinstance(self.context, str):
            raise TypeError(f"context must be a string or None, not {type(self.context).__name__}")
        for ex in self.examples:
            if not (isinstance(getattr(ex, "text", None), str) and isinstance(ex.label, str)):
                raise TypeError("examples must be Example objects with string text and label")
        object.__setattr__(self, "examples", tuple(self.examples))
        object.__setattr__(self, "labels", tuple(self.labels))

    @property
    def k(self) -> int:
        """Number of examples in the prompt."""
        return len(self.examples)

    def _header(self) -> str:
        """Instruction plus context, as one block of text."""
        parts = [self.instruction.strip()]
        if self.context:
            parts.append(self.context.strip())
        return "\n\n".join(p for p in parts if p)

    @property
    def prefix(self) -> str:
        """Everything before the query text: the same for every query."""
        if self.template == "chat":
            shots = "".join(
                _turn("user", ex.text.strip()) + _turn("assistant", self._said(ex.label))
                for ex in self.examples
            )
            return _turn("system", self._header()) + shots + f"{IM_START}user\n"
        head = self._header()
        head = f"{head}\n\n" if head else ""
        if self.template == "chat_single":
            shots = "".join(
                f"{self.input_name}: {ex.text.strip()}\n{self._said(ex.label)}\n\n"
                for ex in self.examples
            )
            return _turn("system", SMOLLM_SYSTEM) + f"{IM_START}user\n{head}{shots}"
        shots = "".join(
            f"{self.input_name}: {ex.text.strip()}\n{self._said(ex.label)}\n\n"
            for ex in self.examples
        )
        return f"{head}{shots}{self.input_name}: "

    def _said(self, label: str) -> str:
        """How an answer reads in the examples: ``Category: billing``."""
        return f"{self.output_name}: {label}"

    @property
    def after_query(self) -> str:
        """The text between the query and the answer (ends with the ``Category:`` cue)."""
        if self.template in ("chat", "chat_single"):
            return f"{IM_END}\n{IM_START}assistant\n{self.output_name}:"
        return f"\n{self.output_name}:"

    def render(self, text: str) -> str:
        """The full prompt for one query, ending exactly where the answer starts."""
        if not isinstance(text, str):
            raise TypeError(f"render() takes the query text (a string), not {type(text).__name__}")
        if self.template == "chat_single":
            return self.prefix + f"{self.input_name}: {text.strip()}" + self.after_query
        return self.prefix + text.strip() + self.after_query

    @property
    def end(self) -> str:
        """What ends an answer: ``<|im_end|>`` in the chat templates, a newline in plain."""
        return "\n" if self.template == "plain" else IM_END

    def answer(self, label: str, *, end: bool = True) -> str:
        """The complete answer to ``render(text)`` for ``label``: ``" billing<|im_end|>"``.

        The leading space belongs to the label (SmolLM2's tokenizer reads ``" billing"`` as
        one token), and the end marker (``prompt.end``) closes the answer: this is what a
        fine-tune is trained to produce. ``end=False`` gives the label alone (``" billing"``),
        which is what the scorer scores, unless some label's tokens start another label's
        tokens (``"account"`` vs ``"account closure"``): then it scores the complete answers,
        so that the shorter label is a real choice.
        """
        if not isinstance(label, str) or not label.strip():
            raise ValueError(f"a label must be a non-empty string, got {label!r}")
        return f" {label}{self.end if end else ''}"

    def messages(self, text: str) -> list[dict[str, str]]:
        """The chat messages of ``render(text)`` (chat templates only), for ``generate``.

        ``render(text)`` is these messages through the SmolLM2 chat template with the
        generation prompt, followed by the ``Category:`` cue that starts the answer.
        """
        if self.template == "plain":
            raise ValueError("the plain template has no chat messages; use render(text)")
        if not isinstance(text, str):
            raise TypeError(
                f"messages() takes the query text (a string), not {type(text).__name__}"
            )
        if self.template == "chat_single":
            user = self.prefix.split(f"{IM_START}user\n", 1)[1]
            return [{"role": "user", "content": f"{user}{self.input_name}: {text.strip()}"}]
        msgs = [{"role": "system", "content": self._header()}]
        for ex in self.examples:
            msgs.append({"role": "user", "content": ex.text.strip()})
            msgs.append({"role": "assistant", "content": self._said(ex.label)})
        msgs.append({"role": "user", "content": text.strip()})
        return msgs

    def key(self) -> str:
        """Stable sha256 of the prompt's content (for caching results)."""
        payload = {
            "template": self.template,
            "instruction": self.instruction,
            "context": self.context,
            "labels": list(self.labels),
            "names": [self.input_name, self.output_name],
            "examples": [[getattr(ex, "id", None), ex.text, ex.label] for ex in self.examples],
        }
        blob = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()

    def __repr__(self) -> str:
        return (
            f"FewShotPrompt(template={self.template!r}, k={self.k}, strategy={self.strategy!r}, "
            f"order={self.order!r}, seed={self.seed}, context={'yes' if self.context else 'no'}, "
            f"key={self.key()[:12]})"
        )


def build_prompt(
    task: TaskData,
    k: int = 8,
    *,
    strategy: str = "balanced",
    order: str = "shuffled",
    template: str = "chat",
    seed: int = 0,
    instruction: str | None = None,
    context: str | None = None,
    pool: str = "train",
    query: str | None = None,
) -> FewShotPrompt:
    """Build a k-shot prompt for ``task`` from its ``pool`` split ("train" or "dev").

    Strategies (which k examples; every choice is seeded by ``seed``):

    * ``"balanced"`` - labels take turns (round-robin), each label's examples in a seeded
      random order, so k >= number of labels covers every label; when k is not a multiple
      of the number of labels, a seeded choice of labels gets one more.
    * ``"random"`` - k examples drawn uniformly from the pool (labels may be missing).
    * ``"nearest"`` - TF-IDF cosine similarity (scikit-learn). Without ``query`` it picks
      the most *typical* examples of each label (closest to the label's centroid), labels
      taking turns: one prompt shared by every query, so the prefix cache still works.
      With ``query``, the k pool examples most similar to that text: a per-query prompt
      (``prompting.neighbours.NearestPrompts``; no prefix shared across queries).

    Orders (how the chosen examples are laid out):

    * ``"shuffled"`` (default) - seeded random order: no label always comes last.
    * ``"grouped"`` - all examples of a label together, labels in ``task.labels`` order
      (the last label's examples sit right before the query: recency bias made visible).
    * ``"interleaved"`` - labels alternate in ``task.labels`` order: a, b, c, a, b, c...
    * ``"ranked"`` - the order of the selection itself; for ``"nearest"`` with ``query``, the
      most similar example comes last, right before the query.

    ``instruction`` defaults to ``task.instruction``; ``context`` is optional extra text
    (for instance ``QUEUE_RULES``) placed after the instruction, before the examples.
    k=0 gives an instruction-only prompt (the format a fine-tuned model is scored with).
    """
    _check_options(task, k, strategy, order, template, pool, seed, instruction, context, query)
    examples = tuple(task.split(pool))
    if k > len(examples):
        raise ValueError(f"k={k} is more than the {len(examples)} examples of the {pool} split")
    rng = random.Random(seed)
    chosen = select(examples, task.labels, k, strategy, rng, query)
    chosen = arrange(chosen, task.labels, order, rng)
    input_name, output_name = _names(task.name)
    return FewShotPrompt(
        instruction=task.instruction if instruction is None else instruction,
        examples=tuple(chosen),
        template=template,
        labels=tuple(task.labels),
        context=context,
        input_name=input_name,
        output_name=output_name,
        strategy=strategy,
        order=order,
        seed=seed,
    )


def _check_options(
    task: Any,
    k: Any,
    strategy: str,
    order: str,
    template: str,
    pool: str,
    seed: Any,
    instruction: Any,
    context: Any,
    query: Any,
) -> None:
    """Raise a clear error for any option ``build_prompt`` cannot use."""
    for attr in ("labels", "instruction", "split", "name"):
        if not hasattr(task, attr):
            raise TypeError(
                f"build_prompt() takes a TaskData (for example load_tickets()), not "
                f"{type(task).__name__}"
            )
    if not isinstance(k, int) or isinstance(k, bool) or k < 0:
        raise ValueError(f"k must be a whole number >= 0, got {k!r}")
    if strategy not in STRATEGIES:
        raise ValueError(f"unknown strategy {strategy!r}; expected one of {', '.join(STRATEGIES)}")
    if order not in ORDERS:
        raise ValueError(f"unknown order {order!r}; expected one of {', '.join(ORDERS)}")
    if template not in TEMPLATES:
        raise ValueError(f"unknown template {template!r}; expected one of {', '.join(TEMPLATES)}")
    if pool not in POOLS:
        raise ValueError(
            f"pool must be one of {', '.join(POOLS)}, got {pool!r} (examples from the test "
            f"split would leak test answers into the prompt)"
        )
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise TypeError(f"seed must be an int, not {type(seed).__name__}")
    for name, value in (("instruction", instruction), ("context", context), ("query", query)):
        if value is not None and not isinstance(value, str):
            raise TypeError(f"{name} must be a string or None, not {type(value).__name__}")
    if query is not None and strategy != "nearest":
        raise ValueError("query= only makes sense with strategy='nearest'")


# --- looking at a prompt -------------------------------------------------------------------


def _encode(lm: LoadedModel, text: str) -> list[int]:
    return lm.tokenizer(text, add_special_tokens=False)["input_ids"]


def prompt_tokens(lm: LoadedModel, prompt: FewShotPrompt, examples: Sequence[Any]) -> list[int]:
    """Prompt tokens a request sends for each example (the answer not included)."""
    _check_prompt(prompt)
    return [len(_encode(lm, prompt.render(_text(ex)))) for ex in examples]


def show_prompt(lm: LoadedModel, prompt: FewShotPrompt, example: Any = None) -> None:
    """Print the prompt for ``example`` (or a placeholder query) and its token counts."""
    _check_prompt(prompt)
    text = "<the ticket to classify>" if example is None else _text(example)
    full = prompt.render(text)
    n_prefix = len(_encode(lm, prompt.prefix))
    n_full = len(_encode(lm, full))
    print(full)
    print("-" * 60)
    print(
        f"{n_full} tokens ({prompt.k} examples, template {prompt.template!r}); "
        f"about {n_prefix} of them are the shared prefix."
    )


def _text(example: Any) -> str:
    if isinstance(example, str):
        return example
    text = getattr(example, "text", None)
    if not isinstance(text, str):
        raise TypeError(f"expected an Example or a string, not {type(example).__name__}")
    return text


def _check_prompt(prompt: Any) -> None:
    if not isinstance(prompt, FewShotPrompt):
        raise TypeError(
            f"expected a FewShotPrompt (from build_prompt), not {type(prompt).__name__}"
        )
