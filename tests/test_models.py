"""Model loading: cache hit, rebuild after damage, clear errors."""

from __future__ import annotations

import threading

import pytest

from prompt_vs_finetune.model import loading as models
from prompt_vs_finetune.model.loading import ModelUnavailableError, load_model
from prompt_vs_finetune.store import cachefiles


@pytest.fixture
def fake_conversion(monkeypatch, real_tokenizer):
    """Replace the 20 s GGUF conversion by saving a tiny model; count the calls."""
    from tests.conftest import make_tiny_lm

    calls = []

    def convert(target):
        calls.append(target)
        lm = make_tiny_lm(real_tokenizer)
        lm.model.save_pretrained(target)
        lm.tokenizer.save_pretrained(target)

    monkeypatch.setattr(models, "_convert_gguf", convert)
    return calls


def test_first_load_converts_then_cache_hits(tmp_cache, fake_conversion):
    first = load_model(verbose=False)
    assert first.source == "gguf" and len(fake_conversion) == 1
    second = load_model(verbose=False)
    assert second.source == "cache" and len(fake_conversion) == 1
    assert not second.model.training
    assert second.tokenizer.chat_template


def test_damaged_cache_is_rebuilt(tmp_cache, fake_conversion):
    load_model(verbose=False)
    weights = models.converted_model_dir() / "model.safetensors"
    weights.write_bytes(weights.read_bytes()[:1000])  # truncated, as after a crash
    assert not cachefiles.is_valid(models.converted_model_dir())
    lm = load_model(verbose=False)
    assert lm.source == "gguf" and len(fake_conversion) == 2
    assert cachefiles.is_valid(models.converted_model_dir())


def test_missing_manifest_is_rebuilt(tmp_cache, fake_conversion):
    load_model(verbose=False)
    (models.converted_model_dir() / cachefiles.MANIFEST).unlink()
    assert load_model(verbose=False).source == "gguf"


def test_unpacks_as_model_and_tokenizer(tmp_cache, fake_conversion):
    model, tokenizer = load_model(verbose=False)
    assert hasattr(model, "generate") and hasattr(tokenizer, "apply_chat_template")


def test_two_builders_at_once_leave_one_valid_folder(tmp_path):
    final = tmp_path / "entry"
    errors = []

    def build(target):
        (target / "weights.bin").write_bytes(b"x" * 10_000)

    def worker():
        try:
            cachefiles.build_atomically(final, build)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert cachefiles.is_valid(final)
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == [".builds.jsonl", ".locks", "entry"]  # no temp folders left behind
    assert [e["name"] for e in cachefiles.builds_since(tmp_path, 0)] == ["entry"]  # built once


def test_unknown_model_offline_fails_fast_with_advice(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(ModelUnavailableError) as info:
        load_model("no-such-org/no-such-model-xyz", verbose=False)
    message = str(info.value)
    assert "no-such-org/no-such-model-xyz" in message
    assert models.DEFAULT_MODEL in message and "load_model()" in message


def test_local_folder_loads(tmp_path, real_tokenizer):
    from tests.conftest import make_tiny_lm

    lm = make_tiny_lm(real_tokenizer)
    lm.model.save_pretrained(tmp_path)
    lm.tokenizer.save_pretrained(tmp_path)
    loaded = load_model(str(tmp_path), verbose=False)
    assert loaded.source == "folder"


def test_wrong_type_is_a_clear_error():
    with pytest.raises(TypeError, match="model name or folder"):
        load_model(42, verbose=False)


def test_missing_gguf_package_is_explained(monkeypatch):
    monkeypatch.setattr(models.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(ModelUnavailableError, match="make setup"):
        models.gguf_path()


def test_damaged_gguf_is_explained(monkeypatch):
    monkeypatch.setattr(models, "GGUF_SHA256", "0" * 64)
    with pytest.raises(ModelUnavailableError, match="force-reinstall"):
        models.verify_gguf()


def test_real_default_model_loads_from_cache():
    lm = load_model(verbose=False)
    assert lm.name == models.DEFAULT_MODEL
    assert lm.source == "cache"
    assert sum(p.numel() for p in lm.model.parameters()) > 100e6
