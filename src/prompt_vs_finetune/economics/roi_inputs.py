"""ROI comparison: turn the measured inputs into ``roi.roi_curves`` (claim C18).

``roi`` draws cumulative value month by month; this module decides *what goes in*:

* the accuracy of each prompt version of lesson 08 (``prompt_iteration.TICKET_VERSIONS``,
  read from the results store, measured now if lesson 08 has not run) and, on the same
  tickets, the accuracy of the fine-tuned model (``prompt_versions``); an edit that did
  not help is reverted, so prompting earns at the best accuracy so far
  (``kept_accuracies``);
* both approaches' cost per request, from measured tokens: the best prompt version's
  prompt for prompting, the 0-shot prompt for the fine-tuned model;
* the upfront cost of fine-tuning, from the measured training time
  (``costs.fine_tune_upfront_cost`` via ``scaling.upfront``).

What cannot be measured on a laptop comes from ``assumptions.Assumptions`` (the value of
a correct answer, hours per prompt version, the opportunity cost, volumes and months); the
lesson's widget lets a learner change each one. ``scenarios`` runs the curves at several
volumes; ``cost_items`` lists what each approach pays besides its requests, to set the two
named scenarios side by side. ``roi_ends`` builds the two ends of the range over which the
rule of C18 in ``claims`` checks the claim: both scenarios, and every accuracy moved to an
end of its 95% interval.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from typing import Any

from prompt_vs_finetune.economics.assumptions import (
    DEFAULT_ASSUMPTIONS,
    Assumptions,
    Prices,
    as_assumptions,
)
from prompt_vs_finetune.economics.costs import cost_per_request
from prompt_vs_finetune.economics.measured import TUNED_RUN, recipe
from prompt_vs_finetune.economics.presets import presets_or_default
from prompt_vs_finetune.economics.roi import (
    crossover_month,
    payback_month,
    roi_curves,
    version_gains,
)
from prompt_vs_finetune.economics.scaling import upfront
from prompt_vs_finetune.measure.intervals import Rate, rate
from prompt_vs_finetune.model.choice import configured_name
from prompt_vs_finetune.model.loading import LoadedModel
from prompt_vs_finetune.prompting.versions import kept_accuracies
from prompt_vs_finetune.store.results import cached
from prompt_vs_finetune.ui.tables import Table

__all__ = [
    "ENDS",
    "VERSIONS_N",
    "VERSIONS_SPLIT",
    "cost_items",
    "kept_accuracies",
    "plateau",
    "prompt_versions",
    "roi_ends",
    "roi_inputs",
    "scenarios",
    "versions_table",
]

VERSIONS_SPLIT = "dev"  # where lesson 08 measures its prompt versions
VERSIONS_N = 60
#: The two ends of the range C18 is checked over (see ``roi_ends``).
ENDS = ("prompting at its best", "fine-tuning at its best")


def prompt_versions(
    lm: LoadedModel | None = None,
    *,
    split: str = VERSIONS_SPLIT,
    n: int = VERSIONS_N,
    seed: int = 0,
) -> dict[str, Any]:
    """Accuracy and tokens per request of each prompt version, and of the fine-tuned model.

    The versions are lesson 08's (``prompt_iteration.TICKET_VERSIONS``), measured with
    ``prompting.iteration.measure_versions`` on ``n`` tickets of ``split``, which reads lesson
    08's stored numbers when they are there. The fine-tuned model (``course_run
    ("category")``, 0-shot) is scored on the same tickets, so the two accuracies compare
    like with like. Returns names, changes, accuracies, tokens (lists, in version order),
    tuned_accuracy, tuned_tokens, split and n; cached as a whole (kind
    ``roi-prompt-versions``), so a warm cache needs no model.
    """
    from prompt_vs_finetune.data import load_tickets
    from prompt_vs_finetune.prompting.versions import TICKET_VERSIONS

    task = load_tickets("category")
    inputs = {
        "model": configured_name() if lm is None else lm.name,
        "task": task.name,
        "split": split,
        "n": n,
        "seed": seed,
        "versions": [{**asdict(v), "prompt": v.build(task).key()} for v in TICKET_VERSIONS],
        "tuned": recipe(TUNED_RUN),
    }

    def compute() -> dict[str, Any]:
        from prompt_vs_finetune.finetune.recipes import course_run
        from prompt_vs_finetune.measure.evaluate import evaluate
        from prompt_vs_finetune.model.loading import load_model
        from prompt_vs_finetune.prompting.iteration import measure_versions

        base = lm if lm is not None else load_model(verbose=False)
        rows = measure_versions(base, task, TICKET_VERSIONS, split=split, n=n, seed=seed)
        tuned_lm = course_run(TUNED_RUN, progress=False).lm
        tuned = evaluate(tuned_lm, task, k=0, split=split, n=n, seed=seed)
        return {
            "names": rows.column("version"),
            "changes": rows.column("change"),
            "accuracies": rows.column("accuracy"),
            "tokens": rows.column("tokens"),
            "tuned_accuracy": tuned.accuracy,
            "tuned_tokens": tuned.mean_tokens,
            "split": split,
            "n": n,
        }

    return cached("roi-prompt-versions", inputs, compute)


def _interval(accuracy: float, n: int) -> Rate:
    """The 95% Wilson interval of an accuracy measured on ``n`` items."""
    return rate(round(accuracy * n), n)


def versions_table(versions: dict[str, Any]) -> Table:
    """Each prompt version (what changed, measured accuracy with its 95% Wilson interval on
    the ``versions["n"]`` tickets, accuracy of the prompt kept in use, tokens per request)
    and, last, the fine-tuned model on the same tickets."""
    n = int(versions["n"])
    kept = kept_accuracies(versions["accuracies"])
    names = [*versions["names"], "fine-tuned"]
    changes = [*versions["changes"], "course_run('category'), 0-shot prompt"]
    accuracies = [*versions["accuracies"], versions["tuned_accuracy"]]
    tokens = [*versions["tokens"], versions["tuned_tokens"]]
    rows = []
    for name, change, acc, best, count in zip(names, changes, accuracies, [*kept, None], tokens,
                                              strict=True):  # fmt: skip
        interval = _interval(acc, n)
        rows.append({"version": name, "change": change, "accuracy": acc, "low": interval.low,
                     "high": interval.high, "kept": best, "tokens_per_request": count})  # fmt: skip
    return Table(rows)


def roi_inputs(
    measured: dict[str, Any],
    versions: dict[str, Any],
    assumptions: Assumptions | Prices | None = None,
) -> dict[str, Any]:
    """Keyword arguments for ``roi.roi_curves`` (and ``widgets.roi_explorer``).

    ``measured`` is ``measured_inputs(...)`` (answer tokens, training time); ``versions``
    is ``prompt_versions(...)``: the accuracy of each prompt version in order, the tuned
    accuracy on the same tickets, and tokens per request. Prompting earns, after each
    version, at the accuracy of the prompt kept in use (``kept_accuracies``: an edit that
    did not help is reverted), and is priced with the tokens of its most accurate version
    (the one it ends up running). Every version tried costs ``prompt_dev_cost``. Volume,
    value per answer, opportunity cost, months and hours come from ``assumptions``. The
    dict holds every ``roi_curves`` keyword plus ``months`` (so ``roi_curves(**inputs)``
    works).
    """
    a = as_assumptions(assumptions)
    p = a.prices
    accuracies = list(versions["accuracies"])
    best = max(range(len(accuracies)), key=lambda i: (accuracies[i], -i))
    c_prompt = cost_per_request(versions["tokens"][best], measured["tokens_out"], p)
    c_tuned = cost_per_request(versions["tuned_tokens"], measured["tokens_out"], p, tuned=True)
    return {
        "months": int(a.roi_months),
        "volume_per_month": float(a.high_volume),
        "value_per_correct_answer": float(a.value_per_correct_answer),
        "opportunity_cost_per_month": float(a.opportunity_cost_per_month),
        "accuracy_prompt": kept_accuracies(accuracies),
        "accuracy_tuned": float(versions["tuned_accuracy"]),
        "cost_per_request_prompt": c_prompt,
        "cost_per_request_tuned": c_tuned,
        "fine_tune_upfront": upfront(measured, a).total,
        "prompt_dev_cost": a.prompt_hours_per_version * p.engineer_hourly,
        "prompt_versions_per_month": a.prompt_versions_per_month,
        "build_months": a.build_months,
    }


def plateau(accuracies: Sequence[float]) -> dict[str, Any]:
    """How quickly prompt iteration flattens, from the accuracy after each version.

    ``share_at_half``: share of the whole improvement (first version to best) already
    reached halfway through the versions; ``version_at_90``: index of the first version
    reaching 90% of it; ``biggest_gain`` and ``biggest_at``: the largest single step and the
    index of the version that made it; ``second_half_gain``: what the versions after the
    halfway point added together.
    """
    rows = version_gains(list(accuracies))
    shares = rows.column("share_of_best_gain")
    half = math.ceil((len(shares) - 1) / 2)
    gains = [(g, i) for i, g in enumerate(rows.column("gain")) if g is not None]
    biggest, at = max(gains, key=lambda gi: (gi[0], -gi[1])) if gains else (0.0, 0)
    return {
        "versions": len(shares),
        "best_gain": max(accuracies) - accuracies[0],
        "share_at_half": shares[half],
        "version_at_90": next(i for i, s in enumerate(shares) if s >= 0.9),
        "biggest_gain": biggest,
        "biggest_at": at,
        "second_half_gain": accuracies[-1] - accuracies[half],
    }


def scenarios(inputs: dict[str, Any], volumes: Iterable[float] | None = None) -> Table:
    """The ROI curves at each monthly volume, summed up as one row each.

    ``volumes`` default to the low, mid and high volumes of the default assumptions.

    Columns: requests_per_month, payback_prompting, payback_fine_tuning,
    crossover (month fine-tuning overtakes prompting), crossover_net_of_opportunity,
    prompting and fine_tuning (cumulative value at the last month). None = not within
    the horizon.
    """
    if volumes is None:
        a = DEFAULT_ASSUMPTIONS
        volumes = (a.low_volume, a.mid_volume, a.high_volume)
    rows = []
    for volume in volumes:
        curve = roi_curves(**{**inputs, "volume_per_month": volume})
        last = curve[-1]
        rows.append(
            {
                "requests_per_month": volume,
                "payback_prompting": payback_month(curve, "prompting"),
                "payback_fine_tuning": payback_month(curve, "fine_tuning"),
                "crossover": crossover_month(curve, "fine_tuning", "prompting"),
                "crossover_net_of_opportunity": crossover_month(
                    curve, "fine_tuning_net_of_opportunity", "prompting"
                ),
                "prompting": last["prompting"],
                "fine_tuning": last["fine_tuning"],
            }
        )
    return Table(rows)


def cost_items(inputs: dict[str, Any]) -> dict[str, float]:
    """What the ROI account pays besides its requests, over ``inputs["months"]``: the
    fine-tune's upfront bill, every prompt version written, and the opportunity cost."""
    months = int(inputs["months"])
    written = min(len(inputs["accuracy_prompt"]), months * inputs["prompt_versions_per_month"])
    return {
        "fine-tune up front": float(inputs["fine_tune_upfront"]),
        "prompt versions written": written * float(inputs["prompt_dev_cost"]),
        "opportunity cost": months * float(inputs["opportunity_cost_per_month"]),
    }


