"""Benchmark: loading the default model from the course cache vs from the bundled GGUF.

Each load runs in a fresh Python process (as a learner's new kernel would), several
times, and the medians are compared. Target: the cache reload takes under 2 s.

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
from prompt_vs_finetune.models import load_model
start = time.perf_counter()
lm = load_model(verbose=False)
print(json.dumps({"seconds": time.perf_counter() - start, "source": lm.source}))
"""

GGUF_LOAD = """
import json, time
from transformers import AutoModelForCausalLM, AutoTokenizer
from transformers.utils import logging
from prompt_vs_finetune.models import gguf_path
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
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    run(CACHE_LOAD)  # make sure the cache exists before timing it
    cache, gguf = [], []
    for i in range(args.repeats):  # interleaved, so background load hits both alike
        c, g = run(CACHE_LOAD), run(GGUF_LOAD)
        assert c["source"] == "cache", c
        cache.append(c["seconds"])
        gguf.append(g["seconds"])
        print(f"run {i + 1}: cache {c['seconds']:.2f} s, gguf {g['seconds']:.2f} s", flush=True)
    c_med, g_med = statistics.median(cache), statistics.median(gguf)
    verdict = "PASS" if c_med < 2.0 else "FAIL"
    print(
        f"median cache reload {c_med:.2f} s vs GGUF load {g_med:.2f} s: "
        f"{g_med / c_med:.1f}x faster; target < 2 s: {verdict}"
    )
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
