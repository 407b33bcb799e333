"""Benchmark: loading the default model from the course cache vs from the bundled GGUF.

Each load runs in a fresh Python process (as a learner's new kernel would), several
times, and the medians are compared. A fresh process pays once for importing
transformers' model code and torch modules it pulls in (about 1.7 s of its first call,
whatever the model source); the second ``load_model()`` in the same process ("again")
is the cache load alone. Target: that reload takes under 2 s. Both are printed.

    .venv/bin/python benchmarks/load_time.py [--repeats 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys

CACHE_LOAD = """
import json, time
from prompt_vs_finetune.model.loading import load_model
start = time.perf_counter()
lm = load_model(verbose=False)
first = time.perf_counter() - start
start = time.perf_counter()
load_model(verbose=False)
again = time.perf_counter() - start
print(json.dumps({"seconds": first, "again": again, "source": lm.source}))
"""

GGUF_LOAD = """
import json, time
from transformers import AutoModelForCausalLM, AutoTokenizer
from transformers.utils import logging
from prompt_vs_finetune.model.loading import gguf_path
logging.disable_progress_bar()
path = gguf_path()
start = time.perf_counter()
AutoTokenizer.from_pretrained(path.parent, gguf_file=path.name)
AutoModelForCausalLM.from_pretrained(path.parent, gguf_file=path.name)
print(json.dumps({"seconds": time.perf_counter() - start, "source": "gguf"}))
"""


def run(snippet: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", snippet], capture_output=True, text=True, check=True
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    run(CACHE_LOAD)  # make sure the cache exists before timing it
    cache, again, gguf = [], [], []
    for i in range(args.repeats):  # interleaved, so background load hits both alike
        c, g = run(CACHE_LOAD), run(GGUF_LOAD)
        assert c["source"] == "cache", c
        cache.append(c["seconds"])
        again.append(c["again"])
        gguf.append(g["seconds"])
        print(
            f"run {i + 1}: cache {c['seconds']:.2f} s (again {c['again']:.2f} s), "
            f"gguf {g['seconds']:.2f} s",
            flush=True,
        )
    c_med, a_med, g_med = (statistics.median(xs) for xs in (cache, again, gguf))
    verdict = "PASS" if a_med < 2.0 else "FAIL"
    print(
        f"median first load in a fresh process {c_med:.2f} s (imports included) vs GGUF load "
        f"{g_med:.2f} s: {g_med / c_med:.1f}x faster"
    )
    print(f"median cache reload {a_med:.2f} s; target < 2 s: {verdict}")
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
