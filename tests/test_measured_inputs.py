"""Measured inputs: computed once with a tiny model, then read back without any model."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from prompt_vs_finetune.economics import measured as measured_inputs
from prompt_vs_finetune.finetune import checkpoints
from prompt_vs_finetune.finetune import recipes as course_runs
from prompt_vs_finetune.measure import evaluate as evaluate_module
from tests.conftest import make_tiny_lm


def test_recipe_names_what_decides_the_weights():
    a, b = measured_inputs.recipe("category"), measured_inputs.recipe("queue")
    assert a["run"] == "category" and a["target"] == "category"
    assert a["train_sha256"] != b["train_sha256"]
    assert measured_inputs.recipe("category") == a  # stable
    with pytest.raises(ValueError, match="Unknown course run"):
        measured_inputs.recipe("nope")


@pytest.fixture
def fake_runs(tmp_path, monkeypatch, real_tokenizer, make_evaluation):
    """course_run returns a tiny 'fine-tuned' model with a fake adapter file on disk, and
    the shared k-shot evaluation is a stand-in (scoring is tested elsewhere)."""
    calls = []

    def course_run(name, progress=True):
        calls.append(name)
        folder = tmp_path / f"run-{name}"
        (folder / "adapter").mkdir(parents=True, exist_ok=True)
        (folder / "adapter" / "adapter_model.safetensors").write_bytes(b"x" * (1000 + len(name)))
        lm = make_tiny_lm(real_tokenizer, seed=1, name=f"tiny+lora-{name}")
        return SimpleNamespace(lm=lm, seconds=60.0 + len(name), dev_accuracy=0.5,
                               checkpoint_dir=folder)  # fmt: skip

    monkeypatch.setattr(course_runs, "course_run", course_run)
    monkeypatch.setattr(
        evaluate_module,
        "evaluate",
        lambda lm, task, *, k, **kw: make_evaluation(
            20, 0, accuracy=0.9 if "lora" in lm.name else 0.3 + 0.05 * k
        ),
    )
    monkeypatch.setattr(checkpoints, "full_model_size_bytes", lambda folder=None: 500_000)
    return calls


def test_measured_inputs_computed_then_cached(tmp_cache, tiny_lm, fake_runs):
    first = measured_inputs.measured_inputs(tiny_lm, k=2)
    assert first["model"] == "tiny-llama"
    assert first["prompt_tokens_in"] > 2 * first["tuned_tokens_in"] > 0
    assert first["tokens_out"] >= 1
    assert first["zero_shot_accuracy"] == 0.3
    assert first["prompt_accuracy"] == pytest.approx(0.4)
    assert first["tuned_accuracy"] == 0.9
    assert first["n"] == 160 and first["tuned_model"] == "tiny+lora-category"
    assert first["train_seconds"] == 68.0
    assert first["adapter_bytes"] == {"category": 1008, "queue": 1005, "priority": 1008}
    assert first["full_model_bytes"] == 500_000
    assert first["prompt_update_seconds"] > 0
    assert sorted(fake_runs) == ["category", "category", "priority", "queue"]

    fake_runs.clear()
    again = measured_inputs.measured_inputs(tiny_lm, k=2)
    assert fake_runs == []  # read back from the store, nothing loaded
    assert {k: v for k, v in again.items()} == first


def test_describe_lists_the_scalars(tmp_cache):
    measured = {"prompt_tokens_in": 510.0, "train_seconds": 90.0, "adapter_bytes": {"queue": 5}}
    rows = measured_inputs.describe(measured)
    assert [r["input"] for r in rows] == [
        "prompt_tokens_in",
        "train_seconds",
        "adapter_bytes[queue]",
    ]
    assert rows[0]["value"] == "510.0"
