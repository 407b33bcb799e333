"""Every number of a study, derived from its stored steps: ``study_json(study)``.

Accuracies get 95% Wilson intervals (``measure.intervals.rate``); the fine-tune against the
best prompt, and the best prompt against 0-shot, are paired differences on the same test
items with a bootstrap interval and McNemar's exact test (``paired``). A difference reads
"ahead" or "behind" only when its interval lies on one side of zero, else "inconclusive",
with about how many items would settle it (``items_to_settle``). Costs come from the
economics presets (``economics.assumptions.PRESETS``) through ``economics.scaling``.

The decision tool's questions are answered like this (``DEFAULT_ANSWERS``, then what is
measured, then the learner's own answers, which win): the volume is the cost assumptions'
middle volume; requirements change "sometimes"; the team is lesson 11's (ML skills, a
medium budget); no hard need is assumed; the labelled examples are the rows the study
used; the break-even is the one measured under "a team on rented GPUs"; and prompting
counts as exhausted when the fine-tune is measurably ahead of the best prompt found on dev.
"""

from __future__ import annotations

import math
from typing import Any

from prompt_vs_finetune.decision.advice import DecisionInputs, recommend
from prompt_vs_finetune.decision.tasks import TEAM
from prompt_vs_finetune.economics import scaling
from prompt_vs_finetune.economics.assumptions import DEFAULT_ASSUMPTIONS, PRESETS
from prompt_vs_finetune.economics.costs import cost_per_request
from prompt_vs_finetune.measure.intervals import LEVEL, items_to_settle, paired, rate
from prompt_vs_finetune.store.results import jsonable

__all__ = ["CONDITIONS", "DECISION_PRESET", "DEFAULT_ANSWERS", "GENERATOR", "study_json"]

#: Marks the files the compare command writes (it overwrites no other file).
GENERATOR = "prompt_vs_finetune compare"
#: The three conditions, as the report names them.
CONDITIONS = {"zero_shot": "0-shot prompt", "best_prompt": "best few-shot prompt",
              "fine_tuned": "fine-tuned, 0-shot"}  # fmt: skip
#: The preset whose break-even the decision tool is given.
DECISION_PRESET = "a team on rented GPUs"
DEFAULT_ANSWERS: dict[str, Any] = {
    "monthly_requests": DEFAULT_ASSUMPTIONS.mid_volume,
    "requirement_changes": "sometimes",
    **TEAM,
}


def _correct(ev: dict[str, Any]) -> list[int]:
    return [int(g == p) for g, p in zip(ev["gold"], ev["predictions"], strict=True)]


def _accuracy(ev: dict[str, Any], baseline: float) -> dict[str, Any]:
    r = rate(_correct(ev))
    return {"value": r.value, "low": r.low, "high": r.high, "correct": r.successes, "n": r.n,
            "tokens_per_request": ev["tokens_per_request"], "k": ev["k"],
            "below_baseline": r.high < baseline}  # fmt: skip


def _reading(low: float, high: float) -> str:
    return "ahead" if low > 0 else "behind" if high < 0 else "inconclusive"


def _paired(a: dict[str, Any], b: dict[str, Any], names: tuple[str, str]) -> dict[str, Any]:
    """``b`` minus ``a`` on the same test items."""
    if a["ids"] != b["ids"]:
        raise ValueError("the two conditions were not scored on the same items")
    p = paired(_correct(a), _correct(b))
    return {"a": names[0], "b": names[1], "difference": p.difference, "low": p.low,
            "high": p.high, "p_value": p.p_value, "test": p.test, "n": p.n,
            "a_only": p.a_only, "b_only": p.b_only, "reading": _reading(p.low, p.high),
            "items_to_settle": items_to_settle(p)}  # fmt: skip


def _baseline(gold: list[str]) -> dict[str, Any]:
    """Always answering the commonest test label: the bar any method must clear."""
    top = max(sorted(set(gold)), key=gold.count)
    return {"label": top, "share": gold.count(top) / len(gold)}


def _prompt_search(results: dict[str, Any]) -> dict[str, Any]:
    best, search = results["best_prompt"], results["dev_search"]
    chosen = next(r for r in search["summary"]
                  if r["technique"] == best["technique"] and r["k"] == best["k"])  # fmt: skip
    keep = ("technique", "k", "draw", "calibrated", "dev_accuracy", "dev_n")
    return {**{k: best[k] for k in keep}, "draws": chosen["draws"], "dev_mean": chosen["mean"],
            "dev_min": chosen["min"], "dev_max": chosen["max"], "dev_spread": chosen["spread"],
            "summary": search["summary"], "rows": search["draws"]}  # fmt: skip


