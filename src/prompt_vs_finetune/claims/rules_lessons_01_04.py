"""The rules of claims C1-C7 (lessons 01 to 04): measurements in, a ``Verdict`` out."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from prompt_vs_finetune.claims.verdict import NOT_AT_THIS_SCALE, PARTLY, SUPPORTED, Verdict
from prompt_vs_finetune.finetune.risk import diverged
from prompt_vs_finetune.prompting.variants import C1_VARIANTS
from prompt_vs_finetune.prompting.versions import FINE_TUNE_KNOBS, PROMPT_KNOBS

__all__ = ["rule_c1", "rule_c2", "rule_c3", "rule_c4", "rule_c5", "rule_c6", "rule_c7"]

BIG_CHANGE = 0.25  # C1: "changes the output a lot"
HELPS = 0.10  # C1: an improvement of at least 4 tickets in 40
DEGRADED = 0.10  # C5: accuracy lost by a fine-tune that "broke the model"
SLOWER = 10.0  # C5: how many times longer retraining must take than a prompt rollback
EROSION = 0.05  # C6: fall of the mean probability of the right probe answers


def rule_c1(results: Sequence[dict[str, Any]], chance: float | None = None) -> Verdict:
    """C1 from the ``run_variant`` results of ``C1_VARIANTS`` (in that order).

    Wording matters when the spread (max - min) of accuracy or of format validity across
    variants is at least ``BIG_CHANGE``; a format instruction helps when the best
    format-instructed variant beats the bare question by ``HELPS`` in validity; step by
    step helps when the two-step variant beats "format + answer cue" by ``HELPS`` in
    accuracy. "supported": all three; "partly": wording matters but not every technique
    helped; "not at this scale": the wording barely changed anything. ``chance`` is only
    quoted in the sentence.
    """
    by_name = {r["variant"]: r for r in results}
    missing = {v.name for v in C1_VARIANTS} - set(by_name)
    if missing:
        raise ValueError(f"results are missing the variants {sorted(missing)}")
    acc = [r["accuracy"] for r in results]
    val = [r["format_validity"] for r in results]
    spread = max(max(acc) - min(acc), max(val) - min(val))
    bare = by_name["bare question"]
    formatted = max(
        by_name["one word from a list"]["format_validity"],
        by_name["format + answer cue"]["format_validity"],
    )
    format_gain = formatted - bare["format_validity"]
    step_gain = by_name["step by step"]["accuracy"] - by_name["format + answer cue"]["accuracy"]
    parts = [
        f"wording {'matters' if spread >= BIG_CHANGE else 'barely matters'} "
        f"(largest spread {spread:.0%})",
        f"a format instruction {'helps' if format_gain >= HELPS else 'does not help'} "
        f"(validity {format_gain:+.0%} over the bare question)",
        f"step by step {'helps' if step_gain >= HELPS else 'does not help'} "
        f"(accuracy {step_gain:+.0%} over one step)",
        f"accuracy ranges from {min(acc):.0%} to {max(acc):.0%}"
        + (f" (guessing gives {chance:.0%})" if chance is not None else ""),
    ]
    if spread < BIG_CHANGE:
        status = NOT_AT_THIS_SCALE
    else:
        status = SUPPORTED if format_gain >= HELPS and step_gain >= HELPS else PARTLY
    variants = {
        r["variant"]: {"accuracy": r["accuracy"], "format_validity": r["format_validity"]}
        for r in results
    }
    numbers = {"variants": variants, "spread": spread, "format_gain": format_gain,
               "step_gain": step_gain}  # fmt: skip
    return Verdict("C1", status, f"largest spread {spread:.0%}", numbers, "; ".join(parts) + ".")


def rule_c2(record: dict[str, Any]) -> Verdict:
    """C2 from ``weight_change_record``.

    "supported": prompting moved no weight at all (total change exactly 0) and the
    fine-tune moved some; "partly": only one of the two holds; "not at this scale": neither.
    """
    untouched = record["prompted_total"] == 0.0
    moved = record["tuned_total"] > 0.0
    sentence = (
        f"after prompting, {record['prompted_changed']:.0%} of the {record['n_params']:,} "
        f"weights differ (total change {record['prompted_total']:.3g}); after the fine-tune, "
        f"{record['tuned_changed']:.2%} differ (total change {record['tuned_total']:.3g})."
    )
    if untouched and moved:
        status = SUPPORTED
    else:
        status = PARTLY if untouched or moved else NOT_AT_THIS_SCALE
    keys = ("prompted_total", "tuned_total", "prompted_changed", "tuned_changed", "n_params")
    effect = (
        f"weights changed: {record['prompted_changed']:.0%} by prompting, "
        f"{record['tuned_changed']:.2%} by the fine-tune"
    )
    return Verdict("C2", status, effect, {k: record[k] for k in keys}, sentence)


def rule_c3(rows: Sequence[dict[str, Any]]) -> Verdict:
    """C3 from ``tokens_per_k`` rows (sorted by k here).

    "supported" when prompt tokens grow with every added example (so, at a price per
    token, does the cost of every request); "partly" when they grow overall but not at
    every step; "not at this scale" when the richest prompt is not longer than the bare one.
    """
    rows = sorted(rows, key=lambda r: r["k"])
    tokens = [r["prompt_tokens"] for r in rows]
    lat = [r["latency_p50"] for r in rows]
    ratio = tokens[-1] / tokens[0] if tokens[0] else math.inf
    lat_ratio = lat[-1] / lat[0] if lat[0] else math.inf
    sentence = (
        f"{rows[-1]['k']}-shot sends {tokens[-1]:.0f} prompt tokens per request vs "
        f"{tokens[0]:.0f} at {rows[0]['k']}-shot ({ratio:.1f}x, so {ratio:.1f}x the input "
        f"cost); median latency {lat[-1] * 1000:.0f} ms vs {lat[0] * 1000:.0f} ms "
        f"({lat_ratio:.1f}x)."
    )
    if all(b > a for a, b in zip(tokens, tokens[1:], strict=False)):
        status = SUPPORTED
    else:
        status = PARTLY if tokens[-1] > tokens[0] else NOT_AT_THIS_SCALE
    numbers = {"ks": [r["k"] for r in rows], "prompt_tokens": tokens, "latency_p50": lat}
    return Verdict("C3", status, f"{ratio:.1f}x the prompt tokens", numbers, sentence)


def rule_c4(summary: dict[str, Any]) -> Verdict:
    """C4 from ``break_even_summary``.

    Front-loaded: fine-tuning costs money before the first request (upfront > 0) and
    less per request afterwards. Depends on volume: at a tenth of the break-even volume
    prompting is cheaper over the horizon, at ten times it fine-tuning is. "supported"
    when both hold; "partly" when only the front-loading holds (for example when a tuned
    request is not cheaper, so there is no break-even); "not at this scale" otherwise.
    """
    upfront = float(summary["upfront"])
    cheaper_per_request = summary["cost_per_request_tuned"] < summary["cost_per_request_prompt"]
    flips = summary["cheaper_below"] == "prompting" and summary["cheaper_above"] == "fine-tuning"
    volume = summary["break_even"]
    where = "no break-even" if volume is None else f"break-even at {volume:,.0f} requests/month"
    sentence = (
        f"upfront {upfront:,.0f}; per request {summary['cost_per_request_prompt']:.6f} "
        f"(prompt) vs {summary['cost_per_request_tuned']:.6f} (tuned); {where} over "
        f"{summary['horizon_months']:g} months"
        + (
            f"; cheaper at a tenth of it: {summary['cheaper_below']}, at ten times: "
            f"{summary['cheaper_above']}."
            if volume is not None
            else "."
        )
    )
    if upfront > 0 and cheaper_per_request and flips:
        status = SUPPORTED
    else:
        status = PARTLY if upfront > 0 else NOT_AT_THIS_SCALE
    return Verdict("C4", status, where, {**summary, "upfront": upfront}, sentence)


def rule_c5(
    wrecked_losses: Sequence[float],
    base_accuracy: float,
    wrecked_accuracy: float,
    rollback: dict[str, Any],
    retrain_seconds: float,
) -> Verdict:
    """C5: a bad prompt is undone at once; a bad fine-tune can wreck the model.

    The fine-tune part holds when the wrecked run's loss ``diverged`` and its task
    accuracy fell at least ``DEGRADED`` below the base model's. The prompt part holds
    when the rollback restored the good prompt's accuracy exactly and retraining takes
    at least ``SLOWER`` times as long as the rollback. "supported": both; "partly": one;
    "not at this scale": neither.
    """
    blew_up = diverged(wrecked_losses)
    wrecked = blew_up and wrecked_accuracy <= base_accuracy - DEGRADED
    seconds = rollback["rollback_seconds"]
    ratio = retrain_seconds / seconds if seconds else math.inf
    restored = math.isclose(rollback["restored_accuracy"], rollback["good_accuracy"])
    recoverable = restored and ratio >= SLOWER
    sentence = (
        f"wrecked fine-tune: loss {'diverged' if blew_up else 'did not diverge'}, "
        f"accuracy {base_accuracy:.0%} -> {wrecked_accuracy:.0%}; bad prompt: accuracy "
        f"{rollback['good_accuracy']:.0%} -> {rollback['bad_accuracy']:.0%}, back to "
        f"{rollback['restored_accuracy']:.0%} in {seconds:.1f} s vs "
        f"{retrain_seconds:.0f} s to retrain ({ratio:.0f}x)."
    )
    if wrecked and recoverable:
        status = SUPPORTED
    else:
        status = PARTLY if wrecked or recoverable else NOT_AT_THIS_SCALE
    numbers = {"diverged": blew_up, "base_accuracy": base_accuracy,
               "wrecked_accuracy": wrecked_accuracy, "rollback": dict(rollback),
               "retrain_seconds": retrain_seconds, "retrain_over_rollback": ratio}  # fmt: skip
    return Verdict("C5", status, f"retraining takes {ratio:.0f}x a rollback", numbers, sentence)


def rule_c6(careful: dict[str, Any], wrecked: dict[str, Any] | None = None) -> Verdict:
    """C6 from ``probe_summary`` of a careful fine-tune (and of a wrecked one).

    "supported": the careful fine-tune forgot at least one probe answer - a regression
    only a test would catch, since its training loss looked healthy. "partly": it forgot
    nothing, but its confidence in the right answers eroded (mean p_gold fell by at least
    ``EROSION``) or the wrecked run forgot answers. "not at this scale": no fine-tune
    changed any probe answer or eroded confidence.
    """
    wrecked_forgot = wrecked["forgotten"] if wrecked else 0
    sentence = (
        f"careful fine-tune forgot {careful['forgotten']} of "
        f"{careful['kept'] + careful['forgotten']} probe answers it knew "
        f"(mean p_gold {careful['mean_p_gold_change']:+.3f})"
        + (
            f"; wrecked fine-tune forgot {wrecked_forgot} "
            f"(probe accuracy {wrecked['accuracy_before']:.0%} -> {wrecked['accuracy_after']:.0%})"
            if wrecked
            else ""
        )
        + "."
    )
    if careful["forgotten"] > 0:
        status = SUPPORTED
    elif careful["mean_p_gold_change"] <= -EROSION or wrecked_forgot > 0:
        status = PARTLY
    else:
        status = NOT_AT_THIS_SCALE
    numbers = {"careful": dict(careful), "wrecked": dict(wrecked) if wrecked else None}
    effect = f"{careful['forgotten']} probe answers forgotten by the careful fine-tune"
    return Verdict("C6", status, effect, numbers, sentence)


def rule_c7(
    prompt_seconds_per_turn: float,
    train_seconds_per_turn: float,
    diagnoses_right: int,
    diagnoses_total: int,
) -> Verdict:
    """C7, only its measurable part: the cost of one turn of each loop, and the knobs.

    It favours prompting when one prompt turn is at least 3 times faster than one
    training turn and a run's failures needed a diagnosis at all (``diagnoses_right`` of
    ``diagnoses_total`` runs told apart). How long a person takes to learn either skill
    is not measured, so the verdict is at most "partly".
    """
    if prompt_seconds_per_turn <= 0 or train_seconds_per_turn <= 0:
        raise ValueError("seconds per turn must be positive")
    ratio = train_seconds_per_turn / prompt_seconds_per_turn
    measured = (
        f"one prompt turn {prompt_seconds_per_turn:.1f} s vs one training turn "
        f"{train_seconds_per_turn:.1f} s ({ratio:.0f}x); knobs {len(PROMPT_KNOBS)} vs "
        f"{len(FINE_TUNE_KNOBS)}; run diagnoses right {diagnoses_right}/{diagnoses_total}"
    )
    numbers = {"prompt_seconds": prompt_seconds_per_turn, "train_seconds": train_seconds_per_turn,
               "prompt_knobs": len(PROMPT_KNOBS), "fine_tune_knobs": len(FINE_TUNE_KNOBS),
               "diagnoses_right": diagnoses_right, "diagnoses": diagnoses_total}  # fmt: skip
    effect = f"a training turn takes {ratio:.0f}x a prompt turn"
    if ratio >= 3 and diagnoses_total > 0:
        sentence = (
            f"the prompting loop is cheaper and has fewer knobs ({measured}); how fast people "
            "learn each skill was not measured"
        )
        return Verdict("C7", PARTLY, effect, numbers, sentence)
    sentence = f"the prompting loop was not clearly cheaper here ({measured})"
    return Verdict("C7", NOT_AT_THIS_SCALE, effect, numbers, sentence)
