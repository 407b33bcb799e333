"""Prompt compression: which parts of a prompt earn their tokens?

A prompt is built from parts: an instruction (long, naming every label, or short, or
none), company rules (context), and k worked examples. Each part costs tokens on every
request. Switch the parts on and off one combination at a time (an *ablation*), score
every combination on the same tickets, and plot accuracy against tokens per request.

The useful prompts lie on the *frontier*: those that no other prompt beats on both
counts (at most as many tokens and at least as accurate). A compressed prompt is a point
on the frontier that keeps the accuracy of the full prompt with fewer tokens. A model
fine-tuned on the task is the extreme case: it answers from the shortest prompt because
what the examples and rules taught now sits in its weights.

The rule of C14 in ``claims`` reads the verdict off the measured table.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import product
from typing import Any

from prompt_vs_finetune.measure.evaluate import evaluate
from prompt_vs_finetune.prompting.fewshot import FewShotPrompt, build_prompt
from prompt_vs_finetune.ui.tables import Table

__all__ = [
    "CATEGORY_GUIDE",
    "INSTRUCTIONS",
    "ablation_prompts",
    "ablation_table",
    "cheapest_keeping",
    "pareto_frontier",
    "plot_frontier",
    "short_instruction",
    "variant_name",
]

#: How much instruction a variant has: the task's own (naming every label), a short one, none.
INSTRUCTIONS: tuple[str, ...] = ("full", "short", "none")

#: Company context for the category task: what each category covers at Pebblewire.
CATEGORY_GUIDE = """\
How Pebblewire's support team sorts tickets:
- billing: charges, refunds, invoices, failed or double payments.
- technical: no connection, slow speed, a faulty device, help with setting one up.
- shipping: tracking an order, a damaged or wrong item, sending something back.
- account: trouble logging in, changing personal details, security worries.
- cancellation: ending a plan or cancelling an order.
- feature: ideas and requests for something new."""

_SHORT = {
    "category": "Classify the support ticket.",
    "priority": "Rate the ticket's priority.",
    "queue": "Route the support ticket to a queue.",
    "intent": "Name the ticket's intent.",
}


def short_instruction(task: Any) -> str:
    """A one-line instruction that does not list the labels."""
    target = str(task.name).rpartition("/")[2]
    return _SHORT.get(target, "Label the text.")


def variant_name(instruction: str, rules: bool, k: int, context_name: str = "rules") -> str:
    """A readable name such as ``"full instr + rules + 8 ex"``."""
    parts = [f"{instruction} instr" if instruction != "none" else "no instr"]
    if rules:
        parts.append(context_name)
    parts.append(f"{k} ex")
    return " + ".join(parts)


def ablation_prompts(
    task: Any,
    *,
    instructions: Sequence[str] = INSTRUCTIONS,
    rules: Sequence[bool] = (False, True),
    ks: Sequence[int] = (0, 2, 4, 8),
    context: str | None = None,
    context_name: str = "rules",
    seed: int = 0,
) -> dict[str, tuple[dict[str, Any], FewShotPrompt]]:
    """Every combination of the parts: ``{name: (spec, prompt)}``.

    ``context`` is the text of the context part (for example ``QUEUE_RULES``), called
    ``context_name`` in the variants' names; without it that axis is left out. Examples
    come from ``build_prompt(task, k, seed=seed)``, so a prompt with 4 examples holds a
    different draw than the 8-example one, as a learner trimming a prompt by hand would get.
    """
    for level in instructions:
        if level not in INSTRUCTIONS:
            raise ValueError(f"instruction level must be one of {INSTRUCTIONS}, not {level!r}")
    text = {"full": task.instruction, "short": short_instruction(task), "none": ""}
    rule_options = [r for r in rules if not r or context]
    out = {}
    for level, with_rules, k in product(instructions, rule_options or [False], ks):
        prompt = build_prompt(
            task, k=k, seed=seed, instruction=text[level], context=context if with_rules else None
        )
        spec = {"instruction": level, "rules": bool(with_rules), "k": k}
        out[variant_name(level, bool(with_rules), k, context_name)] = (spec, prompt)
    return out


def ablation_table(
    lm: Any,
    task: Any,
    prompts: dict[str, tuple[dict[str, Any], FewShotPrompt]],
    *,
    split: str = "test",
    n: int | None = None,
    seed: int = 0,
) -> Table:
    """Score every variant on the same tickets (cached): name, parts, tokens, accuracy.

    The table's ``results`` maps each prompt name to its ``Evaluation``.
    """
    rows, results = [], {}
    for name, (spec, prompt) in prompts.items():
        results[name] = r = evaluate(lm, task, prompt, split=split, n=n, seed=seed)
        rows.append({"prompt": name, **spec, "tokens": r.mean_tokens, "accuracy": r.accuracy})
    table = Table(rows)
    table.results = results  # the Evaluations, by prompt name, for paired comparisons
    return table


def pareto_frontier(
    rows: Sequence[dict[str, Any]], x: str = "tokens", y: str = "accuracy"
) -> Table:
    """The rows no other row beats: none has at most as many ``x`` and more ``y``, or fewer
    ``x`` and as much ``y``. Sorted by ``x``."""
    ordered = sorted(rows, key=lambda r: (r[x], -r[y]))
    frontier, best = [], float("-inf")
    for r in ordered:
        if r[y] > best:
            frontier.append(r)
            best = r[y]
    return Table(frontier)


def cheapest_keeping(
    rows: Sequence[dict[str, Any]], accuracy: float, *, tolerance: float = 0.02
) -> dict[str, Any] | None:
    """The row with the fewest tokens whose accuracy is at least ``accuracy - tolerance``."""
    good = [r for r in rows if r["accuracy"] >= accuracy - tolerance - 1e-12]
    return min(good, key=lambda r: (r["tokens"], -r["accuracy"])) if good else None


def plot_frontier(
    rows: Sequence[dict[str, Any]],
    *,
    tuned: dict[str, Any] | None = None,
    highlight: Sequence[str] = (),
    ax: Any = None,
):
    """Accuracy against tokens per request for every variant; the frontier as a step line
    (the best accuracy any prompt reaches within a token budget); and, with
    ``tuned={"tokens":..., "accuracy":..., "label":...}``, the fine-tuned model as a star."""
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(7, 4))
    xs = [r["tokens"] for r in rows]
    ax.scatter(xs, [r["accuracy"] for r in rows], s=18, color="tab:blue", alpha=0.6,
               label="prompt variants (base model)")  # fmt: skip
    front = pareto_frontier(rows)
    steps_x = [r["tokens"] for r in front] + [max(xs)]
    steps_y = [r["accuracy"] for r in front] + [front[-1]["accuracy"]]
    ax.step(steps_x, steps_y, where="post", color="tab:blue",
            label="frontier: best accuracy within a token budget")  # fmt: skip
    middle = (min(xs) + max(xs)) / 2
    for r in rows:
        if r["prompt"] in highlight:
            right = r["tokens"] > middle
            ax.annotate(r["prompt"], (r["tokens"], r["accuracy"]), fontsize=7,
                        xytext=(-4 if right else 4, 5), textcoords="offset points",
                        ha="right" if right else "left")  # fmt: skip
    if tuned is not None:
        ax.scatter([tuned["tokens"]], [tuned["accuracy"]], marker="*", s=180, color="tab:red",
                   label=tuned.get("label", "fine-tuned, 0 examples"), zorder=3)  # fmt: skip
    ax.set_xlabel("prompt tokens per request")
    ax.set_ylabel("accuracy")
    ax.set_ylim(0, 1)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="lower right")
    ax.set_title("Accuracy against prompt length")
    return ax
