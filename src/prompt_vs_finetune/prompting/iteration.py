"""The prompting loop in numbers: every version measured, plotted, and one turn's cost.

- ``measure_versions``: accuracy of each ``PromptVersion`` on the same examples of a
  split, the gain of each edit over the version it edited, and the seconds re-measuring
  took (one turn of the loop). Each version is one ``evaluate`` call, so lesson 08 reads
  lesson 04's numbers instead of measuring again.
- ``plot_versions``: that table as a picture.
- ``iteration_costs``: one turn of the prompting loop against one turn of the training
  loop, in seconds and in knobs to understand.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from typing import Any

from prompt_vs_finetune.measure.evaluate import evaluate
from prompt_vs_finetune.prompting.versions import (
    FINE_TUNE_KNOBS,
    PROMPT_KNOBS,
    TICKET_VERSIONS,
    PromptVersion,
)
from prompt_vs_finetune.ui.tables import Table

__all__ = ["iteration_costs", "measure_versions", "plot_versions"]


def _check_version(version: Any) -> PromptVersion:
    if not isinstance(version, PromptVersion):
        raise TypeError(f"expected a PromptVersion, not {type(version).__name__}")
    return version


def measure_versions(
    lm: Any,
    task: Any,
    versions: Sequence[PromptVersion] = TICKET_VERSIONS,
    *,
    split: str = "dev",
    n: int | None = None,
    seed: int = 0,
    progress: bool = False,
) -> Table:
    """Each version evaluated in turn on the same examples (``measure.evaluate``, cached).

    Columns: version, change, base (the version it edited), accuracy, gain (over its base:
    what the edit did), kept (True when it beat every earlier version), best_so_far (the
    accuracy of the best version up to here: what you have if you revert edits that did
    not help), improvement (how much best_so_far rose at this version), tokens (mean prompt
    tokens per request) and seconds (re-measuring: one turn of the loop).
    """
    rows: list[dict[str, Any]] = []
    accuracy_of: dict[str, float] = {}
    best = None
    for version in map(_check_version, versions):
        r = evaluate(lm, task, version, split=split, n=n, seed=seed, progress=progress)
        acc = r.accuracy
        base = (
            version.base if version.base in accuracy_of else (rows[-1]["version"] if rows else None)
        )
        kept = best is None or acc > best
        improvement = None if best is None else max(0.0, acc - best)
        best = acc if best is None else max(best, acc)
        rows.append(
            {
                "version": version.name,
                "change": version.change,
                "base": base,
                "accuracy": acc,
                "gain": None if base is None else acc - accuracy_of[base],
                "kept": kept,
                "best_so_far": best,
                "improvement": improvement,
                "tokens": r.mean_tokens,
                "seconds": r.seconds,
            }
        )
        accuracy_of[version.name] = acc
    return Table(rows)


def plot_versions(table: Sequence[dict[str, Any]], ax: Any = None) -> Any:
    """Accuracy of each version (dots), the best kept so far (steps), the gain per version (bars).

    ``table`` is what ``measure_versions`` returns. Returns the matplotlib Axes.
    """
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(7, 3.8))
    names = [r["version"] for r in table]
    x = list(range(len(names)))
    gains = [r["gain"] or 0.0 for r in table]
    ax.bar(x, gains, color=["C2" if g > 0 else "C3" for g in gains], alpha=0.35,
           label="gain over the version before")  # fmt: skip
    ax.plot(x, [r["accuracy"] for r in table], "o", color="C0", label="accuracy of this version")
    ax.step(x, [r["best_so_far"] for r in table], where="mid", color="C1",
            label="best version kept so far")  # fmt: skip
    ax.axhline(0, color="grey", linewidth=0.8)
    ax.set_xticks(x)
    ax.set_xticklabels(names)
    ax.set_xlabel("prompt version (one edit each)")
    ax.set_ylabel("dev accuracy")
    ax.set_title("Prompt iteration: edit, measure, keep or revert")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="center right")
    return ax


def iteration_costs(prompt_seconds: Sequence[float], train_seconds: Sequence[float]) -> Table:
    """One turn of each loop: seconds to see the effect of a change, and knobs to read.

    ``prompt_seconds``: re-measuring time per prompt version; ``train_seconds``: training
    time per fine-tune (evaluation included). Rows: prompting, fine-tuning; "seconds per
    turn" is the median of each list (a typical turn: one turn slowed down by a busy
    machine does not decide it).
    """
    rows = []
    for name, seconds, knobs in (
        ("prompting", prompt_seconds, PROMPT_KNOBS),
        ("fine-tuning", train_seconds, FINE_TUNE_KNOBS),
    ):
        values = [float(s) for s in seconds]
        if not values:
            raise ValueError(f"no {name} timings given")
        rows.append(
            {
                "loop": name,
                "turns measured": len(values),
                "seconds per turn": statistics.median(values),
                "knobs": len(knobs),
            }
        )
    return Table(rows)
