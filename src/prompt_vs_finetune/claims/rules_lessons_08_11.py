"""The rules of claims C16-C19 (lessons 08 to 11): measurements in, a ``Verdict`` out."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from prompt_vs_finetune.claims.verdict import (
    NOT_AT_THIS_SCALE,
    NOT_MEASURED,
    PARTLY,
    SUPPORTED,
    Verdict,
)
from prompt_vs_finetune.economics.assumptions import (
    DEFAULT_ASSUMPTIONS,
    Assumptions,
    Prices,
    as_assumptions,
)
from prompt_vs_finetune.economics.roi import crossover_month, payback_month, roi_curves
from prompt_vs_finetune.economics.roi_inputs import plateau
from prompt_vs_finetune.economics.scaling import (
    break_even_volume,
    mean_adapter_bytes,
    use_case_table,
    volume_table,
)
from prompt_vs_finetune.prompting.versions import kept_accuracies

__all__ = ["EVIDENCE_FOR_C19", "rule_c16", "rule_c17", "rule_c18", "rule_c19"]

#: Claims whose measured verdicts the advice of C19 rests on.
EVIDENCE_FOR_C19 = ("C4", "C16", "C18")


def rule_c16(
    accuracies: Sequence[float], *, early: int = 3, held_out_gain: float | None = None
) -> Verdict:
    """Does prompt iteration pay off fast, then plateau? From the measured accuracies.

    ``accuracies`` in version order. The rule reads the best accuracy kept after each
    version (an edit that hurt is reverted). Early gain: what the first ``early`` edits
    added to it; late gain: what the same number of last edits added. "supported" when the
    early edits brought most of the total improvement (>= 2/3 of it, and at least 3 times
    what the late edits added); "partly" when early beat late but less clearly; "not at
    this scale" when the late edits added as much, or nothing improved.
    ``held_out_gain`` (best minus first version on tickets not used to choose them): when
    given and not positive, the gain did not hold, and the verdict is "not at this scale".
    """
    values = kept_accuracies(accuracies)
    early = max(1, min(early, (len(values) - 1) // 2))
    early_gain = values[early] - values[0]
    late_gain = values[-1] - values[-1 - early]
    total = max(values) - values[0]
    measured = (
        f"first {early} edits: {early_gain:+.3f}; last {early} edits: {late_gain:+.3f}; "
        f"best over first version: {total:+.3f}"
    )
    if held_out_gain is not None:
        measured += f"; on held-out tickets: {held_out_gain:+.3f}"
    if total <= 0:
        status, sentence = NOT_AT_THIS_SCALE, f"no version beat the first one ({measured})"
    elif held_out_gain is not None and held_out_gain <= 0:
        status = NOT_AT_THIS_SCALE
        sentence = f"the gain did not hold on held-out tickets ({measured})"
    elif early_gain >= 2 / 3 * total and early_gain >= 3 * max(late_gain, 0.0):
        status = SUPPORTED
        sentence = f"the early edits brought most of the improvement ({measured})"
    elif early_gain > late_gain:
        status = PARTLY
        sentence = f"early edits helped more, but the curve did not flatten clearly ({measured})"
    else:
        status = NOT_AT_THIS_SCALE
        sentence = f"the late edits helped as much as the early ones ({measured})"
    numbers = {"accuracies": [float(a) for a in accuracies], "kept": values, "early": early,
               "early_gain": early_gain, "late_gain": late_gain, "total_gain": total,
               "held_out_gain": held_out_gain}  # fmt: skip
    effect = f"first {early} edits {early_gain:+.3f}, last {early} {late_gain:+.3f}"
    return Verdict("C16", status, effect, numbers, sentence)


def rule_c17(measured: dict[str, Any], assumptions: Assumptions | Prices | None = None) -> Verdict:
    """C17 from the measured inputs of lesson 09, in two halves:

    * **vertical** - a prompted request sends at least 1.5x the tokens of a fine-tuned
      one AND fine-tuning breaks even at some finite volume within the horizon (both
      from ``assumptions``, the course's defaults when None);
    * **horizontal** - a LoRA adapter is under 10% of a full model copy on disk AND, at
      50 use cases, one full model per use case costs at least 10x as much a month as a
      shared base with adapters.

    Both hold: "supported"; one: "partly"; none: "not at this scale".
    """
    per_request = volume_table(measured, assumptions, [1])[0]  # the bills of one request a month
    c_prompt, c_tuned = per_request["prompting"], per_request["fine_tuned"]
    token_ratio = measured["prompt_tokens_in"] / measured["tuned_tokens_in"]
    be = break_even_volume(measured, assumptions)
    vertical = token_ratio >= 1.5 and be is not None
    size_ratio = mean_adapter_bytes(measured) / measured["full_model_bytes"]
    at_50 = use_case_table(measured, assumptions, [50])[0]
    cost_ratio = at_50["full_monthly"] / at_50["adapter_monthly"]
    horizontal = size_ratio < 0.10 and cost_ratio >= 10
    if vertical and horizontal:
        status = SUPPORTED
    else:
        status = PARTLY if vertical or horizontal else NOT_AT_THIS_SCALE
    horizon = as_assumptions(assumptions).horizon_months
    be_text = "never" if be is None else f"{be:,.0f} requests/month"
    sentence = (
        f"a prompted request sends {token_ratio:.1f}x the tokens of a fine-tuned one, so its "
        f"bill grows {c_prompt / c_tuned:.1f}x as steeply with volume; fine-tuning breaks even "
        f"at {be_text} over {horizon:g} months; a LoRA adapter is {size_ratio:.2%} of "
        f"a full model copy, and at 50 use cases full copies cost {cost_ratio:.0f}x as much "
        "a month as one base plus adapters."
    )
    numbers = {
        "token_ratio": token_ratio,
        "cost_per_request_prompt": c_prompt,
        "cost_per_request_tuned": c_tuned,
        "break_even_requests_per_month": be,
        "adapter_to_full_size": size_ratio,
        "full_over_adapter_monthly_at_50": cost_ratio,
        "vertical_half": vertical,
        "horizontal_half": horizontal,
    }
    effect = f"{token_ratio:.1f}x the tokens; adapters {size_ratio:.2%} of a full copy"
    return Verdict("C17", status, effect, numbers, sentence)


def _month(m: int | None) -> str:
    return "never" if m is None else f"month {m}"


def rule_c18(
    inputs: dict[str, Any],
    *,
    low_volume: float = DEFAULT_ASSUMPTIONS.low_volume,
    high_volume: float = DEFAULT_ASSUMPTIONS.high_volume,
) -> Verdict:
    """C18 from ROI curves built on ``roi_inputs``: four parts of the claim, each a rule.

    1. prompting is positive quickly: it pays back by month 2 (at ``high_volume``);
    2. prompting plateaus: half the prompt versions reach at least 80% of the improvement;
    3. fine-tuning starts negative: still below zero at the end of month 1;
    4. fine-tuning wins at sustained volume: it overtakes prompting within the horizon at
       ``high_volume``, but not at ``low_volume``.

    All four: "supported"; two or three: "partly"; fewer: "not at this scale".
    """
    high = roi_curves(**{**inputs, "volume_per_month": high_volume})
    low = roi_curves(**{**inputs, "volume_per_month": low_volume})
    flat = plateau(inputs["accuracy_prompt"])
    pay_prompt = payback_month(high, "prompting")
    cross_high = crossover_month(high, "fine_tuning", "prompting")
    cross_low = crossover_month(low, "fine_tuning", "prompting")
    parts = {
        "prompting_pays_quickly": pay_prompt is not None and pay_prompt <= 2,
        "prompting_plateaus": flat["versions"] >= 3 and flat["share_at_half"] >= 0.8,
        "fine_tuning_starts_negative": high[1]["fine_tuning"] < 0,
        "fine_tuning_wins_at_volume": cross_high is not None and cross_low is None,
    }
    held = sum(parts.values())
    status = SUPPORTED if held == 4 else PARTLY if held >= 2 else NOT_AT_THIS_SCALE
    sentence = (
        f"at {high_volume:,.0f} requests/month prompting pays back by {_month(pay_prompt)} and "
        f"half its {flat['versions']} versions reach {flat['share_at_half']:.0%} of the "
        f"improvement; fine-tuning is at {high[1]['fine_tuning']:,.0f} after month 1 and "
        f"overtakes prompting by {_month(cross_high)} (at {low_volume:,.0f}/month: "
        f"{_month(cross_low)}); {held} of 4 parts hold."
    )
    numbers = {
        **parts,
        "payback_prompting": pay_prompt,
        "payback_fine_tuning": payback_month(high, "fine_tuning"),
        "crossover_high": cross_high,
        "crossover_low": cross_low,
        "crossover_high_net_of_opportunity": crossover_month(
            high, "fine_tuning_net_of_opportunity", "prompting"
        ),
        "plateau": flat,
        "high_volume": high_volume,
        "low_volume": low_volume,
    }
    return Verdict("C18", status, f"{held} of 4 parts hold", numbers, sentence)


def rule_c19(
    case_rows: Sequence[dict[str, Any]],
    probe_rows: Sequence[dict[str, Any]],
    evidence: dict[str, str],
) -> Verdict:
    """C19 from the decision tool's answers and the verdicts the advice rests on.

    ``case_rows`` is ``case_studies.case_table()``, ``probe_rows`` is
    ``ledger.probe_decisions()`` and ``evidence`` maps claim ids (at least those of
    ``EVIDENCE_FOR_C19``) to their recorded status. The tool must agree with every case
    study and every probe, otherwise "not at this scale"; then "supported" when every
    piece of evidence is "supported", "partly" when some of it is not.
    """
    cases_ok = sum(bool(r["agrees"]) for r in case_rows)
    probes_ok = sum(bool(r["agrees"]) for r in probe_rows)
    consistent = cases_ok == len(case_rows) and probes_ok == len(probe_rows)
    shown = {c: evidence.get(c, NOT_MEASURED) for c in EVIDENCE_FOR_C19}
    if not consistent:
        status = NOT_AT_THIS_SCALE
    else:
        status = SUPPORTED if set(shown.values()) == {SUPPORTED} else PARTLY
    listed = ", ".join(f"{c} {s}" for c, s in shown.items())
    agree = (
        f"the decision tool agrees with {cases_ok}/{len(case_rows)} case studies and "
        f"{probes_ok}/{len(probe_rows)} probing questions"
    )
    numbers = {"cases_agree": cases_ok, "cases": len(case_rows), "probes_agree": probes_ok,
               "probes": len(probe_rows), "evidence": shown}  # fmt: skip
    return Verdict("C19", status, agree.removeprefix("the decision tool "), numbers,
                   f"{agree}; evidence: {listed}.")  # fmt: skip
