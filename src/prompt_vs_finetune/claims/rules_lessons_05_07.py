"""The rules of claims C8-C15 (lessons 05 to 07): measurements in, a ``Verdict`` out."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from prompt_vs_finetune.claims.verdict import NOT_AT_THIS_SCALE, PARTLY, SUPPORTED, Verdict
from prompt_vs_finetune.hybrid.cascade import cheapest_meeting
from prompt_vs_finetune.prompting.compression import cheapest_keeping

__all__ = [
    "rule_c8",
    "rule_c9",
    "rule_c10",
    "rule_c11",
    "rule_c12",
    "rule_c13",
    "rule_c14",
    "rule_c15",
]


def rule_c8(rows: Sequence[dict[str, Any]]) -> Verdict:
    """Is JSON reachable by prompting alone? Judged on the best technique's rates.

    "supported": some technique gives valid JSON for >= 90% of the tickets and the right
    keys and types (schema valid) for >= 80%; "partly": valid JSON for >= 50%; "not at
    this scale" otherwise. Field accuracy is reported, but the claim is about format and
    structure, not about the values.
    """
    rows = list(rows)
    if not rows:
        raise ValueError("no technique rows to judge")
    best = max(rows, key=lambda r: (r["schema_valid"], r["json_valid"], r["field_accuracy"]))
    measured = (
        f"best technique {best['technique']!r}: JSON valid {best['json_valid']:.0%}, "
        f"schema valid {best['schema_valid']:.0%}, mean field accuracy "
        f"{best['field_accuracy']:.0%}"
    )
    if best["json_valid"] >= 0.9 and best["schema_valid"] >= 0.8:
        status, sentence = SUPPORTED, f"prompting alone reached reliable JSON ({measured})"
    elif best["json_valid"] >= 0.5:
        status = PARTLY
        sentence = f"prompting reached JSON, but not reliably the right structure ({measured})"
    else:
        status = NOT_AT_THIS_SCALE
        sentence = f"no technique got valid JSON for half the tickets ({measured})"
    keys = ("technique", "json_valid", "schema_valid", "field_accuracy")
    numbers = {"techniques": [{k: r[k] for k in keys} for r in rows]}
    effect = f"JSON valid {best['json_valid']:.0%}, schema valid {best['schema_valid']:.0%}"
    return Verdict("C8", status, effect, numbers, sentence)


def rule_c9(best_kshot_accuracy: float, tuned_accuracy: float, *, margin: float = 0.05) -> Verdict:
    """Can few-shot prompting compete with the fine-tune? From the two measured accuracies.

    "supported" when the best k-shot prompt comes within ``margin`` of the fine-tuned
    model (or beats it); "partly" when it is within ``2 * margin``; "not at this scale"
    when the fine-tune is further ahead.
    """
    gap = tuned_accuracy - best_kshot_accuracy
    measured = (
        f"best few-shot {best_kshot_accuracy:.3f} vs fine-tuned {tuned_accuracy:.3f} "
        f"(gap {gap:+.3f})"
    )
    if gap <= margin:
        status = SUPPORTED
        sentence = f"few-shot prompting came within {margin:.2f} of the fine-tune: {measured}"
    elif gap <= 2 * margin:
        status = PARTLY
        sentence = f"few-shot prompting came close but not within {margin:.2f}: {measured}"
    else:
        status = NOT_AT_THIS_SCALE
        sentence = f"the fine-tune is clearly ahead at this model size: {measured}"
    numbers = {"best_kshot_accuracy": best_kshot_accuracy, "tuned_accuracy": tuned_accuracy,
               "gap": gap, "margin": margin}  # fmt: skip
    return Verdict("C9", status, f"fine-tune ahead by {gap:+.3f}", numbers, sentence)


def rule_c10(
    base_accuracy: float,
    prompted_accuracy: float,
    tuned_accuracy: float,
    *,
    margin: float = 0.05,
) -> Verdict:
    """Did the fine-tune teach knowledge the base model lacks, beyond what the prompt gives?

    ``base_accuracy``: the base model with the instruction only; ``prompted_accuracy``: the
    best prompt that *states* the knowledge (rules, examples); ``tuned_accuracy``: the
    fine-tuned model with the instruction only. "not at this scale" when the fine-tune
    gains less than ``2 * margin`` over the base model; "supported" when it gains that
    much and also beats the best prompt by more than ``margin``; "partly" when it learned
    the knowledge but a prompt got as far.
    """
    measured = (
        f"base {base_accuracy:.3f}, best prompt with the rules {prompted_accuracy:.3f}, "
        f"fine-tuned {tuned_accuracy:.3f}"
    )
    if tuned_accuracy - base_accuracy < 2 * margin:
        status = NOT_AT_THIS_SCALE
        sentence = f"the fine-tune did not learn the company's routing: {measured}"
    elif tuned_accuracy > prompted_accuracy + margin:
        status = SUPPORTED
        sentence = (
            f"the fine-tune learned routing that neither the base model nor the rules in the "
            f"prompt delivered: {measured}"
        )
    else:
        status = PARTLY
        sentence = f"the fine-tune learned the routing, but a prompt got as far: {measured}"
    numbers = {"base_accuracy": base_accuracy, "prompted_accuracy": prompted_accuracy,
               "tuned_accuracy": tuned_accuracy, "margin": margin}  # fmt: skip
    effect = f"fine-tune {tuned_accuracy - prompted_accuracy:+.3f} over the best prompt"
    return Verdict("C10", status, effect, numbers, sentence)


def rule_c11(prompted: float, tuned: float, *, margin: float = 0.05) -> Verdict:
    """Is the fine-tuned model more consistent under sampling? From two agreement rates.

    "supported" when the fine-tuned model agrees with itself at least ``margin`` more
    often than the prompted one; "partly" when it is ahead by less; "not at this scale"
    when it is not ahead at all.
    """
    gap = tuned - prompted
    measured = f"agreement prompted {prompted:.2f} vs fine-tuned {tuned:.2f} ({gap:+.2f})"
    if gap >= margin:
        status = SUPPORTED
        sentence = f"the fine-tuned model answers more consistently: {measured}"
    elif gap > 0:
        status = PARTLY
        sentence = f"the fine-tuned model is only slightly more consistent: {measured}"
    else:
        status = NOT_AT_THIS_SCALE
        sentence = f"the fine-tuned model is not more consistent here: {measured}"
    numbers = {"prompted_agreement": prompted, "tuned_agreement": tuned, "margin": margin}
    return Verdict("C11", status, f"agreement {gap:+.2f}", numbers, sentence)


def rule_c12(
    prompt_tokens: float,
    tuned_tokens: float,
    prompt_p50: float,
    tuned_p50: float,
    *,
    min_speedup: float = 1.2,
) -> Verdict:
    """Does the fine-tuned model's shorter input make it faster? From measured numbers.

    "supported" when it sends fewer tokens *and* its median request is at least
    ``min_speedup`` times faster; "partly" when it sends fewer tokens but the time saved is
    smaller; "not at this scale" when it does not send fewer tokens or is not faster.
    """
    token_ratio = prompt_tokens / tuned_tokens if tuned_tokens else float("inf")
    speedup = prompt_p50 / tuned_p50 if tuned_p50 else float("inf")
    measured = (
        f"{prompt_tokens:.0f} vs {tuned_tokens:.0f} prompt tokens ({token_ratio:.1f}x), "
        f"median {prompt_p50 * 1000:.0f} vs {tuned_p50 * 1000:.0f} ms ({speedup:.2f}x faster)"
    )
    if token_ratio > 1 and speedup >= min_speedup:
        status, sentence = SUPPORTED, f"shorter input, faster answer: {measured}"
    elif token_ratio > 1 and speedup > 1:
        status = PARTLY
        sentence = f"shorter input, but only a small time saving: {measured}"
    else:
        status, sentence = NOT_AT_THIS_SCALE, f"no clear saving from the fine-tune here: {measured}"
    numbers = {"prompt_tokens": prompt_tokens, "tuned_tokens": tuned_tokens,
               "prompt_p50": prompt_p50, "tuned_p50": tuned_p50,
               "min_speedup": min_speedup}  # fmt: skip
    effect = f"{token_ratio:.1f}x fewer tokens, {speedup:.2f}x faster"
    return Verdict("C12", status, effect, numbers, sentence)


def rule_c13(
    neither: float,
    prompt_only: float,
    tune_only: float,
    both: float,
    *,
    margin: float = 0.05,
) -> Verdict:
    """Does fine-tune + prompt context beat either alone? From the four cells of the 2x2.

    "not at this scale" when no cell beats ``neither`` (base model, no context) by more
    than ``2 * margin``, or when the combination is worse than the better single approach
    by more than ``margin``; "supported" when it beats the better single approach by more
    than ``margin``; "partly" when it matches it (within ``margin``).
    """
    best_single = max(prompt_only, tune_only)
    which = "the fine-tune alone" if tune_only >= prompt_only else "the prompt alone"
    measured = (
        f"neither {neither:.3f}, prompt only {prompt_only:.3f}, fine-tune only {tune_only:.3f}, "
        f"both {both:.3f}"
    )
    if max(prompt_only, tune_only, both) - neither <= 2 * margin:
        status = NOT_AT_THIS_SCALE
        sentence = (
            f"no cell is clearly above the base model without context (all within "
            f"{2 * margin:.2f}): {measured}"
        )
    elif both > best_single + margin:
        status = SUPPORTED
        sentence = f"the combination beats {which} by {both - best_single:+.3f}: {measured}"
    elif both >= best_single - margin:
        status, sentence = PARTLY, f"the combination only matches {which}: {measured}"
    else:
        status, sentence = NOT_AT_THIS_SCALE, f"the combination is worse than {which}: {measured}"
    numbers = {"neither": neither, "prompt_only": prompt_only, "tune_only": tune_only,
               "both": both, "margin": margin}  # fmt: skip
    effect = f"both {both - best_single:+.3f} over the better single approach"
    return Verdict("C13", status, effect, numbers, sentence)


def rule_c14(rows: Sequence[dict[str, Any]], full: str, *, tolerance: float = 0.02) -> Verdict:
    """Does some shorter prompt keep the full prompt's accuracy?

    ``full`` names the row with every part switched on. The compressed prompt is the
    cheapest row within ``tolerance`` of its accuracy (``numbers["compressed"]``).
    "supported" when it needs at most half the tokens; "partly" when it saves fewer than
    half; "not at this scale" when no shorter prompt keeps the accuracy.
    """
    ref = next((r for r in rows if r["prompt"] == full), None)
    if ref is None:
        raise ValueError(f"no row named {full!r}")
    best = cheapest_keeping(rows, ref["accuracy"], tolerance=tolerance)
    ratio = ref["tokens"] / best["tokens"]
    measured = (
        f"full prompt {ref['tokens']:.0f} tokens, accuracy {ref['accuracy']:.3f}; "
        f"'{best['prompt']}' {best['tokens']:.0f} tokens, accuracy {best['accuracy']:.3f} "
        f"({ratio:.1f}x fewer tokens)"
    )
    if best is ref or ratio <= 1.0:
        status, sentence = NOT_AT_THIS_SCALE, f"no shorter prompt kept the accuracy: {measured}"
    elif ratio >= 2:
        status, sentence = SUPPORTED, f"a much shorter prompt kept the accuracy: {measured}"
    else:
        status, sentence = PARTLY, f"a somewhat shorter prompt kept the accuracy: {measured}"
    numbers = {"full": dict(ref), "compressed": dict(best), "tolerance": tolerance}
    return Verdict("C14", status, f"{ratio:.1f}x fewer tokens", numbers, sentence)


def rule_c15(
    rows: Sequence[dict[str, Any]],
    *,
    tolerance: float = 0.02,
    max_share: float = 0.5,
) -> Verdict:
    """Does a cascade keep the costly path's accuracy while sending it few requests?

    ``rows`` is a ``cascade_sweep`` that includes threshold 0 (the cheap path alone) and
    threshold 1 (everything escalated). The chosen row (``numbers["chosen"]``) is the
    cheapest whose accuracy is within ``tolerance`` of the costly path.

    * "not at this scale" when the costly path is not more accurate than the cheap one by
      more than ``tolerance``, or when only escalating (nearly) everything keeps its
      accuracy, or when that costs more than the costly path;
    * "supported" when the chosen row escalates at most ``max_share`` of the requests and
      costs less than sending everything to the costly path;
    * "partly" when it saves cost but escalates more than ``max_share``.
    """
    by_threshold = {r["threshold"]: r for r in rows}
    if 0.0 not in by_threshold or 1.0 not in by_threshold:
        raise ValueError("the sweep needs thresholds 0 (cheap path alone) and 1 (costly path)")
    cheap, strong = by_threshold[0.0], by_threshold[1.0]
    ends = f"cheap path alone {cheap['accuracy']:.3f}, costly path alone {strong['accuracy']:.3f}"
    numbers: dict[str, Any] = {"cheap_accuracy": cheap["accuracy"],
                               "costly_accuracy": strong["accuracy"], "chosen": None}  # fmt: skip
    if strong["accuracy"] <= cheap["accuracy"] + tolerance:
        sentence = f"the costly path is not more accurate than the cheap one ({ends})"
        return Verdict("C15", NOT_AT_THIS_SCALE, "nothing to escalate for", numbers, sentence)
    chosen = cheapest_meeting(rows, strong["accuracy"] - tolerance)
    assert chosen is not None  # threshold 1 itself meets it
    numbers["chosen"] = dict(chosen)
    alone = strong["cost_per_request"] - cheap["cost_per_request"]  # no cheap call first
    measured = (
        f"threshold {chosen['threshold']:.2f}: {chosen['share_escalated']:.0%} escalated, "
        f"accuracy {chosen['accuracy']:.3f} ({ends}); "
        f"cost {chosen['cost_per_request']:.0f} per request, {alone:.0f} for the costly path alone"
    )
    saves = (chosen["saving_vs_strong"] or 0) > 0 and chosen["share_escalated"] < 1
    effect = f"{chosen['share_escalated']:.0%} escalated"
    if saves and chosen["share_escalated"] <= max_share:
        status, sentence = SUPPORTED, f"the cheap path handled most requests: {measured}"
    elif saves:
        status, sentence = PARTLY, f"the cascade saves, but escalates many requests: {measured}"
    else:
        status = NOT_AT_THIS_SCALE
        sentence = (
            f"keeping the costly path's accuracy meant escalating too much to save: {measured}"
        )
    return Verdict("C15", status, effect, numbers, sentence)
