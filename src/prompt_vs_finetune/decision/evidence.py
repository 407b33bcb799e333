"""The decision tool judged by prediction (claim C19): cases, measured winners, agreement.

A *case* is one declared task (``tasks.TASKS``) at one monthly volume (``VOLUMES``) and
one change rate (``tasks.CHANGE_RATES``). For each case the tool *predicts* from the
task's declared properties only (``tasks.predict``; a hybrid counts as fine-tuning, since
it trains a model), and measurement names the *winner*:

* **accuracy** - the best prompt and the course fine-tune of the task, both scored on the
  whole test split by lessons 05-07 and read from the results store (``measured_pairs``).
  Each side is chosen on dev, never on test: among the stored test evaluations, the one
  whose prompt (or fine-tune) scored best on a dev evaluation; a candidate never scored
  on dev is not chosen, unless no candidate was (then the most recently stored one). The
  two are compared item by item (``measure.intervals.paired``).
* **cost at that volume**, over the horizon H (``Assumptions.horizon_months``), with c
  changes of requirements in it (``CHANGES_PER_YEAR``): prompting pays its requests plus
  (1 + c) prompt versions (``prompt_hours_per_version`` of an engineer); fine-tuning pays
  its requests plus (1 + c) fine-tuning projects (``costs.fine_tune_upfront_cost`` of the
  task's measured training time), since a change means new labels, a run and new tests.
* **the rule** - every correct answer is worth ``value_per_correct_answer``. When the 95%
  interval of the paired difference (fine-tune minus prompt) lies on one side of zero, the
  fine-tune's extra accuracy is worth H x V x value x difference (negative when it is
  worse). When the interval straddles zero the two are *not separable* on these items:
  their accuracies count as equal and the cheaper one at that volume wins. Fine-tuning wins
  at volumes at or above ``break_even`` = (extra up-front cost) / (H x (saving per request
  + value of the extra accuracy per request)); with no accuracy term this is
  ``costs.break_even_requests``.

Left out on purpose: the month of building, hosting a dedicated model and opportunity
cost, which would all raise the break-even. The cases form a grid over a few tasks, not
a random sample of projects: the agreement's interval speaks for cases like these.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from prompt_vs_finetune.claims.verdict import INCONCLUSIVE, status_of
from prompt_vs_finetune.decision.tasks import CHANGE_RATES, TASKS, TaskProfile, predict
from prompt_vs_finetune.economics.assumptions import Assumptions, as_assumptions
from prompt_vs_finetune.economics.costs import cost_per_request, fine_tune_upfront_cost
from prompt_vs_finetune.finetune.recipes import COURSE_RUNS
from prompt_vs_finetune.measure.evaluate import KIND
from prompt_vs_finetune.measure.intervals import Paired, Rate, correct_of, paired, rate
from prompt_vs_finetune.model.choice import configured_name
from prompt_vs_finetune.store.results import ResultsStore
from prompt_vs_finetune.ui.tables import Table

__all__ = [
    "CHANGES_PER_YEAR",
    "VOLUMES",
    "MeasuredPair",
    "Scored",
    "break_even",
    "case_rows",
    "measured_pairs",
    "pair_table",
]

#: Monthly volumes of the cases: low, middle and high volume of the course, and ten times high.
VOLUMES: tuple[int, ...] = (10_000, 100_000, 1_000_000, 10_000_000)
#: Changes of requirements a year at each change rate (course assumption): "rarely" is less
#: than once a year, "sometimes" once a quarter, "often" every month.
CHANGES_PER_YEAR: dict[str, int] = {"rarely": 0, "sometimes": 4, "often": 12}


@dataclass(frozen=True)
class Scored:
    """One side of a comparison: a model and prompt scored on the test split."""

    model: str
    prompt_key: str
    calibrated: bool
    dev_accuracy: float | None
    ids: list[str]
    correct: list[int]
    tokens: float

    @property
    def accuracy(self) -> Rate:
        """Test accuracy with its 95% Wilson interval."""
        return rate(self.correct)


@dataclass(frozen=True)
class MeasuredPair:
    """The best prompt and the fine-tune of a task on the same test items, compared."""

    task: TaskProfile
    prompt: Scored
    tuned: Scored
    comparison: Paired

    @property
    def separable(self) -> bool:
        """True when the paired difference's 95% interval lies on one side of zero."""
        return status_of(self.comparison.low, self.comparison.high) != INCONCLUSIVE

    @property
    def difference_used(self) -> float:
        """The accuracy difference the winner rule counts: 0 when not separable."""
        return self.comparison.difference if self.separable else 0.0


def _stored(store: ResultsStore, task: TaskProfile) -> list[dict[str, Any]]:
    """Stored evaluations of the task on whole splits, without added context, oldest first."""
    return [
        row for row in store.entries(KIND)
        if row["inputs"].get("task") == task.store_task
        and row["inputs"].get("instance") is None and row["inputs"].get("examples") is None
    ]  # fmt: skip


def _dev_accuracy(store: ResultsStore, rows: list[dict[str, Any]], test: dict) -> float | None:
    """The accuracy of the same model, prompt and calibration on its largest dev evaluation."""
    same = ("model", "prompt", "calibrate")
    found = [
        store.get(KIND, row["inputs"]) for row in rows
        if row["inputs"].get("split") == "dev" and all(row["inputs"][k] == test[k] for k in same)
    ]  # fmt: skip
    found = [result for result in found if result is not None]
    return max(found, key=lambda r: r["n"])["accuracy"] if found else None


