"""Examples chosen per ticket: the training tickets most similar to the one asked about.

``NearestPrompts(task, k)`` is a per-query prompt: ``measure.evaluate`` asks it for one
``FewShotPrompt`` per ticket (``for_query``), holding the k training tickets closest to
that ticket by TF-IDF cosine similarity, the most similar last, right before the ticket
(where a small model's attention to examples is strongest).

Such prompts share nothing but the instruction, so the scorer cannot run one cached prefix
for every ticket: each ticket's whole prompt goes through the model. ``prefix_cost`` times
that against a shared prompt with the same number of examples.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from prompt_vs_finetune.measure.evaluate import examples_for, score_examples
from prompt_vs_finetune.prompting.fewshot import FewShotPrompt, build_prompt
from prompt_vs_finetune.store.results import cached
from prompt_vs_finetune.ui.tables import Table

__all__ = ["KIND", "NearestPrompts", "last_labels", "prefix_cost"]

KIND = "prefix-cost"


@dataclass(frozen=True)
class NearestPrompts:
    """One prompt per ticket: its ``k`` nearest training tickets, the most similar last.

    ``seed`` only breaks ties in similarity. ``instruction`` defaults to the task's.
    """

    task: Any
    k: int = 4
    seed: int = 0
    instruction: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.k, int) or isinstance(self.k, bool) or self.k < 1:
            raise ValueError(f"k must be a whole number >= 1, got {self.k!r}")

    def for_query(self, example: Any) -> FewShotPrompt:
        """The prompt for ``example`` (an Example or a text): its k nearest train tickets."""
        text = example if isinstance(example, str) else example.text
        return build_prompt(
            self.task, k=self.k, strategy="nearest", order="ranked", seed=self.seed,
            instruction=self.instruction, query=text,
        )  # fmt: skip

    def __repr__(self) -> str:
        return f"NearestPrompts(task={self.task.name!r}, k={self.k}, seed={self.seed})"


def last_labels(prompt: Any, examples: list[Any]) -> list[str | None]:
    """The label of the example shown last (right before each query), per query."""
    prompts = [prompt.for_query(ex) for ex in examples] if hasattr(prompt, "for_query") else None
    if prompts is None:
        last = prompt.examples[-1].label if prompt.examples else None
        return [last] * len(examples)
    return [p.examples[-1].label for p in prompts]


def _prefix_tokens(lm: Any, prompt: FewShotPrompt) -> int:
    return len(lm.tokenizer(prompt.prefix, add_special_tokens=False)["input_ids"])


def prefix_cost(lm: Any, task: Any, k: int = 4, *, n: int = 8, split: str = "dev") -> Table:
    """What examples chosen per ticket cost against one shared k-shot prompt (draw 0).

    Both are scored now, back to back, on the same ``n`` tickets of ``split`` (so a busy
    moment of the machine slows both alike), and the result is kept in the results store.
    One row each: prompt tokens sent per request; tokens the model must run per ticket
    (a shared prefix runs once and its cache serves every ticket, a per-ticket prompt runs
    whole every time); measured seconds per ticket. The last row is per-ticket over shared.
    """
    examples = examples_for(task, split, n)
    shared_prompt, per_ticket = build_prompt(task, k=k), NearestPrompts(task, k)

    def compute() -> dict[str, Any]:
        shared = score_examples(lm, shared_prompt, examples)
        nearest = score_examples(lm, per_ticket, examples)
        prefix = _prefix_tokens(lm, shared_prompt)
        return {"rows": [
            {"prompt": f"shared {k}-shot", "tokens_sent": shared.mean_tokens,
             "tokens_run": shared.mean_tokens - prefix, "seconds_per_ticket": shared.seconds / n},
            {"prompt": f"per-ticket {k}-shot", "tokens_sent": nearest.mean_tokens,
             "tokens_run": nearest.mean_tokens, "seconds_per_ticket": nearest.seconds / n},
        ]}  # fmt: skip

    inputs = {"model": lm.name, "task": task.name, "k": k, "split": split, "n": n,
              "shared": shared_prompt.key(),
              "per_ticket": [per_ticket.for_query(ex).key() for ex in examples]}  # fmt: skip
    rows = cached(KIND, inputs, compute)["rows"]
    ratio = {key: rows[1][key] / rows[0][key] for key in rows[0] if key != "prompt"}
    columns = ["prompt", "tokens_sent", "tokens_run", "seconds_per_ticket"]
    return Table([*rows, {"prompt": "per-ticket / shared", **ratio}], columns)
