"""One setting switches the course model: $PROMPT_VS_FINETUNE_MODEL, and keys that never mix.

The tiny test model (``conftest.make_tiny_lm``) is saved to a folder or written as a small
GGUF file; every test points the course cache at a temporary folder.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest
import torch

from prompt_vs_finetune.claims import record, recorded
from prompt_vs_finetune.claims.verdicts import section_name
from prompt_vs_finetune.data import load_tickets
from prompt_vs_finetune.economics.measured import prompt_update_seconds
from prompt_vs_finetune.finetune import diagnosis, training
from prompt_vs_finetune.finetune.recipes import recipe
from prompt_vs_finetune.finetune.search import stored_search
from prompt_vs_finetune.measure.evaluate import evaluate
from prompt_vs_finetune.model import choice
from prompt_vs_finetune.model.choice import MODEL_ENV_VAR, configured_name
from prompt_vs_finetune.model.loading import (
    DEFAULT_MODEL,
    ModelUnavailableError,
    describe,
    load_model,
)
from prompt_vs_finetune.store.results import make_key
from tests.conftest import make_tiny_lm

LESSONS = ("00", "02", "05", "06", "11")


@pytest.fixture(autouse=True)
def on_cpu(monkeypatch, tmp_cache):
    """Every test here sees no GPU and a temporary course cache."""
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)


def save_tiny(folder: Path, tokenizer, seed: int = 0) -> Path:
    """The tiny test model saved as a Hugging Face folder, reading prompts as long as the
    course model's (its rotary positions are computed, so the limit is only a setting)."""
    lm = make_tiny_lm(tokenizer, seed=seed)
    lm.model.config.max_position_embeddings = 8192
    lm.model.save_pretrained(folder)
    lm.tokenizer.save_pretrained(folder)
    return folder


def write_tiny_gguf(path: Path) -> Path:
    """A 2-layer Llama GGUF file (byte-level vocabulary, random float32 weights), in 0.1 s."""
    import gguf
    from transformers.convert_slow_tokenizer import bytes_to_unicode

    hidden, inter, layers, heads, kv_heads = 32, 64, 2, 4, 2
    tokens = [*bytes_to_unicode().values(), "he", "<|endoftext|>", "<|im_start|>", "<|im_end|>"]
    writer = gguf.GGUFWriter(str(path), "llama")
    writer.add_block_count(layers)
    writer.add_context_length(256)
    writer.add_embedding_length(hidden)
    writer.add_feed_forward_length(inter)
    writer.add_head_count(heads)
    writer.add_head_count_kv(kv_heads)
    writer.add_layer_norm_rms_eps(1e-5)
    writer.add_vocab_size(len(tokens))
    writer.add_tokenizer_model("gpt2")
    writer.add_token_list(tokens)
    writer.add_token_merges(["h e"])
    writer.add_token_scores([0.0] * len(tokens))
    writer.add_token_types([1] * (len(tokens) - 3) + [3] * 3)
    writer.add_eos_token_id(len(tokens) - 1)
    rng = np.random.default_rng(0)

    def weights(*shape: int) -> np.ndarray:
        return (rng.standard_normal(shape) * 0.02).astype(np.float32)

    kv = kv_heads * hidden // heads
    writer.add_tensor("token_embd.weight", weights(len(tokens), hidden))
    writer.add_tensor("output_norm.weight", np.ones(hidden, np.float32))
    for i in range(layers):
        for name, shape in {
            "attn_norm": (hidden,), "ffn_norm": (hidden,), "attn_q": (hidden, hidden),
            "attn_k": (kv, hidden), "attn_v": (kv, hidden), "attn_output": (hidden, hidden),
            "ffn_gate": (inter, hidden), "ffn_up": (inter, hidden), "ffn_down": (hidden, inter),
        }.items():  # fmt: skip
            value = np.ones(shape, np.float32) if len(shape) == 1 else weights(*shape)
            writer.add_tensor(f"blk.{i}.{name}.weight", value)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path


# --- the setting ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value", [None, "", "  ", "default", "HuggingFaceTB/SmolLM2-135M-Instruct"]
)
def test_unset_or_empty_is_the_embedded_model(monkeypatch, value):
    if value is not None:
        monkeypatch.setenv(MODEL_ENV_VAR, value)
    assert choice.choose().kind == "default"
    assert configured_name() == DEFAULT_MODEL == "SmolLM2-135M-Instruct"


