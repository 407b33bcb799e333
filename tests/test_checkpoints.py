"""Checkpoint keys and folders: stable, sensitive to every input, atomic and self-checking."""

from __future__ import annotations

import dataclasses

import pytest
import torch
from peft import LoraConfig, get_peft_model

from prompt_vs_finetune.data import Example
from prompt_vs_finetune.finetune import checkpoints
from tests.conftest import make_tiny_lm

pytestmark = pytest.mark.filterwarnings("ignore:.*is_gradient_checkpointing:FutureWarning")


def test_key_is_stable_and_order_free():
    a = checkpoints.make_key({"lr": 1e-3, "steps": 10, "nested": {"x": 1, "y": [1, 2]}})
    b = checkpoints.make_key({"nested": {"y": [1, 2], "x": 1}, "steps": 10, "lr": 1e-3})
    assert a == b and len(a) == 16
    assert checkpoints.make_key({"lr": 1e-3, "steps": 11, "nested": {"x": 1, "y": [1, 2]}}) != a


def test_key_includes_the_format_version(monkeypatch):
    before = checkpoints.make_key({"lr": 1e-3})
    monkeypatch.setattr(checkpoints, "FORMAT_VERSION", checkpoints.FORMAT_VERSION + 1)
    assert checkpoints.make_key({"lr": 1e-3}) != before


def test_examples_hash_sees_ids_texts_labels_and_order():
    exs = [Example("a", "hello", "x"), Example("b", "world", "y")]
    ref = checkpoints.examples_hash(exs)
    assert checkpoints.examples_hash(list(exs)) == ref
    assert checkpoints.examples_hash(exs[::-1]) != ref
    for change in ({"id": "c"}, {"text": "hello!"}, {"label": "y"}):
        assert checkpoints.examples_hash([dataclasses.replace(exs[0], **change), exs[1]]) != ref


def test_weights_hash_sees_any_change(real_tokenizer):
    lm = make_tiny_lm(real_tokenizer)
    ref = checkpoints.weights_hash(lm.model)
    assert checkpoints.weights_hash(make_tiny_lm(real_tokenizer).model) == ref
    assert checkpoints.weights_hash(make_tiny_lm(real_tokenizer, seed=1).model) != ref
    with torch.no_grad():
        lm.model.model.layers[1].mlp.down_proj.weight[3, 5] += 1e-6
    assert checkpoints.weights_hash(lm.model) != ref


def _lora(lm):
    torch.manual_seed(0)
    model = get_peft_model(lm.model, LoraConfig(r=2, target_modules=["q_proj", "v_proj"]))
    for name, param in model.named_parameters():
        if "lora_B" in name:
            torch.nn.init.normal_(param, std=0.5)  # a trained-looking adapter
    return model


def test_save_find_load_round_trip(real_tokenizer, tmp_cache):
    lm = make_tiny_lm(real_tokenizer)
    trained = _lora(lm)
    x = torch.tensor([[1, 2, 3, 4]])
    with torch.no_grad():
        expected = trained(input_ids=x).logits
    assert checkpoints.find_checkpoint("k1") is None
    history = {"losses": [1.0, 0.5], "dev_curve": [[0, 0.1]], "seconds": 3.0}
    folder = checkpoints.save_checkpoint(
        "k1", trained, real_tokenizer, method="lora", config={"a": 1}, history=history
    )
    assert checkpoints.find_checkpoint("k1") == folder == checkpoints.checkpoint_path("k1")
    assert {p.name for p in (folder / "adapter").iterdir()} == {
        "adapter_config.json",
        "adapter_model.safetensors",
    }
    saved = checkpoints.read_history(folder)
    assert saved["losses"] == [1.0, 0.5] and saved["config"] == {"a": 1}
    model = checkpoints.load_weights(folder, make_tiny_lm(real_tokenizer), "lora")
    assert not model.training and not hasattr(model, "peft_config")  # merged: a plain model
    with torch.no_grad():
        torch.testing.assert_close(model(input_ids=x).logits, expected, rtol=1e-4, atol=1e-4)


def test_damaged_or_discarded_checkpoint_is_not_found(real_tokenizer, tmp_cache):
    trained = _lora(make_tiny_lm(real_tokenizer))
    args = {"method": "lora", "config": {}, "history": {"losses": []}}
    folder = checkpoints.save_checkpoint("k2", trained, real_tokenizer, **args)
    (folder / "history.json").write_text("{}")  # edited after publishing
    assert checkpoints.find_checkpoint("k2") is None
    folder = checkpoints.save_checkpoint("k2", trained, real_tokenizer, **args)  # rebuilt
    assert checkpoints.find_checkpoint("k2") == folder
    checkpoints.discard_checkpoint("k2")
    assert checkpoints.find_checkpoint("k2") is None


def test_sizes_count_safetensors_only(tmp_path):
    (tmp_path / "model.safetensors").write_bytes(b"x" * 1000)
    (tmp_path / "config.json").write_text("{}")
    assert checkpoints.full_model_size_bytes(tmp_path) == 1000
    assert checkpoints.adapter_size_bytes(tmp_path) == 1000
    with pytest.raises(ValueError, match="no checkpoint"):
        checkpoints.adapter_size_bytes(type("Run", (), {"checkpoint_dir": None})())
