"""Compare the results stores of two cold runs: did a change move any finding?

    python tools/compare_runs.py BEFORE AFTER

BEFORE and AFTER are course cache folders (or their ``results/results.json``), each filled
by a cold run of the lessons. A refactor may rename result kinds and fields and merge
duplicate measurements, so results are compared by value, not by key:

- every measured list (predictions, gold labels, replies, token counts...) and every
  non-timing number of BEFORE must appear in AFTER;
- every claim has the same verdict; numbers a claim stored before that AFTER keeps
  nowhere (derived values such as a sweep's rows, or cost assumptions that now live in
  code) are listed for a reader to judge, not counted as problems;
- no measurement is stored twice in AFTER (two entries for the same model with the same
  predictions and gold labels).

Timing fields (seconds, latencies, throughput, and numbers derived from a measured
training time) differ from run to run; they are listed by name and compared only as
ratios AFTER / BEFORE. Exit status 0 when nothing but timings moved.
"""

from __future__ import annotations

import json
import re
import statistics
import sys
from pathlib import Path
from typing import Any

#: Field names whose values are clock readings, or derived from one (a break-even volume
#: or an upfront cost computed from the measured training seconds).
TIMING = re.compile(
    r"(seconds|latenc|per_second|_at$|p50|p95|_ms$|^ms|time|speed|break_even|upfront"
    r"|payback|crossover|compute_cost|train_cost|retrain|rollback|cumulative)",
    re.IGNORECASE,
)


CHECKPOINT = re.compile(r"\+(lora|full)-[0-9a-f]{8}")


def load(path: str) -> dict[str, Any]:
    """The store file of a cache folder (or the file itself)."""
    p = Path(path)
    if p.is_dir():
        p = p / "results" / "results.json"
    return json.loads(p.read_text(encoding="utf-8"))


def leaves(obj: Any, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any]]:
    """(path, value) of every scalar, and of every list of scalars as one tuple."""
    if isinstance(obj, dict):
        return [leaf for k, v in obj.items() for leaf in leaves(v, (*path, str(k)))]
    if isinstance(obj, list):
        if all(not isinstance(v, dict | list) for v in obj):
            return [(path, tuple(obj))]
        return [leaf for i, v in enumerate(obj) for leaf in leaves(v, (*path, str(i)))]
    return [(path, obj)]


def is_timing(path: tuple[str, ...]) -> bool:
    """Whether a leaf is a timing: a field on its path (list indexes skipped) names one."""
    return any(TIMING.search(part) for part in path if not part.isdigit())


def _norm(value: Any) -> Any:
    """Floats rounded; a fine-tune's checkpoint hash in a model name (``+lora-1a2b3c4d``)
    masked, since checkpoint keys carry the results version."""
    if isinstance(value, str):
        return CHECKPOINT.sub(r"+\1-#", value)
    if isinstance(value, float):
        return round(value, 9)
    if isinstance(value, tuple):
        return tuple(_norm(v) for v in value)
    return value


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def values(entries: list[Any]) -> tuple[set[Any], dict[str, list[float]]]:
    """Measured values (as a set) and timing numbers by field name, over ``entries``.

    Measured values are numbers, booleans and lists; a list of numbers also gives its mean
    (a field that stored a mean before may store the per-item list after). Single strings
    are identities (a model name, a strategy, a template), not measurements, and are left
    out: a refactor may move them from a result into its key.
    """
    kept, timing = set(), {}
    for entry in entries:
        for path, value in leaves(entry):
            if is_timing(path):
                if _number(value):
                    timing.setdefault(path[-1], []).append(float(value))
            elif not isinstance(value, str):
                kept.add(_norm(value))
                if isinstance(value, tuple) and value and all(_number(v) for v in value):
                    kept.add(_norm(statistics.fmean(value)))
    return kept, timing


#: Result kinds that are clock readings as a whole (every number in them is a timing).
TIMING_KIND = re.compile(r"(latenc|seconds|timing|speed)", re.IGNORECASE)


def _timing_kind(entry: dict) -> bool:
    """A whole entry of a timing kind (request latency) is timing."""
    return bool(TIMING_KIND.search(str(entry.get("kind", ""))))


