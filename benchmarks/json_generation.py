"""Benchmark: lesson 05's JSON extraction with the few-shot beginning read once per batch.

Run:  HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/json_generation.py [--n 24] [--threads N]
          [--techniques fewshot prefill]

Lesson 05 asks the default model for the six fields of 24 test tickets with each of the five
prompting techniques (``prompting.structured_output.measure_techniques``). Within a batch,
every prompt of a technique starts with the same instruction and examples. This script runs
each technique twice, side by side in one process:

- baseline: every row of a batch is read whole (``MIN_SHARED_PREFIX`` set out of reach);
- candidate: the rows' shared beginning is read once and its keys and values copied to every
  row (``model.generation``, what the course does).

It prints the seconds of each per technique, the ratio candidate / baseline, and whether the
answers are the same text, row by row. Nothing is stored. The machine's load average comes
first: timings are only as good as the machine is quiet.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import torch

from prompt_vs_finetune.data import load_tickets
from prompt_vs_finetune.model import generation
from prompt_vs_finetune.model.loading import load_model
from prompt_vs_finetune.prompting.extraction import TECHNIQUES, extract_json


def _timed(lm, tickets, technique: str, shared: bool) -> tuple[list[str], float]:
    generation.MIN_SHARED_PREFIX = 16 if shared else 10**9
    start = time.perf_counter()
    table = extract_json(lm, tickets, technique, max_new_tokens=96)
    return [row["raw"] for row in table], time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=24, help="test tickets (lesson 05: 24)")
    parser.add_argument("--threads", type=int, default=None, help="torch threads (default: torch)")
    parser.add_argument("--techniques", nargs="+", choices=TECHNIQUES, default=list(TECHNIQUES))
    args = parser.parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs, "
          f"{torch.get_num_threads()} torch threads")
    lm = load_model(verbose=False)
    tickets = load_tickets("intent").subset("test", args.n, seed=0)
    ratios, same_rows, rows = [], 0, 0
    for technique in args.techniques:
        whole, base_s = _timed(lm, tickets, technique, shared=False)
        once, cand_s = _timed(lm, tickets, technique, shared=True)
        same = sum(a == b for a, b in zip(whole, once, strict=True))
        same_rows, rows = same_rows + same, rows + len(whole)
        ratios.append(cand_s / base_s)
        print(f"{technique:>8}: read whole {base_s:6.1f} s, shared beginning once {cand_s:6.1f} s,"
              f" ratio {cand_s / base_s:.2f}, same answers {same}/{len(whole)}")
    generation.MIN_SHARED_PREFIX = 16
    print(f"median ratio {statistics.median(ratios):.2f}; same answers {same_rows}/{rows}")
    return 0 if same_rows == rows else 1


if __name__ == "__main__":
    raise SystemExit(main())
