"""`make prewarm`: fill every cache the course uses, so a classroom needs no network and no waiting.

1. the course model (``$PROMPT_VS_FINETUNE_MODEL``, converted into the cache when it is the
embedded model or a .gguf file); 2. every shared fine-tune checkpoint (``course_runs``);
3. the results store, by running each lesson notebook once, headless. Idempotent: a second
run finds everything cached and only re-reads it.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from prompt_vs_finetune.store.paths import cache_dir


def _repo_root() -> Path:
    for folder in (Path.cwd(), *Path.cwd().parents):
        if (folder / "course").is_dir() and (folder / "pyproject.toml").exists():
            return folder
    raise FileNotFoundError("Run `make prewarm` from the course folder (where course/ is).")


def run_notebook(path: Path, timeout: int = 1200) -> float:
    """Execute a notebook headless in its own folder (outputs are not saved); return seconds."""
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(
        notebook,
        kernel_name="python3",
        timeout=timeout,
        resources={"metadata": {"path": str(path.parent)}},
    ).execute()
    return time.perf_counter() - start


def main() -> int:
    """Fill the caches, printing what was done and how long each step took."""
    from prompt_vs_finetune.finetune.recipes import COURSE_RUNS, course_run
    from prompt_vs_finetune.model.choice import setting_line
    from prompt_vs_finetune.model.loading import prepare_model

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    total = time.perf_counter()
    print(f"course cache: {cache_dir()}")
    print(f"course model: {setting_line()}")
    start = time.perf_counter()
    folder, was_ready = prepare_model(verbose=True)
    state = "already prepared" if was_ready else "converted now"
    print(f"[model] {folder}: {state} ({time.perf_counter() - start:.1f} s)", flush=True)
    for name, (_, _, purpose) in COURSE_RUNS.items():
        run = course_run(name, progress=False)
        state = f"checkpoint hit, loaded in {run.load_seconds:.1f} s" if run.cached else "trained"
        print(f"[fine-tune] {name}: {state}; training took {run.seconds:.0f} s ({purpose})")
    for path in sorted((_repo_root() / "course").glob("[0-9][0-9]_*.ipynb")):
        print(f"[notebook] {path.name}: {run_notebook(path):.0f} s", flush=True)
    print(f"prewarm done in {time.perf_counter() - total:.0f} s; the course now runs offline.")
    return 0
