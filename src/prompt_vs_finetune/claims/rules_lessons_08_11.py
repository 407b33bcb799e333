"""The rules of claims C16-C19 (lessons 08 to 11): measurements in, a ``Verdict`` out."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import asdict, replace
from typing import Any

from scipy import stats

from prompt_vs_finetune.claims.verdict import (
    CONTRADICTED,
    INCONCLUSIVE,
    SUPPORTED,
    Verdict,
    status_of,
    status_over_range,
)
from prompt_vs_finetune.economics.assumptions import Assumptions
from prompt_vs_finetune.economics.presets import presets_or_default
from prompt_vs_finetune.economics.roi import crossover_month, payback_month, roi_curves
from prompt_vs_finetune.economics.roi_inputs import plateau
from prompt_vs_finetune.economics.scaling import (
    break_even_volume,
    mean_adapter_bytes,
    use_case_table,
    volume_table,
)
from prompt_vs_finetune.measure.intervals import (
    LEVEL,
    Paired,
    correct_of,
    items_to_settle,
    paired,
    rate,
)

__all__ = ["C16_EDITS", "c16_versions", "rule_c16", "rule_c17", "rule_c18", "rule_c19"]


#: Edits that C16 counts as "early" and as "late": the first three and the last three.
C16_EDITS = 3


def _best(values: list[float], start: int, stop: int) -> int:
    """Index of the first highest value in ``values[start:stop]``."""
    return max(range(start, stop), key=lambda i: (values[i], -i))


def c16_versions(accuracies: Sequence[float], *, early: int = C16_EDITS) -> dict[str, int]:
    """The versions C16 compares, by index, from dev accuracies in version order.

    ``kept_early``: the best version after the first ``edits`` edits (an edit that hurt
    is reverted, so the best one is what is kept); ``kept_before_late``: the best version
    before the last ``edits`` edits; ``best_late``: the best of those last edits.
    ``edits`` is ``early``, at most half of the edits.
    """
    if isinstance(accuracies, str) or not isinstance(accuracies, Sequence):
        raise TypeError("accuracies must be a list of numbers, one per prompt version")
    values = [float(a) for a in accuracies]
    if len(values) < 3:
        raise ValueError("C16 needs at least three prompt versions: a first, an early, a late")
    edits = max(1, min(early, (len(values) - 1) // 2))
    late_from = len(values) - edits
    return {"edits": edits, "first": 0, "kept_early": _best(values, 0, edits + 1),
            "kept_before_late": _best(values, 0, late_from),
            "best_late": _best(values, late_from, len(values))}  # fmt: skip


def _paired_runs(before: Any, after: Any) -> Paired:
    """``after`` minus ``before``, item by item; both Evaluations of the same items."""
    if list(before.ids) != list(after.ids):
        raise ValueError("C16 compares versions on the same items; these were scored on others")
    return paired(correct_of(before), correct_of(after))


def _settle(comparison: Paired, bar: float, items: str) -> str:
    """How many items would settle a comparison against ``bar``, in words."""
    shifted = replace(comparison, difference=comparison.difference - bar)
    needed = items_to_settle(shifted)
    if needed is None:
        return f"no number of {items} would move a difference that sits on its bar"
    return f"about {needed:,} {items} would settle it"


def rule_c16(
    dev_runs: Sequence[Any], test_runs: Mapping[int, Any], *, early: int = C16_EDITS
) -> Verdict:
    """Does prompt iteration pay off fast, then plateau? Two paired comparisons.

    ``dev_runs``: every version's Evaluation on the same dev items, in version order (the
    items the versions were chosen on). ``test_runs``: Evaluations on the test split by
    version index, at least of ``first`` and ``kept_early`` (see ``c16_versions``).

    * pays off fast: the version kept after the first edits minus the first version, on the
      test items. Choosing on dev flatters the kept version, so the gain must show on
      items nobody looked at: its 95% interval must lie above zero.
    * plateaus: the best of the last edits minus the version kept before them, on the dev
      items (choosing on dev flatters this gain too, which makes the check harder to
      pass). Its interval must lie below the early gain's low end (or below zero when
      that end is not positive).

    supported: both hold; contradicted: either interval lies wholly on the wrong side;
    inconclusive otherwise, with about how many items would settle it.
    """
    plan = c16_versions([r.accuracy for r in dev_runs], early=early)
    missing = [f"v{plan[k] + 1}" for k in ("first", "kept_early") if plan[k] not in test_runs]
    if missing:
        raise ValueError(f"C16 needs the test Evaluations of {', '.join(missing)}")
    fast = _paired_runs(test_runs[plan["first"]], test_runs[plan["kept_early"]])
    late = _paired_runs(dev_runs[plan["kept_before_late"]], dev_runs[plan["best_late"]])
    bar = max(fast.low, 0.0)
    parts = {"early": status_of(fast.low, fast.high),
             "late": status_of(late.low, late.high, bar=bar, claimed="below")}  # fmt: skip
    if CONTRADICTED in parts.values():
        status = CONTRADICTED
    else:
        status = SUPPORTED if set(parts.values()) == {SUPPORTED} else INCONCLUSIVE
    edits = plan["edits"]
    sentence = (
        f"early: v{plan['kept_early'] + 1} (kept after the first {edits} edits) minus v1 on "
        f"the test tickets: {fast}; late: v{plan['best_late'] + 1} (the best of the last "
        f"{edits} edits) minus v{plan['kept_before_late'] + 1} on the dev tickets: {late}, "
        f"against a plateau bar of {bar:+.3f}"
    )
    if status == INCONCLUSIVE:
        settle = [_settle(fast, 0.0, "test tickets")] if parts["early"] == INCONCLUSIVE else []
        if parts["late"] == INCONCLUSIVE:
            settle.append(_settle(late, bar, "dev tickets"))
        sentence += f"; {' and '.join(settle)}"
    numbers = {"versions": plan, "dev_accuracies": [float(r.accuracy) for r in dev_runs],
               "early": asdict(fast), "late": asdict(late), "plateau_bar": bar,
               "parts": parts}  # fmt: skip
    return Verdict(
        "C16", status, f"early {fast.difference:+.3f}, late {late.difference:+.3f}", numbers,
        f"{sentence}.", interval=(fast.low, fast.high), n=fast.n,
        test=f"McNemar exact: early p={fast.p_value:.3g} (test), late p={late.p_value:.3g} "
        f"(dev, n={late.n}, interval [{late.low:+.3f}, {late.high:+.3f}])",
    )  # fmt: skip


def rule_c17(
    measured: dict[str, Any], presets: Mapping[str, Assumptions] | None = None
) -> Verdict:
    """C17 from the measured inputs of lesson 09, under each named scenario (the ends of
    the range; ``economics.assumptions.PRESETS`` unless ``presets`` are given). Two halves:

    * **vertical** - a prompted request sends at least 1.5x the tokens of a fine-tuned
      one AND fine-tuning breaks even at some finite volume within the scenario's horizon;
    * **horizontal** - a LoRA adapter is under 10% of a full model copy on disk AND, at
      50 use cases, one full model per use case costs at least 10x as much a month as a
      shared base with adapters.

    The claim holds under a scenario when both halves do; ``status_over_range`` over the
    scenarios gives the status.
    """
    token_ratio = measured["prompt_tokens_in"] / measured["tuned_tokens_in"]
    size_ratio = mean_adapter_bytes(measured) / measured["full_model_bytes"]
    ends, parts = {}, []
    for name, a in presets_or_default(presets).items():
        per_request = volume_table(measured, a, [1])[0]  # the bills of one request a month
        be = break_even_volume(measured, a)
        at_50 = use_case_table(measured, a, [50])[0]
        cost_ratio = at_50["full_monthly"] / at_50["adapter_monthly"]
        vertical, horizontal = token_ratio >= 1.5 and be is not None, cost_ratio >= 10
        ends[name] = {"cost_per_request_prompt": per_request["prompting"],
                      "cost_per_request_tuned": per_request["fine_tuned"],
                      "break_even_requests_per_month": be, "horizon_months": a.horizon_months,
                      "full_over_adapter_monthly_at_50": cost_ratio, "vertical_half": vertical,
                      "horizontal_half": horizontal and size_ratio < 0.10,
                      "holds": vertical and horizontal and size_ratio < 0.10}  # fmt: skip
        be_text = "never" if be is None else f"at {be:,.0f} requests/month"
        parts.append(f"{name}: fine-tuning breaks even {be_text} over {a.horizon_months:g} "
                     f"months, and 50 full copies cost {cost_ratio:.0f}x as much a month as one "
                     "base plus adapters")  # fmt: skip
    holding = [name for name, e in ends.items() if e["holds"]]
    first = next(iter(ends.values()))
    slope = first["cost_per_request_prompt"] / first["cost_per_request_tuned"]
    sentence = (
        f"a prompted request sends {token_ratio:.1f}x the tokens of a fine-tuned one, so at a "
        f"price per token its bill grows {slope:.1f}x as steeply with volume; a LoRA adapter is "
        f"{size_ratio:.2%} of a full model copy; {'; '.join(parts)}. Both halves hold for "
        + (" and ".join(holding) if holding else "neither scenario") + "."
    )
    ratios = [e["full_over_adapter_monthly_at_50"] for e in ends.values()]
    test = (f"both named scenarios ({', '.join(ends)}): full copies over adapters at 50 use "
            f"cases {min(ratios):.0f}-{max(ratios):.0f}x; adapter {size_ratio:.2%} of a full "
            f"copy; tokens {token_ratio:.1f}x")  # fmt: skip
    numbers = {"token_ratio": token_ratio, "adapter_to_full_size": size_ratio,
               "scenarios": ends}  # fmt: skip
    effect = f"{token_ratio:.1f}x the tokens; adapters {size_ratio:.2%} of a full copy"
    status = status_over_range(len(holding) == len(ends), bool(holding))
    return Verdict("C17", status, effect, numbers, sentence, test=test)


def _month(m: int | None) -> str:
    return "never" if m is None else f"month {m}"


def _amount(value: float) -> str:
    """An amount of money without its currency: 12,176 or 0.0026."""
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:,.2f}" if abs(value) >= 1 else f"{value:.2g}"

def rule_c18(ends: dict[str, dict[str, Any]]) -> Verdict:
    """C18 at both ends of its inputs' range, from ``economics.roi_inputs.roi_ends``.

    At each end (every accuracy at one end of its 95% interval, under one named scenario)
    four parts are read off the ROI curves at that end's monthly volume:

    1. prompting is positive quickly: it pays back by month 2;
    2. prompting plateaus: half the prompt versions reach at least 80% of the improvement;
    3. fine-tuning starts negative: its cumulative value is below zero at month 0;
    4. fine-tuning wins at sustained volume: it ends the horizon ahead of prompting.

    The claim holds at an end when all four do; ``status_over_range`` gives the status.
    """
    results, parts = {}, []
    for end, e in ends.items():
        inputs = e["inputs"]
        rows = roi_curves(**inputs)
        flat = plateau(inputs["accuracy_prompt"])
        pay, cross = payback_month(rows, "prompting"), crossover_month(rows, "fine_tuning")
        held = {
            "prompting_pays_quickly": pay is not None and pay <= 2,
            "prompting_plateaus": flat["versions"] >= 3 and flat["share_at_half"] >= 0.8,
            "fine_tuning_starts_negative": rows[0]["fine_tuning"] < 0,
            "fine_tuning_wins_at_volume": rows[-1]["fine_tuning"] > rows[-1]["prompting"],
        }
        best, tuned = max(inputs["accuracy_prompt"]), inputs["accuracy_tuned"]
        lead = rows[-1]["fine_tuning"] - rows[-1]["prompting"]
        results[end] = {**held, "holds": all(held.values()), "preset": e["preset"],
                        "payback_prompting": pay, "crossover": cross, "final_lead": lead,
                        "plateau": flat,
                        "best_prompt_accuracy": best, "tuned_accuracy": tuned,
                        "upfront": inputs["fine_tune_upfront"]}  # fmt: skip
        parts.append(
            f"{end} ({e['preset']}; best prompt {best:.2f}, fine-tune {tuned:.2f}): prompting "
            f"pays back by {_month(pay)}, half its {flat['versions']} versions reach "
            f"{flat['share_at_half']:.0%} of the gain, fine-tuning starts at "
            f"{_amount(rows[0]['fine_tuning'])}, "
            + ("never overtakes prompting" if cross is None else f"overtakes it in month {cross}")
            + f" and ends {_amount(abs(lead))} {'ahead' if lead > 0 else 'behind'}; "
            f"{sum(held.values())} of 4 parts hold"
        )
    holding = [end for end, r in results.items() if r["holds"]]
    volume = next(iter(ends.values()))["inputs"]["volume_per_month"]
    sentence = "; ".join(parts) + ". The claim holds " + (
        "at both ends." if len(holding) == len(ends)
        else f"only at the end '{holding[0]}'." if holding else "at neither end."
    )
    upfronts = [r["upfront"] for r in results.values()]
    test = (f"ROI over {next(iter(ends.values()))['inputs']['months']} months at "
            f"{volume:,.0f} requests/month; accuracies within their 95% Wilson intervals "
            f"(n={next(iter(ends.values()))['n']}) and both named scenarios (fine-tune up front "
            f"{_amount(min(upfronts))}-{_amount(max(upfronts))})")  # fmt: skip
    status = status_over_range(len(holding) == len(ends), bool(holding))
    return Verdict("C18", status, f"holds at {len(holding)} of {len(ends)} ends",
                   {"ends": results, "volume": volume}, sentence, test=test)  # fmt: skip


def _cases_to_settle(value: float, bar: float, n: int, power: float = 0.8) -> int | None:
    """About how many cases would let an agreement rate of ``value`` clear ``bar``.

    The sample size of a one-sample test of a proportion:
    n = (z_(1-a/2) sqrt(bar (1 - bar)) + z_power sqrt(value (1 - value)))^2 / (value - bar)^2.
    None when the rate sits on the bar.
    """
    if value == bar:
        return None
    z_level, z_power = stats.norm.ppf(1 - (1 - LEVEL) / 2), stats.norm.ppf(power)
    root = z_level * (bar * (1 - bar)) ** 0.5 + z_power * (value * (1 - value)) ** 0.5
    return max(n + 1, math.ceil(root * root / (value - bar) ** 2))


def rule_c19(cases: Sequence[dict[str, Any]]) -> Verdict:
    """C19 judged by prediction: how often the decision tool names the measured winner.

    ``cases`` are ``decision.evidence.case_rows``: one row per task, volume and change
    rate, with the tool's choice from the task's declared properties, the ``winner`` from
    measured accuracies and costs, and whether they ``agrees``. The agreement rate gets a
    95% Wilson interval. The bar is the agreement of the best constant guess (always
    "prompting" or always "fine-tuning", whichever matches more winners): a tool that
    reads the answers must beat one that ignores them. supported: the interval lies above
    the bar; contradicted: below it; inconclusive: it straddles the bar (the sentence says
    about how many cases would settle it). The p-value is the exact binomial test of the
    agreement against the bar.
    """
    rows = list(cases)
    if not rows:
        raise ValueError("C19 needs at least one case with a measured winner")
    agree = rate([bool(r["agrees"]) for r in rows])
    winners = Counter(str(r["winner"]) for r in rows)
    guess = max(("prompting", "fine-tuning"), key=lambda choice: winners[choice])
    bar = winners[guess] / len(rows)
    status = status_of(agree.low, agree.high, bar=bar)
    p_value = float(stats.binomtest(agree.successes, agree.n, bar).pvalue)
    sentence = (
        f"answered from each task's declared properties only, the decision tool named the "
        f"measured winner in {agree.successes} of {agree.n} cases ({agree}); always "
        f"answering {guess} would name it in {winners[guess]} ({bar:.3f})"
    )
    if status == INCONCLUSIVE:
        needed = _cases_to_settle(agree.value, bar, agree.n)
        sentence += (
            "; no number of cases would separate a rate that sits on its bar"
            if needed is None else f"; about {needed:,} cases like these would settle it"
        )  # fmt: skip
    by_task = Counter(r["task"] for r in rows)
    hits = Counter(r["task"] for r in rows if r["agrees"])
    numbers = {"agreement": agree.value, "low": agree.low, "high": agree.high, "cases": agree.n,
               "agree": agree.successes, "bar": bar, "constant_guess": guess,
               "winners": dict(winners),
               "by_task": {t: f"{hits[t]}/{n}" for t, n in by_task.items()}}  # fmt: skip
    return Verdict(
        "C19", status, agree.value, numbers, f"{sentence}.", interval=(agree.low, agree.high),
        test=f"exact binomial test against always {guess} ({bar:.3f}): p={p_value:.3g}",
        n=agree.n,
    )  # fmt: skip
