"""Shared fixtures (a temporary course cache, a tiny model built from a config) and the tiers.

``make unit`` runs the tests without the ``slow`` mark. A test is slow when it loads the
real course model, trains a model, or takes more than about a second; the lists below
mark the ones that do (so that the test files need no marks of their own), and a guard
fails any unmarked test that loads the real model or trains, naming the mark it needs.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import torch
from transformers import AutoTokenizer, LlamaConfig, LlamaForCausalLM

from prompt_vs_finetune.finetune import training
from prompt_vs_finetune.model import loading
from prompt_vs_finetune.model.loading import LoadedModel, ensure_default_model

#: Test files in which every test loads the real model or trains one.
SLOW_FILES = frozenset({"test_doctor.py", "test_finetune.py"})

#: Single slow tests, by file and test name (parameters left off).
SLOW_TESTS = frozenset(
    {
        "test_checks_ex00.py::test_00_5_baseline_fails_on_the_real_model",
        "test_checks_ex00.py::test_00_5_solution_on_the_real_model",
        "test_checks_ex04.py::test_04_4_hello_and_the_weak_prompt_fail_on_the_real_model",
        "test_evaluate.py::test_one_key_for_the_same_measurement",
        "test_generation.py::test_samples_side_by_side_equal_one_seed_at_a_time",
        "test_generation_targets.py::test_fine_tune_learns_a_generation_target",
        "test_model_switch.py::test_lessons_run_end_to_end_on_the_tiny_model",
        "test_own_task.py::test_compare_end_to_end_on_the_tiny_model",
        "test_models.py::test_real_default_model_loads_from_cache",
        "test_probes.py::test_base_model_passes_every_question",
        "test_weightdiff.py::test_a_fine_tune_changes_only_what_it_trained",
    }
)

#: The real course model's folder (read before any test points the cache elsewhere).
REAL_MODEL_DIR = loading.converted_model_dir().resolve()


def is_slow(item: pytest.Item) -> bool:
    """Whether ``item`` is listed above as slow."""
    file = Path(str(item.fspath)).name
    name = getattr(item, "originalname", item.name)
    return file in SLOW_FILES or f"{file}::{name}" in SLOW_TESTS


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the listed tests slow before ``-m "not slow"`` deselects by mark."""
    for item in items:
        if is_slow(item):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def tier_guard(request, monkeypatch):
    """Fail a test without the slow mark that loads the real course model or trains."""
    if request.node.get_closest_marker("slow") is not None:
        return

    def refuse(what: str):
        pytest.fail(
            f"{request.node.nodeid} {what}: add it to SLOW_TESTS in tests/conftest.py "
            f"(or mark it @pytest.mark.slow)",
            pytrace=False,
        )

    from_folder = loading._from_folder

    def guarded_from_folder(folder, **kwargs):
        if Path(folder).resolve() == REAL_MODEL_DIR:
            refuse("loads the real course model")
        return from_folder(folder, **kwargs)

    monkeypatch.setattr(loading, "_from_folder", guarded_from_folder)
    monkeypatch.setattr(training, "_train", lambda *args, **kwargs: refuse("trains a model"))


@pytest.fixture(autouse=True)
def default_course_model(monkeypatch):
    """Library tests run on the default model even under `make test MODEL=...` (which sets
    the model of the notebooks); a test that needs another model sets the variable itself."""
    before = os.environ.get("PROMPT_VS_FINETUNE_MODEL")
    monkeypatch.delenv("PROMPT_VS_FINETUNE_MODEL", raising=False)
    yield
    # A test that sets the variable directly must not leave it for the notebooks run later.
    if before is None:
        os.environ.pop("PROMPT_VS_FINETUNE_MODEL", None)
    else:
        os.environ["PROMPT_VS_FINETUNE_MODEL"] = before


@pytest.fixture(scope="session")
def real_tokenizer():
    """The course tokenizer (from the converted default model in the real cache)."""
    folder, _ = ensure_default_model(verbose=False)
    return AutoTokenizer.from_pretrained(folder)


def make_tiny_lm(tokenizer, seed: int = 0, name: str = "tiny-llama") -> LoadedModel:
    """A 2-layer Llama with the real vocabulary: fast, random, deterministic."""
    torch.manual_seed(seed)
    config = LlamaConfig(
        vocab_size=len(tokenizer),
        hidden_size=32,
        intermediate_size=64,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=2,
        max_position_embeddings=512,
        tie_word_embeddings=True,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
    )
    model = LlamaForCausalLM(config).eval()
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    return LoadedModel(model, tokenizer, name, "config")


@pytest.fixture
def tiny_lm(real_tokenizer) -> LoadedModel:
    return make_tiny_lm(real_tokenizer)


@pytest.fixture
def tmp_cache(tmp_path, monkeypatch):
    """Point the course cache at a fresh temporary folder."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("PROMPT_VS_FINETUNE_CACHE", str(folder))
    return folder


@pytest.fixture
def make_evaluation():
    """Build an ``Evaluation`` without a model: ``make_evaluation(n, correct, tokens, ...)``."""
    from prompt_vs_finetune.measure.evaluate import Evaluation

    def make(n: int, correct: int, tokens: float = 100.0, **fields) -> Evaluation:
        values = {
            "model": "fake", "task": "tickets/category", "prompt_key": "fake", "k": 0,
            "split": None, "seed": None, "calibrated": False, "instance": None, "n": n,
            "labels": ["a", "b"], "ids": [f"t{i}" for i in range(n)], "gold": ["a"] * n,
            "predictions": ["a"] * correct + ["b"] * (n - correct),
            "logprobs": [[0.0, -1.0]] * n, "tokens_per_request": [tokens] * n,
            "accuracy": correct / n, "macro_f1": 0.0, "seconds": 1.0,
        }  # fmt: skip
        return Evaluation(**{**values, **fields})

    return make


def check_outcome(capsys: pytest.CaptureFixture, exercise_id: str, answer: object) -> str:
    """The one outcome line ``check`` printed (store, checkpoint and measuring notes ignored)."""
    from prompt_vs_finetune.checks import check

    assert check(exercise_id, answer) is None
    out = capsys.readouterr().out.strip().splitlines()
    skip = ("results store:", "checkpoint", "Measuring ")  # store hits, a measuring notice
    lines = [line for line in out if not line.startswith(skip)]
    assert len(lines) == 1, lines
    return lines[0]


def at_once(call, n: int) -> list:
    """Run ``call()`` in ``n`` threads at the same time; return what each returned."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(n) as pool:
        return list(pool.map(lambda _: call(), range(n)))

