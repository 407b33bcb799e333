"""The rules of claims C1-C7 (lessons 01 to 04): measurements in, a ``Verdict`` out."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from prompt_vs_finetune.claims.evidence import compare, fact, verdict_of
from prompt_vs_finetune.claims.verdict import Verdict, status_over_range
from prompt_vs_finetune.economics.presets import PLACES, break_even_place
from prompt_vs_finetune.finetune.diagnosis import diverged
from prompt_vs_finetune.measure.intervals import correct_of
from prompt_vs_finetune.prompting.variants import C1_VARIANTS
from prompt_vs_finetune.prompting.versions import FINE_TUNE_KNOBS, PROMPT_KNOBS

__all__ = ["rule_c1", "rule_c2", "rule_c3", "rule_c4", "rule_c5", "rule_c6", "rule_c7"]

BIG_CHANGE = 0.25  # C1: "changes the output a lot"
HELPS = 0.10  # C1: an improvement of at least 4 tickets in 40
DEGRADED = 0.10  # C5: accuracy lost by a fine-tune that "broke the model"
SLOWER = 10.0  # C5: how many times longer retraining must take than a prompt rollback
EROSION = 0.05  # C6: fall of the mean probability of the right probe answers


def rule_c1(results: Sequence[dict[str, Any]], chance: float | None = None) -> Verdict:
    """C1 from the ``run_variant`` results of ``C1_VARIANTS`` (in that order), same tickets.

    Two paired parts: a format instruction raises format validity over the bare question
    (the better of the two format-instructed variants), and asking step by step raises
    accuracy over "format + answer cue". ``chance`` is only quoted in the sentence.
    """
    by_name = {r["variant"]: r for r in results}
    missing = {v.name for v in C1_VARIANTS} - set(by_name)
    if missing:
        raise ValueError(f"results are missing the variants {sorted(missing)}")
    bare, cue = by_name["bare question"], by_name["format + answer cue"]
    formatted = max(by_name["one word from a list"], cue, key=lambda r: sum(r["valid"]))
    parts = [
        compare(f"format validity, {formatted['variant']!r} minus bare question",
                _ints(bare["valid"]), _ints(formatted["valid"])),
        compare("accuracy, step by step minus one step", _right(cue),
                _right(by_name["step by step"])),
    ]  # fmt: skip
    acc = [r["accuracy"] for r in results]
    note = f"accuracy ranges from {min(acc):.0%} to {max(acc):.0%} across the wordings" + (
        f" (guessing gives {chance:.0%})" if chance is not None else ""
    )
    variants = {r["variant"]: {"accuracy": r["accuracy"], "format_validity": r["format_validity"]}
                for r in results}  # fmt: skip
    return verdict_of("C1", parts, numbers={"variants": variants}, note=note)


def _ints(flags: Sequence[bool]) -> list[int]:
    return [int(bool(f)) for f in flags]


def _right(result: dict[str, Any]) -> list[int]:
    return [int(p == g) for p, g in zip(result["predicted"], result["gold"], strict=True)]


def rule_c2(record: dict[str, Any]) -> Verdict:
    """C2 from ``weight_change_record``: a computed claim whose range is one point.

    Every weight is compared exactly, with no sampled input, so both ends of the range are
    the measurement itself. The claim holds there when prompting moved no weight at all
    (total change exactly 0) and the fine-tune moved some; ``status_over_range`` then gives
    "supported", and "contradicted" when either half fails.
    """
    untouched = record["prompted_total"] == 0.0
    moved = record["tuned_total"] > 0.0
    holds = untouched and moved
    failed = [half for half, ok in (("prompting changed weights", untouched),
                                    ("the fine-tune changed none", moved)) if not ok]  # fmt: skip
    sentence = (
        f"after prompting, {record['prompted_changed']:.0%} of the {record['n_params']:,} "
        f"weights differ (total change {record['prompted_total']:.3g}); after the fine-tune, "
        f"{record['tuned_changed']:.2%} differ (total change {record['tuned_total']:.3g}); "
        + ("both halves of the claim hold." if holds else f"{' and '.join(failed)}.")
    )
    keys = ("prompted_total", "tuned_total", "prompted_changed", "tuned_changed", "n_params")
    effect = (
        f"weights changed: {record['prompted_changed']:.0%} by prompting, "
        f"{record['tuned_changed']:.2%} by the fine-tune"
    )
    test = (f"all {record['n_params']:,} weights compared exactly: no sampled input, so the "
            "range is one point")  # fmt: skip
    return Verdict("C2", status_over_range(holds, holds), effect,
                   {k: record[k] for k in keys}, sentence, test=test)  # fmt: skip


def rule_c3(rows: Sequence[dict[str, Any]]) -> Verdict:
    """C3 from ``tokens_per_k`` rows (sorted by k here), over the range of request lengths.

    At each k the requests range from the shortest ticket's (``prompt_tokens_min``) to the
    longest's (``prompt_tokens_max``). The claim holds at the low end when the shortest
    request grows with every added example, at the high end when the longest does (at a
    price per token, so does the cost of every call); ``status_over_range`` gives the
    status. Latency is quoted, not judged: it is timed on a few tickets and noisy.
    """
    rows = sorted(rows, key=lambda r: r["k"])
    ks = [r["k"] for r in rows]
    ends = {"shortest": [r["prompt_tokens_min"] for r in rows],
            "longest": [r["prompt_tokens_max"] for r in rows]}  # fmt: skip
    stalls = {end: [k for k, a, b in zip(ks[1:], xs, xs[1:], strict=False) if b <= a]
              for end, xs in ends.items()}  # fmt: skip
    tokens = [r["prompt_tokens"] for r in rows]
    lat = [r["latency_p50"] for r in rows]
    ratio = tokens[-1] / tokens[0] if tokens[0] else math.inf
    grew = "; ".join(
        f"the {end} request grew with every added example ({xs[0]:.0f} -> {xs[-1]:.0f})"
        if not stalls[end] else f"the {end} request did not grow at k = {stalls[end]}"
        for end, xs in ends.items()
    )
    sentence = (
        f"{ks[-1]}-shot sends {tokens[-1]:.0f} prompt tokens per request on average vs "
        f"{tokens[0]:.0f} at {ks[0]}-shot ({ratio:.1f}x, so {ratio:.1f}x the input cost); "
        f"{grew}; median latency {lat[-1] * 1000:.0f} ms vs {lat[0] * 1000:.0f} ms."
    )
    status = status_over_range(not stalls["shortest"], not stalls["longest"])
    test = (f"shortest and longest of the requests at k = {', '.join(map(str, ks))}: "
            f"{ends['shortest'][0]:.0f}-{ends['longest'][0]:.0f} tokens at k = {ks[0]}, "
            f"{ends['shortest'][-1]:.0f}-{ends['longest'][-1]:.0f} at k = {ks[-1]}")  # fmt: skip
    numbers = {"ks": ks, "prompt_tokens": tokens, "latency_p50": lat, **ends}
    return Verdict("C3", status, f"{ratio:.1f}x the prompt tokens", numbers, sentence,
                   test=test)  # fmt: skip


def rule_c4(summaries: dict[str, dict[str, Any]]) -> Verdict:
    """C4 under each named scenario, from ``economics.presets.break_even_by_preset``.

    The scenarios are the ends of the range. The claim holds under one when fine-tuning
    costs money before the first request (upfront > 0) and its break-even volume lies
    inside the volumes that scenario considers (``volume_range``), prompting being the
    cheaper below it and fine-tuning above it: then volume decides. A break-even below
    that range means the fine-tune pays back at any volume worth serving; none, or one
    above it, that it never does. ``status_over_range`` gives the status.
    """
    if "break_even" in summaries or not summaries:
        raise TypeError("C4 needs one summary per scenario: economics.presets."
                        "break_even_by_preset(...), not a single break_even_summary.")
    ends, parts = {}, []
    for name, s in summaries.items():
        place, upfront = break_even_place(s), float(s["upfront"])
        flips = s["cheaper_below"] == "prompting" and s["cheaper_above"] == "fine-tuning"
        holds = upfront > 0 and place == "inside" and flips
        be = "no break-even" if s["break_even"] is None else f"{s['break_even']:,.0f}"
        ends[name] = {"upfront": upfront, "break_even": s["break_even"], "place": place,
                      "volume_range": list(s["volume_range"]), "holds": holds,
                      **{k: s[k] for k in ("cost_per_request_prompt", "cost_per_request_tuned",
                                           "horizon_months", "cheaper_below", "cheaper_above")}}
        parts.append(f"{name}: {upfront:,.2f} up front, break-even {be} requests/month over "
                     f"{s['horizon_months']:g} months, {PLACES[place]}")  # fmt: skip
    holding = [name for name, e in ends.items() if e["holds"]]
    volumes = [e["break_even"] for e in ends.values() if e["break_even"] is not None]
    span = f"{min(volumes):,.0f}-{max(volumes):,.0f}" if volumes else "none"
    low, high = next(iter(ends.values()))["volume_range"]
    failing = [name for name in ends if name not in holding]
    where = " and ".join(holding) if holding else "neither scenario"
    sentence = f"{'; '.join(parts)}. The claim holds for {where}" + (
        f", not for {' and '.join(failing)}." if holding and failing else "."
    )
    test = (f"both named scenarios ({', '.join(ends)}): break-even {span} requests/month "
            f"against the volumes considered, {low:,.0f}-{high:,.0f}")  # fmt: skip
    status = status_over_range(len(holding) == len(ends), bool(holding))
    return Verdict("C4", status, f"break-even {span} requests/month", {"scenarios": ends},
                   sentence, test=test)  # fmt: skip


def rule_c5(
    wrecked_losses: Sequence[float],
    base: Any,
    wrecked: Any,
    rollback: dict[str, Any],
    retrain_seconds: float,
) -> Verdict:
    """C5: a bad prompt is undone at once; a bad fine-tune can wreck the model.

    ``base`` and ``wrecked`` are test ``Evaluation``s on the same tickets. Parts: the
    wrecked run's loss ``diverged`` (computed); its accuracy minus the base model's lies
    below zero (paired); the rollback restored the good prompt's answers exactly and
    retraining takes at least ``SLOWER`` times as long (computed).
    """
    seconds = rollback["rollback_seconds"]
    ratio = retrain_seconds / seconds if seconds else math.inf
    restored = bool(rollback.get("restored_identical")) or math.isclose(
        rollback["restored_accuracy"], rollback["good_accuracy"]
    )
    parts = [
        fact("wrecked run's loss diverged", diverged(wrecked_losses), max(wrecked_losses)),
        compare("accuracy, wrecked fine-tune minus base", correct_of(base),
                correct_of(wrecked), claimed="below"),
        fact("rollback restored the answers", restored, rollback["restored_accuracy"]),
        fact(f"retraining over rollback time (bar {SLOWER:.0f}x)", ratio >= SLOWER, ratio),
    ]  # fmt: skip
    note = (f"bad prompt {rollback['bad_accuracy']:.0%}, rolled back to "
            f"{rollback['restored_accuracy']:.0%} in {seconds:.1f} s vs {retrain_seconds:.0f} s "
            "to retrain")  # fmt: skip
    return verdict_of("C5", parts, numbers={"retrain_over_rollback": ratio}, note=note)


def rule_c6(careful: dict[str, Any], wrecked: dict[str, Any] | None = None) -> Verdict:
    """C6 from ``probe_summary`` of a careful fine-tune (and of a wrecked one).

    The claim needs a fine-tune whose loss looked healthy to lose abilities: the careful
    run's probe accuracy after minus before must lie below zero (paired over the probe
    questions). The wrecked run is reported in the sentence, not judged: a diverged
    loss curve already warns without any regression test.
    """
    part = compare("probe accuracy, careful fine-tune minus base", *_probe_flags(careful),
                   claimed="below")  # fmt: skip
    note = f"careful run forgot {careful['forgotten']}, learned {careful['learned']}"
    if wrecked:
        before, after = wrecked["accuracy_before"], wrecked["accuracy_after"]
        note += (f"; the wrecked run forgot {wrecked['forgotten']} (probe accuracy "
                 f"{before:.0%} -> {after:.0%})")  # fmt: skip
    numbers = {"careful": dict(careful), "wrecked": dict(wrecked) if wrecked else None}
    return verdict_of("C6", [part], numbers=numbers, note=note)


def _probe_flags(summary: dict[str, Any]) -> tuple[list[int], list[int]]:
    """Right/wrong per probe question before and after, rebuilt from the summary's counts."""
    kept, lost, learned = summary["kept"], summary["forgotten"], summary["learned"]
    rest = summary["n"] - kept - lost - learned
    before = [1] * kept + [1] * lost + [0] * learned + [0] * rest
    after = [1] * kept + [0] * lost + [1] * learned + [0] * rest
    return before, after


