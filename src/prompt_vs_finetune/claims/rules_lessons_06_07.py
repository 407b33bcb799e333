"""The rules of claims C9-C15 (lessons 06 and 07): per-item measurements in, a ``Verdict`` out.

Each claim compares conditions on the same test items, so each rule pairs them item by
item (``claims.evidence``) and lets the one verdict rule decide.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from prompt_vs_finetune.claims.evidence import Part, against, compare, fact, verdict_of
from prompt_vs_finetune.claims.verdict import NOT_AT_THIS_SCALE, SUPPORTED, Verdict
from prompt_vs_finetune.hybrid.cascade import cascade_correct, cheapest_meeting
from prompt_vs_finetune.measure.intervals import Rate, correct_of, paired_scores, rate
from prompt_vs_finetune.prompting.compression import cheapest_keeping

__all__ = ["RIVAL", "rule_c9", "rule_c10", "rule_c11", "rule_c12", "rule_c13", "rule_c14",
           "rule_c15"]  # fmt: skip

#: How much worse than the fine-tune a prompt may be and still "rival" it (C9, C14, C15).
RIVAL = 0.05


def _same_items(*evaluations: Any) -> None:
    ids = [list(e.ids) for e in evaluations]
    if any(i != ids[0] for i in ids[1:]):
        raise ValueError("these evaluations did not score the same items in the same order")


def _not_at_this_scale(verdict: Verdict, recipe_search: Sequence[dict], why: str) -> Verdict:
    """``verdict`` turned into "not at this scale", with the recipe search it rests on."""
    numbers = {**verdict.numbers, "recipe_search": list(recipe_search)}
    return replace(verdict, status=NOT_AT_THIS_SCALE, numbers=numbers,
                   sentence=f"{why}; {verdict.sentence}")  # fmt: skip


def rule_c9(prompt: Any, tuned: Any, *, margin: float = RIVAL) -> Verdict:
    """Can few-shot prompting rival the fine-tune? Two test ``Evaluation``s, same items.

    ``prompt`` is the best prompt chosen on train and dev data only; ``tuned`` the
    fine-tuned model. The prompt rivals the fine-tune when prompt minus fine-tune lies
    above ``-margin`` (at most ``margin`` worse).
    """
    _same_items(prompt, tuned)
    part = compare(f"prompt minus fine-tune (bar -{margin:.2f})", correct_of(tuned),
                   correct_of(prompt), bar=-margin)  # fmt: skip
    note = f"prompt {rate(correct_of(prompt))}, fine-tune {rate(correct_of(tuned))}"
    return verdict_of("C9", [part], numbers={"margin": margin}, note=note)


def rule_c10(
    base: Any, prompted: Any, tuned: Any, *, recipe_search: Sequence[dict] | None = None
) -> Verdict:
    """Did the fine-tune learn knowledge the base model lacks, beyond what a prompt gives?

    Three test ``Evaluation``s on the same items: ``base`` (instruction only), ``prompted``
    (the best prompt that states the rules), ``tuned`` (the fine-tune, instruction only).
    "not at this scale" needs ``recipe_search``: the recipes tried before giving up.
    """
    _same_items(base, prompted, tuned)
    flags = {name: correct_of(e) for name, e in
             (("base", base), ("prompted", prompted), ("tuned", tuned))}  # fmt: skip
    parts = [compare("fine-tune minus base", flags["base"], flags["tuned"]),
             compare("fine-tune minus best prompt with the rules", flags["prompted"],
                     flags["tuned"])]  # fmt: skip
    note = ", ".join(f"{name} {rate(f)}" for name, f in flags.items())
    verdict = verdict_of("C10", parts, note=note)
    if recipe_search and parts[0].status != SUPPORTED:
        why = f"no recipe tried taught the routing ({len(recipe_search)} tried)"
        return _not_at_this_scale(verdict, recipe_search, why)
    return verdict


def _per_ticket_agreement(result: Mapping[str, Any]) -> list[float]:
    """For each ticket, the share of its sampled answers equal to its most common one."""
    return [Counter(row).most_common(1)[0][1] / len(row) for row in result["samples"]]


def rule_c11(prompted: Mapping[str, Any], tuned: Mapping[str, Any]) -> Verdict:
    """Is the fine-tuned model more consistent when sampled? Two ``sampled_consistency``
    results on the same tickets; per-ticket agreement is paired, fine-tune minus prompt."""
    a, b = _per_ticket_agreement(prompted), _per_ticket_agreement(tuned)
    part = compare("agreement, fine-tune minus prompt", paired_scores(a, b))
    note = f"{prompted['n_samples']} samples per ticket at T={prompted['temperature']}"
    return verdict_of("C11", [part], note=note)


def rule_c12(prompted: Mapping[str, Any], tuned: Mapping[str, Any]) -> Verdict:
    """Shorter inputs, faster answers? Two ``latency_study`` conditions, same tickets.

    The fine-tune must send fewer tokens (computed) and its per-request time minus the
    prompt's must lie below zero (paired, seconds).
    """
    ratio = prompted["mean_tokens"] / tuned["mean_tokens"]
    parts = [
        fact("prompt tokens over fine-tune tokens", ratio > 1, ratio),
        compare("seconds per request, fine-tune minus prompt",
                paired_scores(prompted["seconds"], tuned["seconds"]), claimed="below"),
    ]  # fmt: skip
    note = (f"median {prompted['p50'] * 1000:.0f} ms vs {tuned['p50'] * 1000:.0f} ms "
            f"({prompted['p50'] / tuned['p50']:.2f}x faster)")  # fmt: skip
    return verdict_of("C12", parts, numbers={"token_ratio": ratio}, note=note)


def rule_c13(
    neither: Any,
    prompt_only: Any,
    tune_only: Any,
    both: Any,
    *,
    recipe_search: Sequence[dict] | None = None,
) -> Verdict:
    """Does fine-tune + instance context beat either alone? Four ``Evaluation``s, same items.

    The combination must beat the fine-tune alone and the prompt alone (paired).
    "not at this scale" needs ``recipe_search`` and a fine-tune that did not beat the base.
    """
    _same_items(neither, prompt_only, tune_only, both)
    flags = [correct_of(e) for e in (neither, prompt_only, tune_only, both)]
    parts = [compare("both minus the fine-tune alone", flags[2], flags[3]),
             compare("both minus the prompt alone", flags[1], flags[3])]  # fmt: skip
    names = ("neither", "prompt only", "fine-tune only", "both")
    note = ", ".join(f"{name} {rate(f)}" for name, f in zip(names, flags, strict=True))
    verdict = verdict_of("C13", parts, note=note)
    learned = compare("fine-tune minus base", flags[0], flags[2])
    if recipe_search and learned.status != SUPPORTED and verdict.status != SUPPORTED:
        why = f"the fine-tune never learned the domain ({learned})"
        return _not_at_this_scale(verdict, recipe_search, why)
    return verdict


def rule_c14(rows: Sequence[dict[str, Any]], full: str, *, margin: float = RIVAL) -> Verdict:
    """Does a shorter prompt keep the full prompt's accuracy? An ``ablation_table``.

    The compressed prompt is the cheapest row within ``margin`` of the full prompt's
    accuracy (chosen on these items). It keeps quality when compressed minus full lies
    above ``-margin`` (paired) and it needs at most half the tokens (computed).
    """
    ref = next((r for r in rows if r["prompt"] == full), None)
    if ref is None:
        raise ValueError(f"no row named {full!r}")
    best = cheapest_keeping(rows, ref["accuracy"], tolerance=margin)
    results = rows.results  # type: ignore[attr-defined]
    ratio = ref["tokens"] / best["tokens"]
    parts: list[Part] = [
        fact("full prompt tokens over compressed", ratio >= 2, ratio),
        compare(f"compressed minus full (bar -{margin:.2f})", correct_of(results[full]),
                correct_of(results[best["prompt"]]), bar=-margin),
    ]  # fmt: skip
    note = (f"compressed prompt: {best['prompt']!r}, {best['tokens']:.0f} vs "
            f"{ref['tokens']:.0f} tokens")  # fmt: skip
    numbers = {"full": dict(ref), "compressed": dict(best), "margin": margin}
    return verdict_of("C14", parts, numbers=numbers, note=note)


def rule_c15(
    rows: Sequence[dict[str, Any]], cascade: Mapping[str, Any], *, margin: float = RIVAL
) -> Verdict:
    """Does the cheap path take most requests while the cascade keeps the costly accuracy?

    ``rows``: a ``cascade_sweep`` with thresholds 0 and 1; ``cascade``: its inputs
    (``cascade_inputs``). The chosen threshold is the cheapest whose accuracy is within
    ``margin`` of the costly path. Parts: the costly path beats the cheap one; the cheap
    path keeps more than half the requests (Wilson); the cascade minus the costly path
    lies above ``-margin`` (paired).
    """
    ends = {r["threshold"]: r for r in rows}
    if 0.0 not in ends or 1.0 not in ends:
        raise ValueError("the sweep needs thresholds 0 (cheap path alone) and 1 (costly path)")
    chosen = cheapest_meeting(rows, ends[1.0]["accuracy"] - margin)
    cheap, costly = cascade_correct(0.0, **cascade), cascade_correct(1.0, **cascade)
    mixed = cascade_correct(chosen["threshold"], **cascade)
    n = len(mixed)
    kept = rate(n - chosen["n_escalated"], n)
    parts = [
        compare("costly path minus cheap path", cheap, costly),
        against("share the cheap path keeps", kept, 0.5),
        compare(f"cascade minus costly path (bar -{margin:.2f})", costly, mixed, bar=-margin),
    ]
    note = (f"threshold {chosen['threshold']:.2f}, cost {chosen['cost_per_request']:.0f} per "
            f"request vs {ends[1.0]['cost_per_request']:.0f} escalating all; "
            f"{waterfall_split(kept)}")  # fmt: skip
    numbers = {"chosen": dict(chosen), "margin": margin, "kept_share": kept.value,
               "kept_interval": [kept.low, kept.high]}  # fmt: skip
    return verdict_of("C15", parts, numbers=numbers, note=note)


#: The guide's rule of thumb for a waterfall: the cheap path keeps about 80% of requests.
GUIDE_SPLIT = 0.80


def waterfall_split(kept: Rate) -> str:
    """The measured share kept by the cheap path beside the guide's 80/20 split."""
    if kept.low <= GUIDE_SPLIT <= kept.high:
        where = "the guide's 80% lies inside that interval"
    else:
        where = f"the guide's 80% lies {'below' if kept.low > GUIDE_SPLIT else 'above'} it"
    return (f"the cheap path kept {kept.value:.0%} of requests [95% interval {kept.low:.0%}, "
            f"{kept.high:.0%}] at that threshold; {where}")  # fmt: skip