def test_the_variable_picks_a_folder(monkeypatch, tmp_path, real_tokenizer):
    folder = save_tiny(tmp_path / "my-model", real_tokenizer)
    monkeypatch.setenv(MODEL_ENV_VAR, str(folder))
    lm = load_model(verbose=False)
    assert lm.source == "folder" and lm.info["origin"] == MODEL_ENV_VAR
    assert lm.name == configured_name() and lm.name.startswith("my-model#")
    assert describe(lm) == f"{lm.name}: 1.6 million parameters, on cpu in float32"


def test_a_gguf_file_is_converted_once_into_the_cache(monkeypatch, tmp_path, tmp_cache):
    path = write_tiny_gguf(tmp_path / "tiny-llama.gguf")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")  # a local file needs no network, whatever this says
    monkeypatch.setenv(MODEL_ENV_VAR, str(path))
    first = load_model(verbose=False)
    second = load_model(verbose=False)
    assert (first.source, second.source) == ("gguf", "cache")
    assert first.name == second.name == configured_name() and first.name.startswith("tiny-llama#")
    built = [p.name for p in (tmp_cache / "models").iterdir() if not p.name.startswith(".")]
    assert built == [first.name.replace("#", "-")]
    assert first.tokenizer.eos_token == "<|im_end|>"
    assert torch.equal(
        first.model.model.embed_tokens.weight, second.model.model.embed_tokens.weight
    )


def test_a_gguf_transformers_cannot_read_is_explained(monkeypatch, tmp_path):
    path = tmp_path / "broken.gguf"
    path.write_bytes(b"not a gguf file")
    monkeypatch.setenv(MODEL_ENV_VAR, str(path))
    with pytest.raises(ModelUnavailableError, match=r"Cannot convert .*broken\.gguf"):
        load_model(verbose=False)


@pytest.mark.parametrize("kind", ["missing folder", "missing gguf", "text file", "empty folder",
                                  "spaces", "relative"])  # fmt: skip
def test_an_unknown_value_gets_one_line_saying_what_works(monkeypatch, tmp_path, kind):
    (tmp_path / "notes.txt").write_text("hello")
    (tmp_path / "empty").mkdir()
    value = {
        "missing folder": str(tmp_path / "no-such-folder"),
        "missing gguf": "model.Q4_K_M.gguf",
        "text file": str(tmp_path / "notes.txt"),
        "empty folder": str(tmp_path / "empty"),
        "spaces": "a model I like",
        "relative": "./models/mine",
    }[kind]
    monkeypatch.setenv(MODEL_ENV_VAR, value)
    with pytest.raises(ModelUnavailableError) as info:
        load_model(verbose=False)
    message = str(info.value)
    assert "\n" not in message and message.startswith(f"{MODEL_ENV_VAR}={value!r}: ")
    for works in ("a model folder", "a .gguf file", "a Hugging Face id", DEFAULT_MODEL):
        assert works in message