def rule_c7(
    prompt_seconds_per_turn: float,
    train_seconds_per_turn: float,
    diagnoses_right: int,
    diagnoses_total: int,
) -> Verdict:
    """C7, only its measurable part: the cost of one turn of each loop, and the knobs.

    Parts (computed): one training turn takes at least 3 times a prompt turn; training
    has more knobs to understand; the library's diagnosis told the runs apart
    (``diagnoses_right`` of ``diagnoses_total``). How fast people learn either skill is
    not measured, and the sentence says so.
    """
    if prompt_seconds_per_turn <= 0 or train_seconds_per_turn <= 0:
        raise ValueError("seconds per turn must be positive")
    ratio = train_seconds_per_turn / prompt_seconds_per_turn
    parts = [
        fact("training turn over prompt turn (bar 3x)", ratio >= 3, ratio),
        fact("knobs, fine-tune over prompt", len(FINE_TUNE_KNOBS) > len(PROMPT_KNOBS),
             len(FINE_TUNE_KNOBS) / len(PROMPT_KNOBS)),
        fact("training runs diagnosed right", diagnoses_right == diagnoses_total > 0,
             diagnoses_right),
    ]  # fmt: skip
    note = (f"one prompt turn {prompt_seconds_per_turn:.1f} s, one training turn "
            f"{train_seconds_per_turn:.1f} s; how fast people learn each skill was not "
            "measured")  # fmt: skip
    numbers = {"prompt_seconds": prompt_seconds_per_turn, "train_seconds": train_seconds_per_turn,
               "diagnoses_right": diagnoses_right, "diagnoses": diagnoses_total}  # fmt: skip
    return verdict_of("C7", parts, numbers=numbers, note=note)
