"""Benchmark: the smallest failure demos whose readings stay the same.

Run:  HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/failure_demos.py [--threads N]

Lessons 03 and 04 train three runs only to show what goes wrong: ``overfit`` (16 tickets,
many steps), ``wrecked`` (every weight, a learning rate far too high) and ``full`` (a
careful full fine-tune that can forget). A run that takes fewer steps teaches the same
thing if what the lessons read from it stays the same. For each run this script trains the
course's setting (baseline) and a smaller one (candidate) side by side, from an empty
temporary cache, and prints for both:

- the seconds it trained (the ratio candidate / baseline);
- its diagnosis (``finetune.diagnosis``: healthy, overfitting or diverged), which lesson 04,
  claim C7 and exercises 04 and 08 read;
- for ``wrecked`` and ``full``, the general-ability probe against the base model
  (``finetune.risk.probe_summary``: kept, forgotten, learned), which claim C6 reads, and
  C6's status with the run as its careful fine-tune (``full``);
- for ``wrecked``, its test accuracy with the 0-shot prompt (claim C5 reads it).

The last line says, per run, whether the candidate kept every reading.
"""

from __future__ import annotations

import argparse
import os
import time

import torch
from _cache import fresh_cache  # benchmarks/_cache.py (scripts run from this folder)

#: run -> the options changed in the candidate
CANDIDATES = {
    "overfit": {"steps": 40},
    "wrecked": {"steps": 10},
    "full": {"steps": 20},
}


def _readings(name: str, run, lm, task, base_probe) -> dict:
    from prompt_vs_finetune.claims.rules_lessons_01_04 import rule_c6
    from prompt_vs_finetune.finetune.diagnosis import diagnose_run
    from prompt_vs_finetune.finetune.risk import probe_summary
    from prompt_vs_finetune.measure.evaluate import evaluate
    from prompt_vs_finetune.measure.probes import run_probe
    from prompt_vs_finetune.prompting.fewshot import build_prompt

    found = {"diagnosis": diagnose_run(run).verdict}
    if name in ("wrecked", "full"):
        summary = probe_summary(base_probe, run_probe(run.lm))
        found["probe"] = {k: summary[k] for k in ("kept", "forgotten", "learned")}
        if name == "full":
            found["C6"] = rule_c6(summary).status
    if name == "wrecked":
        found["test accuracy"] = round(evaluate(run.lm, task, build_prompt(task, k=0),
                                                split="test").accuracy, 3)  # fmt: skip
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=None, help="torch threads (default: torch)")
    args = parser.parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    fresh_cache("pvf-demos-bench-")
    # imported here so that nothing reads the cache location before it is set
    from prompt_vs_finetune.data import load_tickets
    from prompt_vs_finetune.finetune.recipes import COURSE_RUNS, train_recipe
    from prompt_vs_finetune.measure.probes import run_probe
    from prompt_vs_finetune.model.loading import load_model

    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs, "
          f"{torch.get_num_threads()} torch threads")
    lm = load_model(verbose=False)
    base_probe = run_probe(lm)
    verdicts = []
    for name, change in CANDIDATES.items():
        target, options, _ = COURSE_RUNS[name]
        task = load_tickets(target)
        found = {}
        for which, opts in (("baseline", options), ("candidate", {**options, **change})):
            start = time.perf_counter()
            run = train_recipe(target, opts, progress=False)
            seconds = time.perf_counter() - start
            found[which] = _readings(name, run, lm, task, base_probe)
            print(f"{name:>8} {which:>9} {opts}: {seconds:6.1f} s, {found[which]}", flush=True)
            found[f"{which} s"] = seconds
        same = found["baseline"] == found["candidate"]
        ratio = found["candidate s"] / found["baseline s"]
        verdicts.append(f"{name}: ratio {ratio:.2f}, readings {'kept' if same else 'CHANGED'}")
    print("; ".join(verdicts))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
