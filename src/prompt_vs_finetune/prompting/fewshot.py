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
import math
import random
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

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
ORDERS: tuple[str, ...] = ("shuffled", "grouped", "interleaved")
TEMPLATES: tuple[str, ...] = ("chat", "chat_single", "plain")
POOLS: tuple[str, ...] = ("train", "dev")

#: SmolLM2's default system message (its chat template adds it when a chat has none).
SMOLLM_SYSTEM = "You are a helpful AI assistant named SmolLM, trained by Hugging Face"
IM_START, IM_END = "<|im_start|>", "<|im_end|>"


def _turn(role: str, content: str) -> str:
    """One ChatML message, exactly as SmolLM2's chat template writes it."""
    return f"{IM_START}{role}\n{content}{IM_END}\n"


def _names(task_name: str) -> tuple[str, str]:
    """Field names for text templates: "tickets/category" -> ("Ticket", "Category")."""
    data, _, target = str(task_name).partition("/")
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


# --- choosing examples -------------------------------------------------------------------

_WORD = re.compile(r"[a-z0-9]+")


def _bag(text: str) -> Counter:
    return Counter(_WORD.findall(text.lower()))


def _tfidf(pool: Sequence[Any]) -> tuple[list[dict[str, float]], dict[str, float]]:
    """Unit-length tf-idf vectors of the pool's texts, and the idf table."""
    bags = [_bag(ex.text) for ex in pool]
    df = Counter(word for bag in bags for word in bag)
    idf = {w: math.log((1 + len(bags)) / (1 + n)) + 1.0 for w, n in df.items()}
    return [_unit(bag, idf) for bag in bags], idf


def _unit(bag: Counter, idf: dict[str, float]) -> dict[str, float]:
    vec = {w: c * idf.get(w, 1.0) for w, c in bag.items()}
    norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
    return {w: v / norm for w, v in vec.items()}


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(w, 0.0) for w, v in a.items())


def _round_robin(groups: dict[str, list[Any]], k: int) -> list[Any]:
    """Take one example per label in turn (labels in dict order) until k are taken."""
    chosen: list[Any] = []
    depth = 0
    while len(chosen) < k:
        took = False
        for items in groups.values():
            if depth < len(items) and len(chosen) < k:
                chosen.append(items[depth])
                took = True
        if not took:
            break
        depth += 1
    return chosen


def _by_label(pool: Sequence[Any], labels: Sequence[str]) -> dict[str, list[Any]]:
    groups: dict[str, list[Any]] = {label: [] for label in labels}
    for ex in pool:
        groups.setdefault(ex.label, []).append(ex)
    return {label: items for label, items in groups.items() if items}


def _select(
    pool: Sequence[Any],
    labels: Sequence[str],
    k: int,
    strategy: str,
    rng: random.Random,
    query: str | None,
) -> list[Any]:
    if k == 0:
        return []
    if strategy == "random":
        return rng.sample(list(pool), k)
    if strategy == "balanced":
        groups = _by_label(pool, labels)
        for items in groups.values():
            rng.shuffle(items)
        order = list(groups)
        rng.shuffle(order)  # which labels come first (they get one more when k is uneven)
        return _round_robin({label: groups[label] for label in order}, k)
    # nearest: tf-idf cosine similarity, ties broken by a seeded random key
    vectors, idf = _tfidf(pool)
    tiebreak = [rng.random() for _ in pool]
    if query is not None:
        target = _unit(_bag(query), idf)
        ranked = sorted(range(len(pool)), key=lambda i: (-_cosine(vectors[i], target), tiebreak[i]))
        return [pool[i] for i in ranked[:k]]
    groups_idx: dict[str, list[int]] = {}
    for i, ex in enumerate(pool):
        groups_idx.setdefault(ex.label, []).append(i)
    ranked_groups: dict[str, list[Any]] = {}
    for label in [lab for lab in labels if lab in groups_idx] + [
        lab for lab in groups_idx if lab not in labels
    ]:
        idx = groups_idx[label]
        centroid: Counter = Counter()
        for i in idx:
            centroid.update(vectors[i])
        centre = _unit(centroid, {})
        idx = sorted(idx, key=lambda i: (-_cosine(vectors[i], centre), tiebreak[i]))
        ranked_groups[label] = [pool[i] for i in idx]
    return _round_robin(ranked_groups, k)


def _arrange(chosen: list[Any], labels: Sequence[str], order: str, rng: random.Random) -> list[Any]:
    if order == "shuffled":
        chosen = list(chosen)
        rng.shuffle(chosen)
        return chosen
    groups = _by_label(chosen, labels)
    if order == "grouped":
        return [ex for items in groups.values() for ex in items]
    return _round_robin(groups, len(chosen))  # interleaved


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
    * ``"nearest"`` - similarity by tf-idf bag-of-words cosine. Without ``query`` it picks
      the most *typical* examples of each label (closest to the label's centroid), labels
      taking turns: one prompt shared by every query, so the prefix cache still works.
      With ``query`` it picks the k pool examples most similar to that text: a per-query
      prompt (build one per query; each has its own prefix, so no cache reuse across
      queries).

    Orders (how the chosen examples are laid out):

    * ``"shuffled"`` (default) - seeded random order: no label always comes last.
    * ``"grouped"`` - all examples of a label together, labels in ``task.labels`` order
      (the last label's examples sit right before the query: recency bias made visible).
    * ``"interleaved"`` - labels alternate in ``task.labels`` order: a, b, c, a, b, c...

    ``instruction`` defaults to ``task.instruction``; ``context`` is optional extra text
    (for instance ``QUEUE_RULES``) placed after the instruction, before the examples.
    k=0 gives an instruction-only prompt (the format a fine-tuned model is scored with).
    """
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
    examples = tuple(task.split(pool))
    if k > len(examples):
        raise ValueError(f"k={k} is more than the {len(examples)} examples of the {pool} split")
    rng = random.Random(seed)
    chosen = _select(examples, task.labels, k, strategy, rng, query)
    chosen = _arrange(chosen, task.labels, order, rng)
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