def _economics(results: dict[str, Any]) -> dict[str, Any]:
    """Break-even volume, upfront bill and cost per request under each preset."""
    measured = {"prompt_tokens_in": results["best_prompt"]["eval"]["tokens_per_request"],
                "tuned_tokens_in": results["fine_tuned"]["eval"]["tokens_per_request"],
                "tokens_out": results["best_prompt"]["answer_tokens"],
                "train_seconds": results["fine_tuned"]["train_seconds"]}  # fmt: skip
    presets = {}
    for name, a in PRESETS.items():
        tokens = measured["tokens_out"]
        presets[name] = {
            "break_even": scaling.break_even_volume(measured, a),
            "upfront": scaling.upfront(measured, a).total,
            "cost_per_request_prompt": cost_per_request(measured["prompt_tokens_in"], tokens, a),
            "cost_per_request_tuned": cost_per_request(
                measured["tuned_tokens_in"], tokens, a, tuned=True),
            "horizon_months": a.horizon_months, "currency": a.prices.currency,
        }  # fmt: skip
    return {"measured": measured, "presets": presets}


def _decision(data: dict[str, Any], answers: dict[str, Any]) -> dict[str, Any]:
    """The decision tool's answer: defaults, then measurements, then the learner's answers."""
    break_even = data["economics"]["presets"][DECISION_PRESET]["break_even"]
    ahead = data["comparisons"]["fine_tuned_vs_best_prompt"]["reading"] == "ahead"
    measured = {"labelled_examples": data["task"]["rows"], "prompting_exhausted": ahead,
                "break_even_volume": math.inf if break_even is None else break_even}
    chosen = {**DEFAULT_ANSWERS, **measured, **answers}
    rec = recommend(DecisionInputs(**chosen))
    sources = {name: "yours" if name in answers else "measured" if name in measured
               else "default" for name in chosen}  # fmt: skip
    shown = {**chosen, "break_even_volume": break_even if "break_even_volume" not in answers
             else chosen["break_even_volume"]}  # fmt: skip
    return {"choice": rec.choice, "summary": rec.summary, "answers": shown, "sources": sources,
            "preset": DECISION_PRESET,
            "reasons": [{"criterion": r.criterion, "effect": r.effect,
                         "explanation": r.explanation, "decisive": r.decisive}
                        for r in rec.reasons]}  # fmt: skip


def _task(study: Any) -> dict[str, Any]:
    t = study.task
    sizes = {s: len(t.split(s)) for s in ("train", "dev", "test")}
    return {"name": t.name, "labels": list(t.labels), "instruction": t.instruction,
            "sizes": sizes, "rows": sum(sizes.values())}  # fmt: skip


def _items(results: dict[str, Any]) -> list[dict[str, Any]]:
    evals = {name: results[name]["eval"] for name in CONDITIONS}
    first = evals["zero_shot"]
    return [{"id": i, "gold": g, **{name: ev["predictions"][j] for name, ev in evals.items()}}
            for j, (i, g) in enumerate(zip(first["ids"], first["gold"], strict=True))]  # fmt: skip


def study_json(study: Any) -> dict[str, Any]:
    """Every number of ``study`` (a ``Study``), as plain JSON."""
    r = study.results
    evals = {name: r[name]["eval"] for name in CONDITIONS}
    baseline = _baseline(evals["zero_shot"]["gold"])
    tuned = r["fine_tuned"]
    data: dict[str, Any] = {
        "generator": GENERATOR, "model": study.model, "task": _task(study), "level": LEVEL,
        "settings": jsonable(study.settings), "baseline": baseline,
        "accuracy": {name: _accuracy(ev, baseline["share"]) for name, ev in evals.items()},
        "comparisons": {
            "fine_tuned_vs_best_prompt": _paired(evals["best_prompt"], evals["fine_tuned"],
                                                 ("best_prompt", "fine_tuned")),
            "best_prompt_vs_zero_shot": _paired(evals["zero_shot"], evals["best_prompt"],
                                                ("zero_shot", "best_prompt")),
        },
        "prompt_search": _prompt_search(r),
        "fine_tune": {k: tuned[k] for k in ("steps_run", "best_step", "train_seconds",
                                            "dev_accuracy", "losses", "dev_curve")},
        "requests": {k: r["requests"][k] for k in ("n", "max_new_tokens", "conditions")},
        "conditions": CONDITIONS, "economics": _economics(r),
        "steps": study.timing, "items": _items(r),
    }  # fmt: skip
    data["decision"] = _decision(data, study.answers)
    return jsonable(data)
