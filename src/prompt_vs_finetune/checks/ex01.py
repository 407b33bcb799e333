"""Checks of exercise set 01 (solutions/01_fundamentals_exercises.ipynb)."""

from __future__ import annotations

import dataclasses
import functools
import math

from prompt_vs_finetune.checks.core import NotYet, default_model, exercise, require
from prompt_vs_finetune.data import load_tickets
from prompt_vs_finetune.prompting.variants import PromptVariant, run_variant

N_TICKETS = 12  # the fixed tickets the prompt exercise runs on
MIN_VALIDITY = 0.75
ANSWER_TOKENS = 6  # the model may write this many tokens (cutting it shorter is not allowed)


@functools.cache
def _task():
    return load_tickets("category")


def fixed_tickets():
    """The 12 test tickets exercise 01.1 runs on (seeded, one or two of each label)."""
    return _task().subset("test", N_TICKETS, seed=1)


def _as_variant(answer) -> PromptVariant:
    """The learner's prompt as a variant, its answer length fixed at the lesson's 6 tokens."""
    if isinstance(answer, str):
        answer = PromptVariant("yours", answer)
    return dataclasses.replace(answer, max_new_tokens=ANSWER_TOKENS)


@exercise(
    "01.1",
    kind="design",
    title="Write a prompt that answers with a label",
    task=(
        "set `my_prompt` to a PromptVariant (or a template string with {ticket}) whose "
        f"answers are exactly one label on at least {MIN_VALIDITY:.0%} of the {N_TICKETS} tickets."
    ),
    hints=[
        f"The check fills your template for each of {N_TICKETS} fixed test tickets, lets the "
        "model answer (greedy, a few tokens), and counts the answers that are exactly one of "
        f"the six labels and nothing else: it wants {MIN_VALIDITY:.0%} or more. The model may "
        f"write up to {ANSWER_TOKENS} tokens, so extra words count against you. Your template "
        "must contain {ticket}, and must offer all six labels ({labels} or {options} does it).",
        "A small model copies the start of an answer better than it obeys a rule: put the "
        "options one per line after the ticket, ask for one option and nothing else, start "
        'the answer for it with answer_cue="Option:", and add a system= message saying it '
        "answers with exactly one word. Try variants in the playground first.",
    ],
    solution=(
        "my_prompt = PromptVariant(\n"
        '    "mine",\n'
        '    "{ticket}\\n\\nOptions:\\n{options}\\n\\nReply with one option from the list above '
        'and nothing else.",\n'
        '    system="You sort support tickets. You answer with exactly one word.",\n'
        '    answer_cue="Option:",\n'
        ")"
    ),
)
def _valid_labels(my_prompt) -> tuple[bool, str]:
    require(my_prompt, (PromptVariant, str), "a PromptVariant, or a template string")
    variant = _as_variant(my_prompt)
    if "{ticket}" not in variant.template:
        return False, "the template has no {ticket}: the model would never see the ticket."
    labels = _task().labels
    offered = variant.template + (variant.system or "") + (variant.first_step or "")
    names_all = all(label in offered.lower() for label in labels)
    if not ("{labels}" in offered or "{options}" in offered or names_all):
        return False, (
            "your prompt does not offer all six labels, so it cannot be a fair classifier. "
            "Put {labels} or {options} in the template."
        )
    result = run_variant(default_model(), variant, fixed_tickets(), labels)
    validity, acc = result["format_validity"], result["accuracy"]
    sample = ", ".join(repr(r) for r in result["replies"][:3])
    if validity >= MIN_VALIDITY:
        return True, (
            f"{validity:.0%} of the answers are exactly one label (accuracy {acc:.0%}). "
            "The format is fixed; whether the labels are right is another matter."
        )
    return False, (
        f"only {validity:.0%} of the answers are exactly one label (the check wants "
        f"{MIN_VALIDITY:.0%}). The first answers were: {sample}."
    )


@functools.cache
def _tuned_total_change() -> float:
    from prompt_vs_finetune.finetune.recipes import course_run
    from prompt_vs_finetune.measure.weights import total_change, weight_diff

    run = course_run("category", progress=False)
    return total_change(weight_diff(default_model(), run.lm))


@exercise(
    "01.2",
    kind="design",
    title="Measure how far a fine-tune moved the weights",
    task="set `total` to the total weight change from the base model to the category fine-tune.",
    hints=[
        "The check compares your number with the L2 norm of the whole difference between the "
        "base model and course_run('category').lm, the number `total_change` computes from the "
        "rows of `weight_diff`. Zero is the answer for a prompted model, not for the fine-tune.",
        "total = total_change(weight_diff(lm, run.lm)), where lm = load_model() and "
        "run = course_run('category').",
    ],
    solution="total = total_change(weight_diff(lm, run.lm))",
)
def _total_change(total) -> tuple[bool, str]:
    require(total, float)
    truth = _tuned_total_change()
    if math.isclose(total, truth, rel_tol=1e-4):
        return True, f"the fine-tune moved the weights by {truth:.4f} in total (L2 norm)."
    if total == 0:
        return False, (
            "zero is what a prompt changes. Compare the base model with the fine-tuned one "
            "(run.lm), not with itself."
        )
    return False, (
        f"{total:.4g} is not the total change the check measures. Sum the squared per-layer "
        "changes and take the square root (total_change does it) over weight_diff(lm, run.lm)."
    )


#: Replies the check feeds to the learner's function, with the labels it should return.
PARSING_CASES: tuple[tuple[str, str | None], ...] = (
    ("billing", "billing"),
    ("Shipping.", "shipping"),
    ("This is a TECHNICAL problem", "technical"),
    ("Category: cancellation", "cancellation"),
    ("billing, technical, shipping, account", None),
    ("It is about the account or maybe billing", None),
    ("My router is broken", None),
    ("accounting", None),
    ("featured", None),
    ("", None),
    ("feature request", "feature"),
    ("  account  ", "account"),
)


@exercise(
    "01.3",
    kind="design",
    title="Read the label out of a free answer",
    task=(
        "write `pick_label(reply, labels)`: the one label the reply names as a whole word, "
        "or None when it names none or several."
    ),
    hints=[
        "The check calls your function on a dozen replies such as 'Shipping.', "
        "'This is a TECHNICAL problem', 'billing, technical, shipping' (several labels: None) "
        "and 'accounting' (not the word 'account': None). Case and punctuation do not matter.",
        "Lower-case the reply, split it into words with re.findall(r'[a-z]+', ...), keep the "
        "labels that appear among those words, and return the label if exactly one is left.",
    ],
    solution=(
        "def pick_label(reply, labels):\n"
        '    words = set(re.findall(r"[a-z]+", reply.lower()))\n'
        "    named = [label for label in labels if label in words]\n"
        "    return named[0] if len(named) == 1 else None"
    ),
)
def _pick_label(pick_label) -> tuple[bool, str]:
    if not callable(pick_label):
        raise NotYet(f"expected a function, but got a value of type {type(pick_label).__name__}.")
    labels = list(_task().labels)
    for reply, expected in PARSING_CASES:
        try:
            got = pick_label(reply, labels)
        except Exception as exc:  # noqa: BLE001 - the learner's code may raise anything
            return False, f"pick_label({reply!r}, labels) raised {type(exc).__name__}: {exc}."
        if got != expected:
            return False, f"pick_label({reply!r}, labels) returned {got!r}; expected {expected!r}."
    n = len(PARSING_CASES)
    return True, f"your function reads all {n} test replies the way the lesson does."
