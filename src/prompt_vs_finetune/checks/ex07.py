"""Checks of exercise set 07 (solutions/07_hybrid_approaches_exercises.ipynb)."""

from __future__ import annotations

import functools
import math

from prompt_vs_finetune.checks.core import NotYet, default_model, exercise, require
from prompt_vs_finetune.data import load_tickets
from prompt_vs_finetune.measure.evaluate import evaluate
from prompt_vs_finetune.prompting.fewshot import FewShotPrompt, build_prompt

# --- 07.1 ---------------------------------------------------------------------------------


def _row(threshold: float, accuracy: float, cost: float, share: float) -> dict:
    return {
        "threshold": threshold,
        "share_escalated": share,
        "accuracy": accuracy,
        "cost_per_request": cost,
    }


#: Sweeps the check hands to the learner's function: (rows, target, why this case).
SWEEPS = [
    (  # accuracy first rises, then dips: the cheapest row meeting 0.80 is threshold 0.4
        [
            _row(0.0, 0.62, 80.0, 0.0),
            _row(0.2, 0.70, 140.0, 0.1),
            _row(0.4, 0.81, 260.0, 0.3),
            _row(0.6, 0.84, 380.0, 0.5),
            _row(0.8, 0.79, 560.0, 0.8),
            _row(1.0, 0.83, 680.0, 1.0),
        ],
        0.80,
    ),
    (  # already met by the cheap path alone
        [_row(0.0, 0.90, 80.0, 0.0), _row(0.5, 0.95, 300.0, 0.4), _row(1.0, 0.93, 680.0, 1.0)],
        0.85,
    ),
    (  # out of reach: the answer is None
        [_row(0.0, 0.50, 80.0, 0.0), _row(0.5, 0.60, 300.0, 0.4), _row(1.0, 0.70, 680.0, 1.0)],
        0.90,
    ),
]


def _right_thresholds(rows: list[dict], target: float) -> set[float]:
    """Every threshold whose row meets ``target`` at the lowest cost among those that do."""
    good = [r for r in rows if r["accuracy"] >= target]
    if not good:
        return set()
    cheapest = min(r["cost_per_request"] for r in good)
    return {r["threshold"] for r in good if r["cost_per_request"] == cheapest}


@exercise(
    "07.1",
    kind="design",
    title="Pick the cheapest threshold that meets an accuracy target",
    task=(
        "define `pick_threshold(rows, target)` that returns the threshold of the cheapest row "
        "of a cascade sweep whose accuracy is at least `target` (None if no row reaches it)."
    ),
    hints=[
        "The check calls your function on three made-up sweeps: one where accuracy rises and "
        "then dips again, one where the cheap path alone already meets the target, and one "
        "where no row does (the answer is then None). It wants a threshold (a number), not a row.",
        "Keep the rows with `row['accuracy'] >= target`; among them take the one with the "
        "smallest `row['cost_per_request']` (`min(good, key=...)`), and return its "
        "`['threshold']`. Return None when no row is kept.",
    ],
    solution=(
        "def pick_threshold(rows, target):\n"
        "    good = [r for r in rows if r['accuracy'] >= target]\n"
        "    if not good:\n"
        "        return None\n"
        "    return min(good, key=lambda r: r['cost_per_request'])['threshold']"
    ),
)
def _pick_threshold(pick_threshold) -> tuple[bool, str]:
    if not callable(pick_threshold):
        raise NotYet(
            f"expected a function pick_threshold(rows, target), but got a "
            f"{type(pick_threshold).__name__}. Define it with `def pick_threshold(...):`."
        )
    for rows, target in SWEEPS:
        answer = pick_threshold([dict(r) for r in rows], target)
        right = _right_thresholds(rows, target)
        if not right:
            if answer is not None:
                return False, (
                    f"no row of one sweep reaches {target}, so the answer there is None; your "
                    f"function returned {answer!r}."
                )
            continue
        if answer is None:
            return False, (
                f"your function returned None, but rows of one sweep do reach {target}: return "
                "the threshold of the cheapest of them."
            )
        if isinstance(answer, dict):
            return False, "your function returned a whole row: return its threshold only."
        require(answer, float, "a threshold (a number) or None")
        if any(math.isclose(float(answer), t) for t in right):
            continue
        row = next((r for r in rows if math.isclose(r["threshold"], float(answer))), None)
        if row is None:
            return False, f"{answer} is not a threshold of the sweep: return a row's threshold."
        if row["accuracy"] < target:
            return False, (
                f"at threshold {answer} the accuracy is {row['accuracy']}, below the target "
                f"{target}. Keep only rows that reach it."
            )
        return False, (
            f"threshold {answer} meets the target {target}, but costs {row['cost_per_request']} "
            "per request; another row meets it for less. Take the cheapest, not the best."
        )
    return True, "right on all three sweeps, including the one where nothing is good enough."


