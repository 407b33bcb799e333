"""Weight change: zero after prompting, non-zero where a fine-tune trained."""

from __future__ import annotations

import math

import pytest
import torch

from prompt_vs_finetune.data import load_tickets
from prompt_vs_finetune.finetune.training import fine_tune
from prompt_vs_finetune.measure.weights import plot_weight_diff, total_change, weight_diff
from prompt_vs_finetune.model.generation import generate
from tests.conftest import make_tiny_lm


@pytest.fixture(scope="module", autouse=True)
def one_thread():
    """Tiny models run fastest on one thread (and do not fight other processes for cores)."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def test_prompting_changes_no_weight(tiny_lm, real_tokenizer):
    before = make_tiny_lm(real_tokenizer)  # an identical copy
    generate(tiny_lm, "Hello there", max_new_tokens=3)
    rows = weight_diff(before, tiny_lm)
    assert [r["group"] for r in rows] == ["embed_tokens", "layer 0", "layer 1", "norm"]
    assert all(r["l2_change"] == 0 and r["relative_change"] == 0 for r in rows)
    assert total_change(rows) == 0
    assert sum(r["n_params"] for r in rows) == sum(p.numel() for p in tiny_lm.model.parameters())


def test_change_is_found_where_it_was_made(tiny_lm, real_tokenizer):
    after = make_tiny_lm(real_tokenizer)
    weight = after.model.model.layers[1].self_attn.q_proj.weight
    with torch.no_grad():
        weight += 0.01
    rows = {r["group"]: r for r in weight_diff(tiny_lm, after.model)}  # LoadedModel or module
    assert rows["layer 0"]["l2_change"] == 0
    expected = 0.01 * math.sqrt(weight.numel())
    assert rows["layer 1"]["l2_change"] == pytest.approx(expected, rel=1e-4)
    assert 0 < rows["layer 1"]["relative_change"] < 1
    assert rows["layer 1"]["changed"] == pytest.approx(weight.numel() / rows["layer 1"]["n_params"])
    assert total_change(list(rows.values())) == pytest.approx(expected, rel=1e-4)
    per_param = weight_diff(tiny_lm, after, by="parameter")
    changed = [r["group"] for r in per_param if r["l2_change"] > 0]
    assert changed == ["model.layers.1.self_attn.q_proj.weight"]


def test_a_fine_tune_changes_only_what_it_trained(tiny_lm, tmp_cache):
    task = load_tickets("category")
    options = {"steps": 3, "batch_size": 2, "n_train": 4, "n_dev": 6, "max_text_tokens": 12}
    run = fine_tune(task, base=tiny_lm, lr=1e-2, top_layers=1, progress=False, **options)
    rows = {r["group"]: r for r in weight_diff(tiny_lm, run.lm)}
    assert rows["layer 1"]["l2_change"] > 0  # LoRA merged into the top layer's q and v
    assert rows["layer 0"]["l2_change"] == 0 and rows["embed_tokens"]["l2_change"] == 0
    full = fine_tune(task, base=tiny_lm, method="full", lr=1e-2, progress=False, **options)
    assert all(r["l2_change"] > 0 for r in weight_diff(tiny_lm, full.lm))


def test_different_architectures_are_refused(tiny_lm):
    from transformers import LlamaConfig, LlamaForCausalLM

    other = LlamaForCausalLM(
        LlamaConfig(
            vocab_size=100,
            hidden_size=16,
            intermediate_size=32,
            num_hidden_layers=1,
            num_attention_heads=2,
            num_key_value_heads=1,
        )
    )
    with pytest.raises(ValueError):
        weight_diff(tiny_lm, other)
    with pytest.raises(ValueError, match="by"):
        weight_diff(tiny_lm, tiny_lm, by="block")


def test_plot_returns_axes(tiny_lm):
    import matplotlib

    matplotlib.use("Agg")
    ax = plot_weight_diff(weight_diff(tiny_lm, tiny_lm))
    assert ax.get_ylabel() == "relative change"