def _moved(versions: dict[str, Any], prompt_side: str, tuned_side: str) -> dict[str, Any]:
    """``versions`` with every accuracy moved to the ``low`` or ``high`` end of its 95%
    Wilson interval on the ``versions["n"]`` tickets it was measured on."""
    n = int(versions["n"])

    def end(accuracy: float, side: str) -> float:
        return getattr(_interval(accuracy, n), side)

    return {**versions,
            "accuracies": [end(acc, prompt_side) for acc in versions["accuracies"]],
            "tuned_accuracy": end(versions["tuned_accuracy"], tuned_side)}  # fmt: skip


def roi_ends(
    measured: dict[str, Any],
    versions: dict[str, Any],
    presets: dict[str, Assumptions] | None = None,
) -> dict[str, dict[str, Any]]:
    """The two ends of the range of C18's inputs, as ``roi_inputs`` dicts by end (``ENDS``).

    "prompting at its best": every prompt version's accuracy at the top of its 95% interval,
    the fine-tune's at the bottom, under the scenario whose fine-tune costs most up front;
    "fine-tuning at its best": the reverse, under the scenario whose fine-tune costs least.
    Each value holds ``preset`` (the scenario's name), ``inputs`` (for ``roi_curves``) and
    ``n`` (the tickets the accuracies were measured on).
    """
    chosen = presets_or_default(presets)
    by_upfront = sorted(chosen, key=lambda name: upfront(measured, chosen[name]).total)
    sides = {ENDS[0]: ("high", "low", by_upfront[-1]), ENDS[1]: ("low", "high", by_upfront[0])}
    return {
        end: {"preset": name, "n": int(versions["n"]),
              "inputs": roi_inputs(measured, _moved(versions, p_side, t_side), chosen[name])}
        for end, (p_side, t_side, name) in sides.items()
    }  # fmt: skip