def test_a_hub_id_offline_loads_only_when_downloaded(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv(MODEL_ENV_VAR, "no-such-org/no-such-model-xyz")
    assert choice.choose().kind == "hub" and configured_name() == "no-such-org/no-such-model-xyz"
    with pytest.raises(ModelUnavailableError, match="not downloaded, and HF_HUB_OFFLINE=1"):
        load_model(verbose=False)


def test_every_entry_point_follows_the_setting(monkeypatch, tmp_path, real_tokenizer):
    from prompt_vs_finetune.checks import core
    from prompt_vs_finetune.cli import doctor

    folder = save_tiny(tmp_path / "mine", real_tokenizer)
    monkeypatch.setenv(MODEL_ENV_VAR, str(folder))
    core.default_model.cache_clear()
    try:
        assert core.default_model().name == configured_name()  # every exercise check
    finally:
        core.default_model.cache_clear()
    line = doctor.check_course_model().line()
    assert line.startswith(f"[OK]   course model: {folder} (a model folder, from {MODEL_ENV_VAR})")
    assert doctor.check_cache().detail == f"{folder} (ready)"
    monkeypatch.setenv(MODEL_ENV_VAR, "no such model")
    (failed,) = [r for r in doctor.run_checks() if r.name == "course model"]
    assert not failed.ok and failed.detail.startswith(f"{MODEL_ENV_VAR}='no such model': ")


def test_a_downloaded_hub_id_is_named_by_its_snapshot(monkeypatch):
    import huggingface_hub

    snapshot = "/hf/models--org--m/snapshots/0123456789abcdef/config.json"
    monkeypatch.setattr(huggingface_hub, "try_to_load_from_cache", lambda *a, **k: snapshot)
    monkeypatch.setenv(MODEL_ENV_VAR, "org/m")
    assert configured_name() == "org/m#01234567"  # a new revision is another model


# --- the keys ------------------------------------------------------------------------------------


def test_the_default_model_keeps_todays_keys():
    assert configured_name() == "SmolLM2-135M-Instruct"
    assert section_name() == "claims"
    assert recipe("category") == {"run": "category", "target": "category", "options": {}}
    assert make_key(diagnosis.KIND, recipe("queue")) == "run-curves:89c4fc1d045184ee696d"
    assert stored_search() is not None  # the shipped recipe search was run on this model


def test_another_device_or_model_gets_other_keys(monkeypatch, tmp_path, real_tokenizer):
    default = (section_name(), make_key(diagnosis.KIND, recipe("queue")))
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert configured_name() == "SmolLM2-135M-Instruct@cuda-float32"
    on_gpu = (section_name(), make_key(diagnosis.KIND, recipe("queue")))
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setenv(MODEL_ENV_VAR, str(save_tiny(tmp_path / "a", real_tokenizer)))
    folder_a = (section_name(), make_key(diagnosis.KIND, recipe("queue")))
    assert stored_search() is None  # the shipped search measured another model
    assert len({default, on_gpu, folder_a}) == 3
    assert on_gpu[0] == "claims@SmolLM2-135M-Instruct@cuda-float32"


def test_a_folder_saved_again_is_another_model(monkeypatch, tmp_path, real_tokenizer):
    folder = save_tiny(tmp_path / "mine", real_tokenizer, seed=0)
    monkeypatch.setenv(MODEL_ENV_VAR, str(folder))
    before = configured_name()
    time.sleep(0.01)
    save_tiny(folder, real_tokenizer, seed=1)  # retrained weights, same place
    assert configured_name() != before


def _fake_train(calls: list):
    """Stands in for the training loop: counts calls, returns the base weights unchanged."""

    def train(base_lm, prompt, train, dev, config, progress):
        calls.append(base_lm.name)
        history = {"losses": [1.0], "dev_curve": [[0, 0.5]], "steps_per_second": 1.0}
        return history, base_lm.model

    return train


def test_no_result_claim_or_checkpoint_of_one_model_is_served_to_another(
    monkeypatch, tmp_path, real_tokenizer, make_evaluation
):
    folders = {m: save_tiny(tmp_path / m, real_tokenizer, seed=i) for i, m in enumerate("ab")}
    task = load_tickets("category")
    tickets = task.test[:4]
    trained: list[str] = []
    monkeypatch.setattr(training, "_train", _fake_train(trained))
    seen = {}
    for model in ("a", "b", "a"):
        monkeypatch.setenv(MODEL_ENV_VAR, str(folders[model]))
        lm = load_model(verbose=False)
        scored = evaluate(lm, task, k=0, examples=tickets)
        timed = prompt_update_seconds(repeats=1)  # keyed by the configured model's name
        run = training.fine_tune(task, method="full", steps=1, n_train=8, n_dev=4, progress=False)
        claim = recorded("C9")
        seen.setdefault(model, []).append((scored.cached, timed["_cached"], run.cached, claim))
        if claim is None:
            record("C9", make_evaluation(100, 30), make_evaluation(100, 80), notebook="06")
    # a's second visit reads a's results, verdict and checkpoint; b never reads a's
    assert seen["a"][0][:3] == (False, False, False) and seen["a"][0][3] is None
    assert seen["b"][0][:3] == (False, False, False) and seen["b"][0][3] is None
    assert seen["a"][1][:3] == (True, True, True) and seen["a"][1][3] is not None
    assert len(trained) == 2 and trained[0] != trained[1]  # trained once per model


# --- the lessons, end to end ---------------------------------------------------------------------


def test_lessons_run_end_to_end_on_the_tiny_model(monkeypatch, tmp_path, real_tokenizer):
    from prompt_vs_finetune.cli.prewarm import run_notebook

    monkeypatch.setenv(MODEL_ENV_VAR, str(save_tiny(tmp_path / "tiny", real_tokenizer)))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    course = Path(__file__).resolve().parents[1] / "course"
    for number in LESSONS:
        (path,) = course.glob(f"{number}_*.ipynb")
        run_notebook(path, timeout=600)  # raises on the first failing cell
