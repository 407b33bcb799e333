"""Checks of exercise set 05 (solutions/05_where_prompting_fits_exercises.ipynb)."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from prompt_vs_finetune.checks.core import NotYet, default_model, exercise
from prompt_vs_finetune.data import load_tickets
from prompt_vs_finetune.measure.sweeps import accuracy_per_token, kshot_sweep
from prompt_vs_finetune.prompting.structured_output import json_valid_count
from prompt_vs_finetune.ui.tables import Table

N_TICKETS = 8
TICKET_SEED = 51
#: How many of the 8 tickets must get an answer holding a JSON object.
MIN_VALID = 5
MAX_NEW_TOKENS = 80
PLACEHOLDER = "{ticket}"

#: The k-shot sweep exercise 05.2 reads (the same one lesson 05 measures).
KS = (0, 1, 2, 4, 8)


def fixed_tickets() -> tuple[Any, ...]:
    """The 8 test tickets exercise 05.1 asks for JSON about (seeded)."""
    return load_tickets("intent").subset("test", N_TICKETS, seed=TICKET_SEED)


def as_prompt_fn(answer: Any) -> Callable[[str], Any]:
    """A learner's extraction prompt as a function ``ticket text -> prompt``.

    A string is a template with ``{ticket}`` where the ticket goes (other braces, such as
    a JSON example, are left alone); a function is used as it is.
    """
    if isinstance(answer, str):
        if PLACEHOLDER not in answer:
            raise NotYet(
                f"the template has no {PLACEHOLDER} placeholder: write {PLACEHOLDER} where the "
                "ticket text should go."
            )
        return lambda text: answer.replace(PLACEHOLDER, text)
    if callable(answer):
        return answer
    raise NotYet(
        "expected a template string with {ticket} in it, or a function that takes the ticket "
        f"text and returns a prompt; got a {type(answer).__name__}."
    )


def _prompt_text(prompt: Any) -> str:
    if isinstance(prompt, str):
        return prompt
    if isinstance(prompt, list) and all(isinstance(m, dict) for m in prompt):
        return "\n".join(str(m.get("content", "")) for m in prompt)
    raise NotYet(
        "your function must return a prompt: a string, or a list of chat messages "
        f"({{'role': ..., 'content': ...}}), not a {type(prompt).__name__}."
    )


_COUNTED: dict[tuple, tuple[int, list[str]]] = {}


def count_valid(answer: Any) -> tuple[int, list[str]]:
    """How many of the 8 fixed tickets get valid JSON back; and the failure kind of each."""
    fn = as_prompt_fn(answer)
    tickets = fixed_tickets()
    prompts = [fn(ex.text) for ex in tickets]
    texts = [_prompt_text(p) for p in prompts]
    missing = [ex.id for ex, text in zip(tickets, texts, strict=True) if ex.text not in text]
    if missing:
        raise NotYet(
            "the prompt must contain the ticket itself; for tickets "
            f"{', '.join(missing)} it does not. Put {PLACEHOLDER} (or the text argument) in it."
        )
    key = tuple(repr(p) for p in prompts)
    if key not in _COUNTED:
        _COUNTED[key] = json_valid_count(
            default_model(), tickets, fn, max_new_tokens=MAX_NEW_TOKENS
        )
    return _COUNTED[key]


@exercise(
    "05.1",
    kind="design",
    title="Get JSON by prompting alone",
    task=(
        f"set `template` to an extraction prompt with {PLACEHOLDER} where the ticket goes, "
        f"that gets valid JSON back for at least {MIN_VALID} of the {N_TICKETS} tickets."
    ),
    hints=[
        f"The check puts each of the {N_TICKETS} fixed tickets into your template, lets the "
        f"model answer (greedy, at most {MAX_NEW_TOKENS} new tokens) and counts the answers "
        "that hold a JSON object json.loads accepts. Prose, a cut-off object or a missing "
        "brace does not count; text around a valid object is fine.",
        "Tell the model to reply with only a JSON object, list the keys it must use, and show "
        'one complete example object, such as {"customer_name": "Ana", "email": null, ...}. '
        "A short answer closes before the token limit: ask for null when a field is absent.",
    ],
    solution=(
        "template = (\n"
        '    "Reply with only a JSON object with the keys customer_name, email, order_id, "\n'
        '    "product, plan and intent. Use null when the ticket does not say.\\n"\n'
        '    \'Example: {"customer_name": "Ana", "email": null, "order_id": "ORD-12345", \'\n'
        '    \'"product": "PebbleHub", "plan": null, "intent": "track_order"}\\n\\n\'\n'
        '    "Ticket: {ticket}\\nJSON:"\n'
        ")"
    ),
)
def _json_prompt(template: Any) -> tuple[bool, str]:
    valid, failures = count_valid(template)
    kinds = ", ".join(f"{f}: {failures.count(f)}" for f in sorted(set(failures)))
    if valid >= MIN_VALID:
        return True, f"{valid} of {N_TICKETS} answers hold valid JSON ({kinds})."
    return False, (
        f"{valid} of {N_TICKETS} answers hold valid JSON ({kinds}); the check wants at least "
        f"{MIN_VALID}. no_json means prose came back; invalid_json a broken or cut-off object."
    )


def measured_table() -> Table:
    """The k-shot sweep on the ticket test split (from the results store), gain per 1k tokens."""
    table = kshot_sweep(default_model(), load_tickets(), KS, split="test")
    return accuracy_per_token(table)


def best_k_per_token(table: Table) -> list[int]:
    """The k (> 0) with the best gain per 1000 extra tokens (all of them, if tied)."""
    rows = [r for r in table if r["gain_per_1k_tokens"] is not None]
    best = max(r["gain_per_1k_tokens"] for r in rows)
    return [r["k"] for r in rows if math.isclose(r["gain_per_1k_tokens"], best, abs_tol=1e-9)]


@exercise(
    "05.2",
    kind="design",
    title="Choose k for the best accuracy per token",
    task="set `best_k` to the k whose extra tokens buy the most accuracy over k=0 (an int).",
    hints=[
        "The check recomputes, from the measured table, for every k > 0: (accuracy - accuracy "
        "at k=0) divided by (tokens per request - tokens at k=0), and wants the k where it is "
        "largest. It is not the k with the highest accuracy.",
        "Add a column: for each row, gain = row['accuracy'] - table[0]['accuracy'] and extra "
        "= row['tokens_per_request'] - table[0]['tokens_per_request']; then take the k with "
        "the largest gain / extra. `max(rows, key=...)` does it in one line.",
    ],
    solution=(
        "base = table[0]\n"
        "rows = [r for r in table if r['k'] > 0]\n"
        "best_k = max(rows, key=lambda r: (r['accuracy'] - base['accuracy'])\n"
        "             / (r['tokens_per_request'] - base['tokens_per_request']))['k']"
    ),
)
def _best_k(best_k: Any) -> tuple[bool, str]:
    if isinstance(best_k, bool) or not isinstance(best_k, int):
        raise NotYet(f"expected k as a whole number (an int), like 2; got {best_k!r}.")
    table = measured_table()
    ks = [r["k"] for r in table]
    if best_k not in ks:
        return False, f"k={best_k} is not in the table; the measured k are {ks}."
    winners = best_k_per_token(table)
    row = next(r for r in table if r["k"] == best_k)
    if best_k in winners:
        return True, (
            f"k={best_k}: {row['gain_per_1k_tokens']:+.3f} accuracy per 1000 extra tokens, "
            "the most any k buys."
        )
    if best_k == 0:
        return False, "k=0 is the reference: compare what each k > 0 adds over it, per token."
    top = max(table, key=lambda r: r["accuracy"])["k"]
    if best_k == top and best_k not in winners:
        return False, (
            f"k={best_k} has the highest accuracy, but its extra tokens buy less per token "
            "than another k's. Divide each gain by its extra tokens."
        )
    return False, (
        f"k={best_k} buys {row['gain_per_1k_tokens']:+.3f} accuracy per 1000 extra tokens; "
        "another k buys more. Compute the ratio for every k."
    )