def _measured(store: dict) -> list[Any]:
    """Each stored entry's inputs and result; in an entry of a timing kind, every single
    number is a timing (its lists, such as tokens per request, are still compared)."""
    entries = []
    for e in store["results"].values():
        entry = {"inputs": e.get("inputs", {}), "result": e["result"]}
        if _timing_kind(e):
            lists = [v for path, v in leaves(entry) if isinstance(v, tuple) and not is_timing(path)]
            numbers = [v for _, v in leaves(entry) if _number(v)]
            entry = {"lists": [list(v) for v in lists], "seconds": numbers}
        entries.append(entry)
    return entries


def compare_results(before: dict, after: dict) -> list[str]:
    """Problems: measured values of BEFORE's results that AFTER lacks."""
    b_vals, b_time = values(_measured(before))
    a_vals, a_time = values(_measured(after))
    missing = sorted((v for v in b_vals - a_vals), key=repr)
    problems = [f"result value missing after: {str(v)[:120]}" for v in missing]
    print(
        f"results: {len(before['results'])} entries before, {len(after['results'])} after; "
        f"{len(b_vals)} distinct non-timing values before, {len(missing)} missing after"
    )
    print_ratios("results", b_time, a_time)
    return problems


def _claim_parts(entry: dict) -> tuple[str, Any, str]:
    status = entry.get("status", entry.get("verdict"))
    numbers = entry.get("numbers", entry.get("detail", {}))
    sentence = entry.get("sentence", entry.get("measured", ""))
    return status, numbers, sentence


def compare_claims(before: dict, after: dict) -> list[str]:
    """Problems: a claim whose verdict or non-timing numbers changed, or that is missing.

    A number a claim stored before must be among the numbers it stores after, or among the
    measurements of AFTER's results store (the registry may keep a measurement by
    reference instead of copying it into the claim).
    """
    problems = []
    measured, _ = values(_measured(after))
    for cid in sorted(before["claims"], key=lambda c: int(c[1:])):
        if cid not in after["claims"]:
            problems.append(f"{cid}: recorded before, missing after")
            continue
        b_status, b_numbers, b_text = _claim_parts(before["claims"][cid])
        a_status, a_numbers, a_text = _claim_parts(after["claims"][cid])
        b_vals, b_time = values([b_numbers])
        a_vals, a_time = values([a_numbers])
        lost = b_vals - a_vals - measured
        same = "same" if b_status == a_status else "CHANGED"
        print(f"{cid:>4}: {b_status} -> {a_status} ({same})")
        if b_status != a_status:
            problems.append(f"{cid}: verdict {b_status!r} became {a_status!r}")
        if lost:  # the verdict held; say which of its stored numbers AFTER no longer keeps
            shown = ", ".join(str(v)[:24] for v in sorted(lost, key=repr)[:6])
            print(
                f"      {len(lost)} number(s) the claim stored before are stored nowhere after "
                f"(derived from stored measurements, or an assumption): {shown}"
                + (" ..." if len(lost) > 6 else "")
            )
        if b_text != a_text:
            print(f"      sentence before: {b_text}\n      sentence after:  {a_text}")
        print_ratios(f"      {cid}", b_time, a_time)
    return problems


def duplicates(after: dict) -> list[str]:
    """Entries of AFTER that hold the same measurement (model, predictions, gold) twice."""
    seen: dict[Any, str] = {}
    problems = []
    for key, entry in after["results"].items():
        r = entry["result"]
        if "predictions" not in r or "gold" not in r:
            continue
        sig = (r.get("model"), tuple(r["predictions"]), tuple(r["gold"]), r.get("calibrated"))
        if sig in seen:
            problems.append(f"measured twice: {seen[sig]} and {key}")
        seen[sig] = key
    print(f"duplicate measurements after: {len(problems)}")
    return problems


def print_ratios(label: str, before: dict[str, list[float]], after: dict[str, list[float]]):
    """Median AFTER / BEFORE per timing field present in both."""
    parts = []
    for name in sorted(set(before) & set(after)):
        b, a = statistics.median(before[name]), statistics.median(after[name])
        if b:
            parts.append(f"{name} x{a / b:.2f}")
    if parts:
        print(f"{label} timing (median after/before): " + ", ".join(parts))


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__)
        return 2
    before, after = load(argv[0]), load(argv[1])
    problems = compare_results(before, after) + compare_claims(before, after) + duplicates(after)
    for p in problems:
        print("PROBLEM:", p)
    print("identical apart from timings" if not problems else f"{len(problems)} problem(s)")
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