def _choose(store: ResultsStore, rows: list[dict[str, Any]], model_ok: Any) -> Scored | None:
    """Among the test evaluations whose model passes ``model_ok``, the one chosen on dev."""
    found = []
    for inputs in (row["inputs"] for row in rows):
        if inputs.get("split") != "test" or inputs.get("n") is not None:
            continue
        result = store.get(KIND, inputs) if model_ok(inputs["model"]) else None
        if result is None:
            continue
        tokens = sum(result["tokens_per_request"]) / len(result["tokens_per_request"])
        correct = correct_of(SimpleNamespace(**result))
        found.append(Scored(inputs["model"], inputs["prompt"], inputs["calibrate"],
                            _dev_accuracy(store, rows, inputs), result["ids"], correct, tokens))
    on_dev = [s for s in found if s.dev_accuracy is not None]
    if on_dev:
        return max(on_dev, key=lambda s: (s.dev_accuracy, -s.tokens))
    return found[-1] if found else None


def _pair(task: TaskProfile, store: ResultsStore) -> MeasuredPair:
    """The task's measured pair; LookupError saying what is missing."""
    if task.run is None:
        raise LookupError("the course trains no fine-tune for this task")
    rows = _stored(store, task)
    method = COURSE_RUNS[task.run][1].get("method", "lora")
    base = configured_name()  # the course model's results only: two models never mix
    prompt = _choose(store, rows, lambda model: model == base)
    tuned = _choose(store, rows, lambda model: model.startswith(f"{base}+{method}-"))
    if prompt is None or tuned is None:
        side = "prompt" if prompt is None else "fine-tune"
        raise LookupError(f"no {side} of this task is scored on the whole test split yet")
    if prompt.ids != tuned.ids:
        raise LookupError("the prompt and the fine-tune were scored on different test items")
    return MeasuredPair(task, prompt, tuned, paired(prompt.correct, tuned.correct))


def measured_pairs(
    store: ResultsStore | None = None,
) -> tuple[dict[str, MeasuredPair], dict[str, str]]:
    """Each declared task's measured pair, by task name, and why the other tasks have none."""
    store = store if store is not None else ResultsStore(verbose=False)
    pairs, left_out = {}, {}
    for task in TASKS:
        try:
            pairs[task.name] = _pair(task, store)
        except LookupError as why:
            left_out[task.name] = str(why)
    return pairs, left_out


def pair_table(pairs: dict[str, MeasuredPair]) -> Table:
    """The measured pairs: each side's test accuracy [95% interval], the paired difference
    with McNemar's p-value, and whether the two are separable."""
    rows = []
    for name, pair in pairs.items():
        p, t, c = pair.prompt.accuracy, pair.tuned.accuracy, pair.comparison
        rows.append({
            "task": name, "prompt (test)": str(p), "fine-tune (test)": str(t),
            "fine-tune minus prompt": f"{c.difference:+.3f} [{c.low:+.3f}, {c.high:+.3f}]",
            "McNemar p": c.p_value, "separable": pair.separable,
            "tokens/request prompt": pair.prompt.tokens, "tokens/request tuned": pair.tuned.tokens,
        })  # fmt: skip
    return Table(rows)


def break_even(
    pair: MeasuredPair,
    change_rate: str,
    measured: dict[str, Any],
    assumptions: Assumptions | None = None,
) -> float | None:
    """Requests a month at and above which fine-tuning wins (None: it never does).

    ``measured`` gives ``tokens_out`` and ``train_seconds_by_run`` (``measured_inputs``).
    """
    a = as_assumptions(assumptions)
    changes = CHANGES_PER_YEAR[change_rate] * a.horizon_months / 12
    train_seconds = measured["train_seconds_by_run"][pair.task.run]
    project = fine_tune_upfront_cost(train_seconds, a).total
    version = a.prompt_hours_per_version * a.prices.engineer_hourly
    extra_upfront = (1 + changes) * (project - version)
    c_prompt = cost_per_request(pair.prompt.tokens, measured["tokens_out"], a.prices)
    c_tuned = cost_per_request(pair.tuned.tokens, measured["tokens_out"], a.prices, tuned=True)
    gain = c_prompt - c_tuned + a.value_per_correct_answer * pair.difference_used
    if extra_upfront <= 0:
        return 0.0 if gain >= 0 else None
    return extra_upfront / (a.horizon_months * gain) if gain > 0 else None


def case_rows(
    pairs: dict[str, MeasuredPair],
    measured: dict[str, Any],
    assumptions: Assumptions | None = None,
    volumes: Iterable[float] = VOLUMES,
) -> Table:
    """One row per case: the tool's prediction, the measured winner, and whether they agree.

    Columns: task, requests_per_month, changes, predicted (the tool's choice), winner
    ("prompting" or "fine-tuning"), break_even (of that task and change rate) and agrees
    (a hybrid prediction agrees with a fine-tuning winner).
    """
    rows, volumes = [], list(volumes)
    for name, pair in pairs.items():
        for change in CHANGE_RATES:
            be = break_even(pair, change, measured, assumptions)
            for volume in volumes:
                choice = predict(pair.task, volume, change)
                winner = "fine-tuning" if be is not None and volume >= be else "prompting"
                side = "prompting" if choice == "prompting" else "fine-tuning"
                rows.append({"task": name, "requests_per_month": volume, "changes": change,
                             "predicted": choice, "winner": winner, "break_even": be,
                             "agrees": side == winner})  # fmt: skip
    return Table(rows)
