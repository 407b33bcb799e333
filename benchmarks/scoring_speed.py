"""Benchmark: the label-scoring engine against the naive transformers loop, and a k-shot sweep.

Run:  HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/scoring_speed.py [--naive-n 8] [--threads 1]

1. 8-shot balanced prompt on the ticket category test split: the engine (shared-prefix
   KV cache, batched) on the whole split, then engine and naive loop (one forward pass
   per example per label) on the same seeded subset; their predictions must agree.
2. 0/1/2/4/8-shot accuracy on the whole test split (raw and calibrated, from the same
   run), with the total time of those five runs.
3. With ``--bf16``: the same sweep under bfloat16 autocast, an option the course does not
   use (it changes a few predictions), timed next to fp32.

The last line is the speed ratio on the shared subset; the exit status is 1 if the
engine and the naive loop disagree on any prediction. On a busy machine `--threads 1` is much
faster than two threads fighting other processes for the cores.
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np
import torch

from prompt_vs_finetune.data import load_tickets
from prompt_vs_finetune.measure.metrics import accuracy
from prompt_vs_finetune.measure.scoring import naive_score_labels, score_labels
from prompt_vs_finetune.model.loading import load_model
from prompt_vs_finetune.prompting.fewshot import build_prompt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--naive-n", type=int, default=8, help="examples for the naive loop")
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--threads", type=int, default=None, help="torch threads (default: torch)")
    parser.add_argument("--skip-sweep", action="store_true", help="skip the k-shot sweep")
    parser.add_argument(
        "--bf16",
        action="store_true",
        help="also run the sweep under bfloat16 autocast (an option the course does not use: "
        "it trades exactness for speed on CPUs with native bf16) and count changed predictions",
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    if args.threads:
        torch.set_num_threads(args.threads)
    print(f"torch threads: {torch.get_num_threads()}")

    lm = load_model()
    task = load_tickets("category")
    test = list(task.test)
    prompt = build_prompt(task, k=8, strategy="balanced")
    gold = [ex.label for ex in test]
    score_labels(lm, prompt, test[:2], progress=False)  # warm-up (allocator, kernels)

    full = score_labels(lm, prompt, test, batch_size=args.batch_size, progress=False)
    print(
        f"engine, 8-shot, full test split: {len(test)} examples in {full.seconds:.1f} s = "
        f"{full.examples_per_second:.1f} ex/s, accuracy {accuracy(gold, full.predictions):.3f}, "
        f"{np.mean(full.tokens_per_request):.0f} prompt tokens/request, "
        f"{full.info['cached_prefix_tokens']} cached prefix tokens"
    )

    subset = list(task.subset("test", args.naive_n, seed=0))
    engine = score_labels(lm, prompt, subset, batch_size=args.batch_size, progress=False)
    naive = naive_score_labels(lm, prompt, subset, progress=False)
    identical = engine.predictions == naive.predictions
    max_diff = float(np.abs(engine.logprobs - naive.logprobs).max())
    print(
        f"subset of {len(subset)}: engine {engine.examples_per_second:.2f} ex/s, "
        f"naive {naive.examples_per_second:.3f} ex/s; max |logprob diff| {max_diff:.2e}"
    )

    if not args.skip_sweep:
        total, rows, cpu0 = 0.0, [], time.process_time()
        for k in (0, 1, 2, 4, 8):
            p = build_prompt(task, k=k)
            s = score_labels(
                lm, p, test, batch_size=args.batch_size, calibrate=True, progress=False
            )
            raw = [s.labels[j] for j in s.logprobs.argmax(axis=1)]
            total += s.seconds
            rows.append(
                f"  k={k}: accuracy {accuracy(gold, raw):.3f} raw, "
                f"{accuracy(gold, s.predictions):.3f} calibrated; "
                f"{np.mean(s.tokens_per_request):.0f} tokens/request; {s.seconds:.1f} s"
            )
        print("k-shot sweep on the full test split (160 examples each):")
        print("\n".join(rows))
        cpu = time.process_time() - cpu0
        print(
            f"k-shot sweep total: {total:.1f} s wall for 5 runs "
            f"({cpu:.1f} s of CPU time over {torch.get_num_threads()} thread(s): the wall time "
            f"on an otherwise idle machine is about CPU time / threads)"
        )
        if args.bf16:
            bf16_sweep(lm, task, test, gold, args.batch_size, total)

    print(f"benchmark wall time: {time.perf_counter() - started:.0f} s")
    ratio = engine.examples_per_second / naive.examples_per_second
    print(
        f"speed ratio: {ratio:.1f}x (engine {engine.examples_per_second:.1f} ex/s vs naive "
        f"{naive.examples_per_second:.2f} ex/s on the same {len(subset)} examples; engine "
        f"{full.examples_per_second:.1f} ex/s on all {len(test)}), predictions identical: "
        f"{identical}"
    )
    return 0 if identical else 1


def bf16_sweep(lm, task, test, gold, batch_size: int, fp32_seconds: float) -> None:
    """The same sweep under bfloat16 autocast: time, accuracy and predictions that change."""
    total, changed = 0.0, 0
    for k in (0, 1, 2, 4, 8):
        p = build_prompt(task, k=k)
        exact = score_labels(lm, p, test, batch_size=batch_size, progress=False)
        with torch.autocast("cpu", dtype=torch.bfloat16):
            fast = score_labels(lm, p, test, batch_size=batch_size, progress=False)
        total += fast.seconds
        diff = sum(a != b for a, b in zip(exact.predictions, fast.predictions, strict=True))
        changed += diff
        print(
            f"  bf16 k={k}: accuracy {accuracy(gold, fast.predictions):.3f} "
            f"(fp32 {accuracy(gold, exact.predictions):.3f}), {diff} of {len(test)} "
            f"predictions differ; {fast.seconds:.1f} s (fp32 {exact.seconds:.1f} s)"
        )
    print(
        f"bf16 sweep total: {total:.1f} s vs {fp32_seconds:.1f} s in fp32; "
        f"{changed} of {5 * len(test)} predictions differ"
    )


if __name__ == "__main__":
    sys.exit(main())
