"""Same tickets, different wording: how the phrasing of a prompt changes what comes back.

Claim C1 of the course says that a model is very sensitive to how a request is worded,
that explicit format and length instructions help, and that breaking a task into steps
helps. This module measures it by *generation*: each ``PromptVariant`` is sent to the
model as a chat, the model writes an answer (greedy, a few tokens), and the answer is
graded twice:

- ``is_valid_format(reply, labels)``: is the reply exactly one allowed label and nothing
  else (case, spaces and surrounding punctuation ignored)? That is what a program that
  reads the answer needs.
- ``answer_label(reply, labels)``: which label does the reply name? A reply that names
  exactly one allowed label counts as that label, even inside a sentence; a reply that
  names none or several counts as no answer. Accuracy compares this with the gold label.

A variant may have a first step (``first_step``): a separate request whose answer (for
instance a one-sentence summary of the problem) is put into the second request. That is
step-by-step decomposition: two small requests instead of one harder one.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from prompt_vs_finetune.measure.metrics import accuracy, normalize_answer
from prompt_vs_finetune.model.generation import generate_batch

__all__ = [
    "C1_VARIANTS",
    "PromptVariant",
    "answer_label",
    "is_valid_format",
    "playground",
    "plot_variants",
    "run_variant",
]


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z]+", text.lower())


def is_valid_format(reply: str, labels: Sequence[str]) -> bool:
    """True when ``reply`` is exactly one of ``labels`` (case, spaces, end punctuation aside)."""
    if not isinstance(reply, str):
        return False
    return normalize_answer(reply) in {normalize_answer(label) for label in labels}


def answer_label(reply: str, labels: Sequence[str]) -> str | None:
    """The one label that ``reply`` names as a whole word, or None (no label, or several).

    >>> answer_label("It is a billing issue.", ["billing", "shipping"])
    'billing'
    >>> answer_label("billing, shipping", ["billing", "shipping"]) is None
    True
    """
    if not isinstance(reply, str):
        return None
    words = set(_words(reply))
    named = [label for label in labels if set(_words(label)) and set(_words(label)) <= words]
    return named[0] if len(named) == 1 else None


@dataclass(frozen=True)
class PromptVariant:
    """One way of asking the model for a ticket's category.

    ``template`` is the user message; ``{ticket}`` is replaced by the ticket text,
    ``{labels}`` by the allowed labels ("billing, technical, ..."), ``{options}`` by the
    labels one per line, and ``{summary}`` by the answer to ``first_step`` (when given).
    ``system`` is an optional system message. ``shots`` are worked examples, (ticket,
    answer) pairs shown as earlier turns of the chat: the template filled with the
    example's ticket, answered by ``answer_cue`` and the answer. ``answer_cue`` is text
    that the answer starts with, written for the model (for instance ``"Category:"``): the
    model only writes what follows. ``max_new_tokens`` caps the answer
    (``first_step_tokens`` the first step's).
    """

    name: str
    template: str
    system: str | None = None
    answer_cue: str = ""
    first_step: str | None = None
    shots: tuple[tuple[str, str], ...] = ()
    max_new_tokens: int = 6
    first_step_tokens: int = 24
    description: str = ""

    def fill(self, template: str, ticket: str, labels: Sequence[str], summary: str = "") -> str:
        """``template`` with its placeholders filled in (braces in a ticket are safe)."""
        values = {
            "{ticket}": ticket.strip(),
            "{labels}": ", ".join(labels),
            "{options}": "\n".join(f"- {label}" for label in labels),
            "{summary}": summary.strip(),
        }
        return re.sub(
            r"\{(ticket|labels|options|summary)\}", lambda m: values[m.group(0)], template
        )

    def chat_text(self, lm: Any, user: str, labels: Sequence[str] = ()) -> str:
        """The exact text the model reads: chat template (with any shots), then the answer cue."""
        messages = [] if self.system is None else [{"role": "system", "content": self.system}]
        for ticket, answer in self.shots:
            messages.append({"role": "user", "content": self.fill(self.template, ticket, labels)})
            messages.append({"role": "assistant", "content": f"{self.answer_cue} {answer}".strip()})
        messages.append({"role": "user", "content": user})
        text = lm.tokenizer.apply_chat_template(
            messages, add_generation_prompt=True, tokenize=False
        )
        return text + self.answer_cue

    def ask(self, lm: Any, ticket: str, labels: Sequence[str]) -> dict[str, Any]:
        """Run the variant on one ticket: the reply, the first step's answer, tokens, seconds."""
        return self.ask_many(lm, [ticket], labels)[0]

    def ask_many(
        self, lm: Any, tickets: Sequence[str], labels: Sequence[str]
    ) -> list[dict[str, Any]]:
        """``ask`` for many tickets, answered in batches (same greedy answers, much faster)."""
        summaries = [""] * len(tickets)
        steps = None
        if self.first_step is not None:
            firsts = [
                self.chat_text_plain(lm, self.fill(self.first_step, t, labels)) for t in tickets
            ]
            steps = generate_batch(lm, firsts, max_new_tokens=self.first_step_tokens, chat=False)
            summaries = [step.text for step in steps]
        prompts = [
            self.chat_text(lm, self.fill(self.template, t, labels, summary), labels)
            for t, summary in zip(tickets, summaries, strict=True)
        ]
        outs = generate_batch(lm, prompts, max_new_tokens=self.max_new_tokens, chat=False)
        answers = []
        for i, out in enumerate(outs):
            step = steps[i] if steps is not None else None
            answers.append(
                {
                    "reply": out.text,
                    "first_step": step.text if step is not None else None,
                    "tokens_in": out.tokens_in + (step.tokens_in if step else 0),
                    "tokens_out": out.tokens_out + (step.tokens_out if step else 0),
                    "seconds": out.seconds + (step.seconds if step else 0.0),
                }
            )
        return answers

    def chat_text_plain(self, lm: Any, user: str) -> str:
        """A user message through the chat template, with no system message or cue."""
        return lm.tokenizer.apply_chat_template(
            [{"role": "user", "content": user}], add_generation_prompt=True, tokenize=False
        )

    def key(self) -> str:
        """Stable hash of everything that changes the variant's answers (for the results store)."""
        blob = json.dumps(asdict(self), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:20]


_FORMAT = "Reply with one word from this list and nothing else: {labels}."

#: The variants of lesson 01, from the barest question to a two-step decomposition.
C1_VARIANTS: tuple[PromptVariant, ...] = (
    PromptVariant(
        "bare question",
        "{ticket}\n\nWhat is this support ticket about?",
        max_new_tokens=12,
        description="the ticket and a plain question; no list of categories, no format",
    ),
    PromptVariant(
        "one word from a list",
        "{ticket}\n\nWhich category is this ticket? " + _FORMAT,
        max_new_tokens=12,
        description="the categories are listed and the answer must be one word from the list",
    ),
    PromptVariant(
        "format + answer cue",
        "{ticket}\n\nOptions:\n{options}\n\nReply with one option from the list above and "
        "nothing else.",
        answer_cue="Option:",
        description="the options one per line, a length limit, and the answer already started",
    ),
    PromptVariant(
        "step by step",
        "Problem: {summary}\n\nOptions:\n{options}\n\nReply with one option from the list "
        "above and nothing else.",
        answer_cue="Option:",
        first_step="Summarise the customer's problem in one short sentence.\n\n{ticket}",
        first_step_tokens=24,
        description="step 1: summarise the problem; step 2: choose an option for the summary",
    ),
)


def run_variant(
    lm: Any, variant: PromptVariant, examples: Sequence[Any], labels: Sequence[str]
) -> dict[str, Any]:
    """Ask ``variant`` about every example; return accuracy, format validity and the replies.

    The result is plain JSON (for the results store): ``accuracy`` (the label the reply
    names equals the gold label), ``format_validity`` (the reply is exactly one label),
    ``answered`` (the reply names exactly one label), mean ``tokens_in``/``tokens_out``,
    ``seconds`` in total, and per example ``replies``, ``first_steps``, ``predicted``,
    ``valid`` and ``gold``.
    """
    if not examples:
        raise ValueError("no examples to ask about")
    start = time.perf_counter()
    asked = variant.ask_many(lm, [ex.text for ex in examples], labels)
    replies = [a["reply"] for a in asked]
    predicted = [answer_label(r, labels) for r in replies]
    valid = [is_valid_format(r, labels) for r in replies]
    gold = [ex.label for ex in examples]
    n = len(examples)
    return {
        "variant": variant.name,
        "n": n,
        "accuracy": accuracy(gold, predicted),
        "format_validity": sum(valid) / n,
        "answered": sum(p is not None for p in predicted) / n,
        "tokens_in": sum(a["tokens_in"] for a in asked) / n,
        "tokens_out": sum(a["tokens_out"] for a in asked) / n,
        "seconds": time.perf_counter() - start,
        "replies": replies,
        "first_steps": [a["first_step"] for a in asked],
        "predicted": predicted,
        "valid": valid,
        "gold": gold,
        "ids": [getattr(ex, "id", None) for ex in examples],
    }


def plot_variants(results: Sequence[dict[str, Any]], ax: Any = None, chance: float | None = None):
    """Grouped bars: accuracy and format validity per variant; returns the Axes."""
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(7.5, 3.6))
    names = [r["variant"] for r in results]
    xs = range(len(names))
    width = 0.38
    acc = ax.bar(
        [x - width / 2 for x in xs], [r["accuracy"] for r in results], width, label="accuracy"
    )
    val = ax.bar(
        [x + width / 2 for x in xs],
        [r["format_validity"] for r in results],
        width,
        label="format validity",
    )
    for bars in (acc, val):
        for bar in bars:
            ax.annotate(
                f"{bar.get_height():.0%}",
                (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                ha="center",
                va="bottom",
                fontsize=8,
            )
    if chance is not None:
        ax.axhline(chance, color="grey", linestyle=":", linewidth=1, label="chance accuracy")
    ax.set_xticks(list(xs), names, fontsize=8)
    ax.set_ylim(0, 1.1)
    ax.set_ylabel("share of tickets")
    ax.set_title(f"Same {results[0]['n']} tickets, different wording")
    ax.legend(fontsize=8, loc="upper left")
    return ax


def playground(lm: Any, examples: Sequence[Any], labels: Sequence[str], **start: Any) -> Any:
    """A prompt playground: edit a template (and an answer cue), see every reply at once.

    Returns an explorer (see ``widgets``) whose ``compute(template, answer_cue)`` runs
    ``run_variant`` on ``examples``; its summary lists each ticket's reply, whether it is
    a valid label and whether it is right. ``start`` sets the first template and cue.
    """
    import ipywidgets as W

    from prompt_vs_finetune.ui.tables import html_table
    from prompt_vs_finetune.ui.widgets import Explorer

    class PromptPlayground(Explorer):
        title = "Prompt playground: edit the prompt, then click outside the box"
        figsize = None  # text only

        def compute(self, template: str, answer_cue: str) -> dict[str, Any]:
            if "{ticket}" not in template:
                raise ValueError("the template needs {ticket} where the ticket text goes")
            variant = PromptVariant("playground", template, answer_cue=answer_cue)
            return run_variant(lm, variant, examples, labels)

        def describe(self, r: dict[str, Any]) -> str:
            rows = [
                (g, repr(reply), "yes" if ok else "no", "yes" if p == g else "no")
                for g, reply, ok, p in zip(
                    r["gold"], r["replies"], r["valid"], r["predicted"], strict=True
                )
            ]
            table = html_table(("gold", "reply", "valid?", "right?"), rows)
            return (
                f"<b>format validity {r['format_validity']:.0%}, accuracy {r['accuracy']:.0%}"
                f"</b> on {r['n']} tickets{table}"
            )

    layout = W.Layout(width="640px")
    controls = {
        "template": W.Textarea(
            value=start.get("template", C1_VARIANTS[2].template),
            description="template",
            continuous_update=False,
            layout=W.Layout(width="640px", height="110px"),
        ),
        "answer_cue": W.Text(
            value=start.get("answer_cue", C1_VARIANTS[2].answer_cue),
            description="answer cue",
            continuous_update=False,
            layout=layout,
        ),
    }
    return PromptPlayground(controls)
