"""Benchmark: the queue recipe search behind lesson 06's queue fine-tune (claim C10).

Run:  HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/recipe_search.py [--only SETTING ...]

Trains (or loads from the checkpoint cache) each setting of ``finetune.search.SEARCH``
on the queue task, with early stopping where the setting asks for it, scores it on the
whole test split with the 0-shot queue prompt and compares it with the base model on the
same prompt (paired bootstrap interval, McNemar's exact test). Prints one line per
setting: steps, seconds of training on this machine, dev accuracy, test accuracy with its
95% interval, the paired difference against the base model with its p-value, and whether
it learns the codes (beats the base model at the 5% level and lies inside the category
fine-tune's interval). The results are written to ``finetune/recipe_search.json``, where
``finetune.search.stored_search`` reads them; ``--only`` replaces just those rows.

Timings are those of the first training of each recipe (a cached run reports the time it
took when it was trained); the machine's load average is printed, since on a shared
machine the seconds are only as good as it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys

import torch

from prompt_vs_finetune.finetune.search import (
    SEARCH,
    SEARCH_FILE,
    rate_dict,
    references,
    search_row,
    stored_search,
)
from prompt_vs_finetune.measure.intervals import correct_of, rate
from prompt_vs_finetune.model.choice import configured_name


def _line(row: dict) -> str:
    test = row["test"]
    return (
        f"{row['setting']:34s} {row['best_step']:>4}/{row['steps_run']:>3}/{row['budget']:<4}"
        f"{row['seconds']:7.0f} s  dev {row['dev']:.3f}  test {test['value']:.3f} "
        f"[{test['low']:.3f}, {test['high']:.3f}]  vs base {row['diff']:+.3f} "
        f"[{row['diff_low']:+.3f}, {row['diff_high']:+.3f}] p={row['p_value']:.2g}"
        f"  {'learns' if row['learns'] else '-'}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", choices=sorted(SEARCH), default=None)
    parser.add_argument("--threads", type=int, default=None, help="torch threads (default: torch)")
    args = parser.parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    print(f"load average: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores", flush=True)
    refs = references(progress=False)
    base, category = (rate(correct_of(refs[name])) for name in ("base", "category"))
    print(f"base model, instruction only: {base}")
    print(f"category fine-tune (its interval is the bar): {category}")
    old = {row["setting"]: row for row in (stored_search() or {}).get("rows", [])}
    rows = []
    for setting, options in SEARCH.items():
        if args.only is None or setting in args.only:
            rows.append(search_row(setting, options, refs, progress=True))
        elif setting in old:
            rows.append(old[setting])  # kept from the last run
        else:
            continue
        print(_line(rows[-1]), flush=True)
    result = {
        "model": configured_name(),
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores",
        "load_average": os.getloadavg()[0],
        "base": rate_dict(base),
        "category": rate_dict(category),
        "rows": rows,
    }
    SEARCH_FILE.write_text(json.dumps(result, indent=1) + "\n")
    print(f"written to {SEARCH_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
