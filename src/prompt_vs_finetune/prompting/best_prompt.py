"""The best prompt built from train and dev data only: chosen on dev, reported on test.

``TECHNIQUES`` are the few-shot techniques lesson 05 compares: the plain prompt, the same
with contextual calibration, exactly one example per category, examples chosen per ticket
by similarity, and the prompt lesson 04's editing session kept (v5, chosen on its own dev
tickets). Each costs compute on a cold run (about 0.4 s per dev ticket and
prompt on a 2-core laptop, four times that for per-ticket prompts), so the list is short.

``dev_study`` scores each technique at each of its k over seeded draws of examples on the
same dev tickets; ``choose`` picks the technique and k with the best mean dev accuracy,
then the draw that scored best on dev; ``best_dev_prompt`` scores that one prompt on the
whole test split. Every score is a stored ``evaluate`` result, so lesson 06 gets the same
``Evaluation`` (per-item predictions on the test tickets) by calling
``best_dev_prompt(lm, task)`` again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from prompt_vs_finetune.measure.evaluate import Evaluation, evaluate
from prompt_vs_finetune.measure.sweeps import DRAWS, draw_row, draw_summary, kshot_draws
from prompt_vs_finetune.prompting.versions import TICKET_VERSIONS
from prompt_vs_finetune.ui.tables import Table

__all__ = ["DEV_N", "TECHNIQUES", "WITH_EXAMPLES", "BestPrompt", "Technique", "best_dev_prompt",
           "choose", "dev_study", "study_summary"]  # fmt: skip

#: Dev tickets each draw is scored on: a balanced subset (seed 0), the same for every draw.
DEV_N = 24


@dataclass(frozen=True)
class Technique:
    """A way to build a few-shot prompt, tried at each k of ``ks``; or, with ``version``,
    one prompt version of ``TICKET_VERSIONS`` as it stands (its own k and calibration)."""

    name: str
    ks: tuple[int, ...]
    what: str
    calibrate: bool = False
    per_ticket: bool = False
    draws: int = DRAWS
    version: str | None = None


TECHNIQUES: tuple[Technique, ...] = (
    Technique("plain", (0, 1, 2, 4, 8), "labels take turns, shuffled order (kshot_sweep)"),
    Technique("calibrated", (0, 1, 8), "the same prompts, with contextual calibration",
              calibrate=True),
    Technique("one per category", (6,), "exactly one example of each category, shuffled"),
    Technique("nearest per ticket", (4,), "each ticket's most similar training tickets, the "
              "most similar last", per_ticket=True),
    Technique("lesson 04's v5", (6,), "the version lesson 04's session kept: one example per "
              "category, calibrated, its own instruction", calibrate=True, version="v5"),
)  # fmt: skip

#: The plain prompt with at least one example: what a claim about few-shot prompts (shorter
#: requests, consistency: lesson 06) compares a fine-tune with, even when 0-shot wins on dev.
WITH_EXAMPLES = Technique("plain", (1, 2, 4, 8), "the plain prompt, one example or more")


def _version_draw(lm: Any, task: Any, tech: Technique, n: int | None) -> Table:
    """A one-row draws table for a prompt version (``tech.version``) on the dev tickets."""
    version = next(v for v in TICKET_VERSIONS if v.name == tech.version)
    r = evaluate(lm, task, version, split="dev", n=n, seed=0)
    table = Table([draw_row(r.k, 0, r)])
    table.results, table.prompts = {(r.k, 0): r}, {(r.k, 0): version}
    return table


def dev_study(
    lm: Any,
    task: Any,
    *,
    techniques: tuple[Technique, ...] = TECHNIQUES,
    n: int | None = DEV_N,
    progress: bool = False,
) -> Table:
    """``kshot_draws`` of every technique on the same dev tickets, with a technique column.

    ``table.results`` and ``table.prompts`` are keyed by (technique name, k, draw).
    """
    rows, results, prompts = [], {}, {}
    for tech in techniques:
        draws = _version_draw(lm, task, tech, n) if tech.version else kshot_draws(
            lm, task, tech.ks, draws=tech.draws, split="dev", n=n, calibrate=tech.calibrate,
            per_ticket=tech.per_ticket, progress=progress,
        )  # fmt: skip
        rows += [{"technique": tech.name, **row} for row in draws]
        for (k, draw), result in draws.results.items():
            results[(tech.name, k, draw)] = result
            prompts[(tech.name, k, draw)] = draws.prompts[(k, draw)]
    table = Table(rows)
    table.results, table.prompts = results, prompts
    return table


def study_summary(study: Table) -> Table:
    """One row per (technique, k): draws, mean, min, max, spread, tokens, seconds per query."""
    rows = []
    for name in dict.fromkeys(study.column("technique")):
        mine = [r for r in study if r["technique"] == name]
        rows += [{"technique": name, **row} for row in draw_summary(mine)]
    return Table(rows)


def choose(study: Table) -> dict[str, Any]:
    """The technique and k with the best mean dev accuracy (fewer tokens on a tie), and its
    draw with the best dev accuracy (the lower draw on a tie)."""
    summary = study_summary(study)
    top = max(summary, key=lambda r: (r["mean"], -r["tokens_per_request"]))
    mine = [r for r in study if r["technique"] == top["technique"] and r["k"] == top["k"]]
    draw = max(mine, key=lambda r: (r["accuracy"], -r["draw"]))
    return {"technique": top["technique"], "k": top["k"], "draw": draw["draw"],
            "dev_accuracy": draw["accuracy"], "dev_mean": top["mean"]}  # fmt: skip


@dataclass(frozen=True)
class BestPrompt:
    """The prompt chosen on dev (``technique``, ``k``, ``draw``, ``prompt``, ``calibrate``),
    its dev accuracy and its technique's mean over draws, and its ``test`` Evaluation."""

    technique: str
    k: int
    draw: int
    calibrate: bool
    prompt: Any
    dev_accuracy: float
    dev_mean: float
    dev_n: int
    test: Evaluation

    def __str__(self) -> str:
        return (
            f"chosen on {self.dev_n} dev tickets: {self.technique}, k={self.k}, draw "
            f"{self.draw} (dev {self.dev_accuracy:.3f}; mean over its draws {self.dev_mean:.3f}); "
            f"on the {self.test.n} test tickets: accuracy {self.test.interval}"
        )


def best_dev_prompt(
    lm: Any, task: Any, *, techniques: tuple[Technique, ...] = TECHNIQUES, n: int | None = DEV_N
) -> BestPrompt:
    """The best prompt by ``choose`` on the dev study, scored on the whole test split."""
    study = dev_study(lm, task, techniques=techniques, n=n)
    pick = choose(study)
    tech = next(t for t in techniques if t.name == pick["technique"])
    prompt = study.prompts[(tech.name, pick["k"], pick["draw"])]
    test = evaluate(lm, task, prompt, split="test", calibrate=tech.calibrate)
    dev_n = study.results[(tech.name, pick["k"], pick["draw"])].n
    return BestPrompt(tech.name, pick["k"], pick["draw"], tech.calibrate, prompt,
                      pick["dev_accuracy"], pick["dev_mean"], dev_n, test)  # fmt: skip
