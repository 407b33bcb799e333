"""Benchmark: the default tiny fine-tune on the ticket category task, from an empty cache.

Run:  HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/finetune_speed.py [--threads N] [--keep]

1. Points the course cache at a new temporary folder, so no checkpoint exists. The
   converted default model (``models/`` of the real cache) is symlinked into it, to skip
   the one-time 20 s GGUF conversion, which is not part of fine-tuning.
2. ``fine_tune(task)`` with its defaults: wall time (dev evaluations and saving
   included), training steps per second, dev accuracy.
3. Test accuracy of the fine-tuned model (k=0 prompt) and of the 8-shot prompted base
   model (``build_prompt(task, k=8)``), both with ``evaluate`` on the whole test split.
4. ``fine_tune(task)`` again: the checkpoint is loaded, not trained; its load time.
5. Adapter size on disk against one full model copy.

Targets (2-core CPU): fine-tune under 90 s, checkpoint load under 5 s. The machine's
load average is printed first: on a shared machine the timings are only as good as it.
The last line holds every figure.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time

import torch
from _cache import fresh_cache  # benchmarks/_cache.py (scripts run from this folder)

from prompt_vs_finetune.model.loading import load_model

TRAIN_TARGET_S = 90.0
LOAD_TARGET_S = 5.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=None, help="torch threads (default: torch)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary cache folder")
    args = parser.parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)

    tmp, real_models = fresh_cache("pvf-finetune-bench-", verbose=True)

    # imported here so that nothing reads the cache location before it is set
    from prompt_vs_finetune.data import load_tickets
    from prompt_vs_finetune.finetune.training import (
        DEFAULTS,
        LORA_LR,
        adapter_size_bytes,
        fine_tune,
        full_model_size_bytes,
    )
    from prompt_vs_finetune.measure.evaluate import evaluate

    load = os.getloadavg()
    print(
        f"machine: {os.cpu_count()} CPUs, torch threads {torch.get_num_threads()}, "
        f"load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (1/5/15 min)"
    )
    print(f"empty checkpoint cache: {tmp} (models/ symlinked to {real_models})")
    print(f"defaults: {DEFAULTS}, lr={LORA_LR:g}")
    task = load_tickets("category")
    try:
        start = time.perf_counter()
        run = fine_tune(task)
        train_wall = time.perf_counter() - start
        assert not run.cached
        print(run)
        print(f"dev curve: {run.dev_curve}")

        tuned = evaluate(run.lm, task, k=0)
        base = load_model(verbose=False)
        shots, zero = evaluate(base, task, k=8), evaluate(base, task, k=0)
        tuned_acc, shot_acc, zero_acc = tuned.accuracy, shots.accuracy, zero.accuracy
        print(
            f"test accuracy ({tuned.n} tickets): fine-tuned {tuned_acc:.3f}, "
            f"8-shot prompt {shot_acc:.3f}, 0-shot prompt {zero_acc:.3f}"
        )
        print(
            f"prompt tokens per request: fine-tuned (k=0) {tuned.mean_tokens:.0f}, "
            f"8-shot {shots.mean_tokens:.0f}"
        )

        start = time.perf_counter()
        again = fine_tune(task)
        load_wall = time.perf_counter() - start
        assert again.cached and again.key == run.key
        adapter, full = adapter_size_bytes(run), full_model_size_bytes()
        print(
            f"adapter {adapter / 1e6:.2f} MB vs full model {full / 1e6:.0f} MB "
            f"({full / adapter:.0f}x smaller)"
        )
    finally:
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    ok = train_wall < TRAIN_TARGET_S and load_wall < LOAD_TARGET_S
    print(
        f"RESULT fine-tune {train_wall:.1f} s (target < {TRAIN_TARGET_S:.0f}) | "
        f"{run.steps_per_second:.2f} steps/s | dev {run.dev_accuracy:.3f} | "
        f"test {tuned_acc:.3f} vs 8-shot {shot_acc:.3f} (0-shot {zero_acc:.3f}) | "
        f"checkpoint load {load_wall:.1f} s (target < {LOAD_TARGET_S:.0f}) | "
        f"adapter {adapter / 1e6:.2f} MB vs full {full / 1e6:.0f} MB | "
        f"load avg {load[0]:.1f} | {'targets met' if ok else 'TARGETS MISSED'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