# --- 07.2 ---------------------------------------------------------------------------------

#: The long prompt to compress: a wordy instruction and eight examples.
VERBOSE_INSTRUCTION = (
    "You are a friendly and very careful customer support assistant working for Pebblewire, a "
    "company that sells home internet plans and a small family of smart-home devices. Please "
    "read the customer's support ticket below very carefully, from the first word to the last, "
    "and think about what the customer really needs from us. Then classify the support ticket "
    "into exactly one of the following categories. Use 'billing' for anything about charges, "
    "refunds, invoices or payments. Use 'technical' for connection problems, slow speeds, "
    "faulty devices or help with setting something up. Use 'shipping' for orders, deliveries, "
    "damaged or wrong items and returns. Use 'account' for logging in, changing personal "
    "details or security worries. Use 'cancellation' when the customer wants to cancel a plan "
    "or an order. Use 'feature' when the customer suggests something new. Answer with the "
    "category only, and nothing else."
)
COMPRESS_N = 24
COMPRESS_SEED = 8
MAX_TOKENS = 300  # mean prompt tokens per request the compressed prompt must stay under
MIN_RIGHT = 12  # of the 24 tickets: what the long prompt itself gets


def long_prompt() -> FewShotPrompt:
    """The prompt exercise 07.2 starts from."""
    return build_prompt(load_tickets("category"), k=8, instruction=VERBOSE_INSTRUCTION)


@functools.cache
def compress_tickets() -> tuple:
    """The 24 fixed dev tickets of exercise 07.2 (category task)."""
    return load_tickets("category").subset("dev", COMPRESS_N, seed=COMPRESS_SEED)


def measure(prompt: FewShotPrompt) -> tuple[float, int]:
    """(mean prompt tokens per request, tickets right) of ``prompt`` on the 24 tickets."""
    task = load_tickets("category")
    result = evaluate(default_model(), task, prompt, examples=compress_tickets())
    return result.mean_tokens, result.correct


@exercise(
    "07.2",
    kind="design",
    title="Compress a long prompt",
    task=(
        f"set `short_prompt` to a category prompt that sends fewer than {MAX_TOKENS} tokens per "
        f"request and still gets at least {MIN_RIGHT} of the {COMPRESS_N} tickets right."
    ),
    hints=[
        f"The check counts the prompt tokens of each of the {COMPRESS_N} tickets (mean must be "
        f"under {MAX_TOKENS}) and scores them on the base model (at least {MIN_RIGHT} right). "
        "It needs a FewShotPrompt for the category task, with none of the check tickets as "
        "examples. Run `measure(your_prompt)` to see both numbers before you check.",
        "Find the parts that cost tokens without buying accuracy: the wordy instruction and the "
        "eight examples are most of the prompt. Try the task's own one-line instruction with "
        "fewer examples, `build_prompt(tickets, k=...)`, and compare the options with `measure`: "
        "dropping every example loses accuracy here.",
    ],
    solution="short_prompt = build_prompt(tickets, k=2)",
)
def _compress(short_prompt) -> tuple[bool, str]:
    require(short_prompt, FewShotPrompt, "a FewShotPrompt (from build_prompt)")
    task = load_tickets("category")
    if tuple(short_prompt.labels) != tuple(task.labels):
        return False, "build the prompt from the category task: build_prompt(tickets, ...)."
    ids = {t.id for t in compress_tickets()}
    if any(ex.id in ids for ex in short_prompt.examples):
        return False, "some examples in your prompt are check tickets: take examples from train."
    tokens, right = measure(short_prompt)
    long_tokens, _ = measure(long_prompt())
    if tokens >= MAX_TOKENS:
        return False, (
            f"{tokens:.0f} tokens per request (the long prompt sends {long_tokens:.0f}); the "
            f"check wants fewer than {MAX_TOKENS}. Cut the parts that cost the most tokens."
        )
    if right < MIN_RIGHT:
        return False, (
            f"{tokens:.0f} tokens per request, short enough, but only {right} of {COMPRESS_N} "
            f"right; the check wants {MIN_RIGHT}. You cut something that mattered: put back a "
            "few examples or a short instruction naming the categories."
        )
    return True, (
        f"{tokens:.0f} tokens per request instead of {long_tokens:.0f} "
        f"({long_tokens / tokens:.1f}x fewer), {right} of {COMPRESS_N} right."
    )
