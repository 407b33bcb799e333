"""Shared fixtures: a temporary course cache and a tiny model built from a config."""

from __future__ import annotations

import pytest
import torch
from transformers import AutoTokenizer, LlamaConfig, LlamaForCausalLM

from prompt_vs_finetune.model.loading import LoadedModel, ensure_default_model


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
