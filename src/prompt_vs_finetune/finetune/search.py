"""The queue recipe search: a few honest settings tried before any verdict on the queue fine-tune.

Each setting is a ``fine_tune`` recipe on the queue task (``recipes.train_recipe``): the
course's original 40-step recipe, then longer budgets with early stopping, a larger
learning rate, adapters in every layer, and a run that starts from the category
fine-tune. Every run is scored on the whole test split with the 0-shot queue prompt, the
same prompt the base model gets in lesson 06, and compared with that base model item by
item (``measure.intervals.paired``). A recipe *learns the codes* (``judge``) when it beats
the base model at the 5% level and its accuracy lies inside the category fine-tune's
interval.

``benchmarks/recipe_search.py`` runs the search and writes ``recipe_search.json`` next to
this module; ``stored_search`` reads it back (None when it was never run), so a lesson
can show the table and the dev curves without training anything.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from prompt_vs_finetune.data import load_tickets
from prompt_vs_finetune.finetune.recipes import course_run, train_recipe
from prompt_vs_finetune.measure.evaluate import evaluate
from prompt_vs_finetune.measure.intervals import Rate, correct_of, paired, rate
from prompt_vs_finetune.model.choice import DEFAULT_MODEL, configured_name
from prompt_vs_finetune.prompting.fewshot import build_prompt

__all__ = [
    "ALPHA",
    "SEARCH",
    "SEARCH_FILE",
    "judge",
    "rate_dict",
    "references",
    "search_curves",
    "search_row",
    "search_table",
    "stored_search",
]

#: The level of the paired test a recipe must pass against the base model.
ALPHA = 0.05
SEARCH_FILE = Path(__file__).with_name("recipe_search.json")
_STOP = {"eval_every": 20, "patience": 3}

#: setting -> queue recipe options (``start``: the course run whose model it starts from).
SEARCH: dict[str, dict[str, Any]] = {
    "old course recipe: 40 steps": {},
    "budget 200, lr 5e-3": {"steps": 200, "lr": 5e-3, **_STOP},
    "budget 200, lr 1e-2": {"steps": 200, "lr": 1e-2, **_STOP},
    "budget 200, lr 2e-2": {"steps": 200, "lr": 2e-2, **_STOP},
    "budget 200, lr 1e-2, all 30 layers": {"steps": 200, "lr": 1e-2, "top_layers": None, **_STOP},
    "from category run, budget 100": {"start": "category", "steps": 100, **_STOP},
    "from category run, budget 200, lr 1e-2": {
        "start": "category", "steps": 200, "lr": 1e-2, **_STOP,
    },
    "from category run, budget 120, lr 1e-2": {
        "start": "category", "steps": 120, "lr": 1e-2, **_STOP,
    },
    "the same, seed 1": {
        "start": "category", "steps": 120, "lr": 1e-2, "seed": 1, **_STOP,
    },
    "from category run, budget 120, lr 1e-2, top 4 layers": {
        "start": "category", "steps": 120, "lr": 1e-2, "top_layers": 4, **_STOP,
    },
}  # fmt: skip


def rate_dict(r: Rate) -> dict[str, float]:
    """A Rate as plain JSON: value, low, high, n."""
    return {"value": r.value, "low": r.low, "high": r.high, "n": r.n}


def references(*, progress: bool = False) -> dict[str, Any]:
    """The test Evaluations a queue fine-tune is judged by: ``base`` (the base model with the
    0-shot queue prompt, lesson 06's first condition) and ``category`` (the category run)."""
    from prompt_vs_finetune.model.loading import load_model

    queues, tickets = load_tickets("queue"), load_tickets("category")
    return {
        "base": evaluate(load_model(verbose=False), queues, build_prompt(queues, k=0)),
        "category": evaluate(course_run("category", progress=progress).lm, tickets, k=0),
    }


def judge(base: Any, tuned: Any, category: Any) -> dict[str, Any]:
    """Does a queue fine-tune learn the codes? ``base`` and ``tuned`` are Evaluations on the
    same test tickets, ``category`` the category fine-tune's. Returns ``test`` (Rate),
    ``vs_base`` (Paired: tuned minus base), ``category`` (Rate) and ``learns``: it beats the
    base model at the ``ALPHA`` level and its accuracy lies inside the category interval."""
    test, category_rate = rate(correct_of(tuned)), rate(correct_of(category))
    vs_base = paired(correct_of(base), correct_of(tuned))
    beats = vs_base.difference > 0 and vs_base.p_value < ALPHA
    inside = category_rate.low <= test.value <= category_rate.high
    return {"test": test, "vs_base": vs_base, "category": category_rate, "learns": beats and inside}


def search_row(
    setting: str, options: dict[str, Any], refs: dict[str, Any], *, progress: bool = False
) -> dict[str, Any]:
    """Train (or load) one setting, score it on test, judge it against ``references()``."""
    queues = load_tickets("queue")
    start = time.perf_counter()
    run = train_recipe("queue", options, progress=progress)
    wall = time.perf_counter() - start
    tuned = evaluate(run.lm, queues, build_prompt(queues, k=0))
    judged = judge(refs["base"], tuned, refs["category"])
    vs_base = judged["vs_base"]
    return {
        "setting": setting,
        "options": options,
        "budget": run.config["steps"],
        "steps_run": run.steps_run,
        "best_step": run.best_step if run.best_step is not None else run.steps_run,
        "seconds": run.seconds,
        "call_seconds": wall,
        "threads": run.info.get("threads"),
        "dev": run.dev_accuracy,
        "dev_curve": [list(point) for point in run.dev_curve],
        "losses": run.losses,
        "test": rate_dict(judged["test"]),
        "diff": vs_base.difference,
        "diff_low": vs_base.low,
        "diff_high": vs_base.high,
        "p_value": vs_base.p_value,
        "learns": judged["learns"],
    }


def stored_search(path: Path | str | None = None) -> dict[str, Any] | None:
    """The search that ``benchmarks/recipe_search.py`` recorded, or None if it never ran.

    Also None when the search was run on another model than the course's (its ``model``,
    the default model when it names none): one model's search is no evidence for another.
    """
    path = Path(path) if path is not None else SEARCH_FILE
    if not path.is_file():
        return None
    search = json.loads(path.read_text())
    return search if search.get("model", DEFAULT_MODEL) == configured_name() else None


def search_curves(search: dict[str, Any]) -> dict[str, Any]:
    """Each setting's loss and dev curves, ready for ``plot_loss`` / ``plot_dev_accuracy``."""
    from prompt_vs_finetune.finetune.diagnosis import RunCurves

    kept = {"losses", "dev_curve", "seconds", "best_step"}
    return {
        row["setting"]: RunCurves.from_dict({k: v for k, v in row.items() if k in kept})
        for row in search["rows"]
    }


def search_table(search: dict[str, Any]) -> Any:
    """One row per setting: steps, seconds, dev and test accuracy, the paired test vs base."""
    from prompt_vs_finetune.ui.tables import Table

    return Table(
        {
            "setting": row["setting"],
            "steps (best / run / budget)": f"{row['best_step']} / {row['steps_run']} / "
            f"{row['budget']}",
            "seconds": round(row["seconds"]),
            "dev acc": round(row["dev"], 3),
            "test acc [95% CI]": f"{row['test']['value']:.3f} "
            f"[{row['test']['low']:.3f}, {row['test']['high']:.3f}]",
            "vs base [95% CI]": f"{row['diff']:+.3f} [{row['diff_low']:+.3f}, "
            f"{row['diff_high']:+.3f}]",
            "McNemar p": float(f"{row['p_value']:.2g}"),
            "learns the codes": row["learns"],
        }
        for row in search["rows"]
    )
