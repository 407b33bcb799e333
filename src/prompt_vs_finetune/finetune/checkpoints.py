"""Fine-tune checkpoints: one cache folder per exact recipe, so nothing is trained twice.

A checkpoint's key is the sha256 of everything that decides the trained weights: the
base model (its name and a hash of its weights), the training data (a hash of the
examples' ids, texts and labels), every hyper-parameter, the seed and the version of the
training-code format. Change any of them and the key changes, so a stale checkpoint is
never reused; keep them all and the next call loads in a second or two instead of
training again.

Each checkpoint is published with ``cachefiles.build_atomically``: built in a temporary
folder, listed in a manifest (sizes and fingerprints) and renamed into place. A folder
that was half written or damaged later fails its manifest check and is trained again.
A LoRA checkpoint holds only the adapter (a few MB of safetensors); a full fine-tune
holds a whole model copy, which is the point of the scaling lesson.
"""

from __future__ import annotations

import hashlib
import json
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import torch
from transformers import AutoModelForCausalLM

from prompt_vs_finetune.model.loading import LoadedModel, prepare_model
from prompt_vs_finetune.store.cachefiles import MANIFEST, build_atomically, read_manifest
from prompt_vs_finetune.store.paths import cache_subdir
from prompt_vs_finetune.store.results import RESULTS_VERSION

__all__ = [
    "FORMAT_VERSION",
    "adapter_size_bytes",
    "checkpoint_path",
    "discard_checkpoint",
    "examples_hash",
    "find_checkpoint",
    "full_model_size_bytes",
    "load_weights",
    "make_key",
    "read_history",
    "save_checkpoint",
    "weights_hash",
]

#: Bump when the training code changes what a given recipe produces.
FORMAT_VERSION = 2
HISTORY = "history.json"
ADAPTER_DIR = "adapter"  # LoRA: peft adapter (adapter_config.json + adapter_model.safetensors)
MODEL_DIR = "model"  # full fine-tune: a complete model folder (loadable by load_model)


def _sha256_json(value: Any) -> str:
    blob = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def weights_hash(model: Any) -> str:
    """sha256 of a model's parameter names and bytes (tied weights counted once)."""
    digest = hashlib.sha256()
    for name, param in model.named_parameters():
        tensor = param.detach().cpu().contiguous()
        digest.update(f"{name}:{tensor.dtype}:{tuple(tensor.shape)}".encode())
        digest.update(tensor.view(-1).view(torch.uint8).numpy())
    return digest.hexdigest()


def examples_hash(examples: Iterable[Any]) -> str:
    """sha256 of the examples' ids, texts and labels, in order."""
    return _sha256_json([[ex.id, ex.text, ex.label] for ex in examples])


def make_key(spec: dict[str, Any]) -> str:
    """Cache key of a training recipe: sha256 of its canonical JSON, 16 hex digits."""
    versioned = {"format": FORMAT_VERSION, "results_version": RESULTS_VERSION, **spec}
    return _sha256_json(versioned)[:16]


def checkpoint_path(key: str) -> Path:
    """Where the checkpoint with ``key`` lives (it may not exist yet)."""
    return cache_subdir("checkpoints") / key


def find_checkpoint(key: str) -> Path | None:
    """The folder of a complete, undamaged checkpoint for ``key``, or None."""
    folder = checkpoint_path(key)
    return folder if read_manifest(folder) is not None else None


def discard_checkpoint(key: str) -> None:
    """Mark a checkpoint as unusable (its manifest is removed), so it is rebuilt."""
    (checkpoint_path(key) / MANIFEST).unlink(missing_ok=True)


def save_checkpoint(
    key: str,
    model: Any,
    tokenizer: Any,
    *,
    method: str,
    config: dict[str, Any],
    history: dict[str, Any],
) -> Path:
    """Publish a trained model under ``key`` atomically; return its folder.

    ``model`` is the peft model for LoRA (only the adapter is written) or the full model.
    ``history`` (losses, dev curve, timings) is written to ``history.json``.
    """

    def build(tmp: Path) -> None:
        if method == "lora":
            model.save_pretrained(tmp / ADAPTER_DIR, safe_serialization=True)
            (tmp / ADAPTER_DIR / "README.md").unlink(missing_ok=True)  # peft's empty model card
        else:
            model.save_pretrained(tmp / MODEL_DIR, safe_serialization=True)
            tokenizer.save_pretrained(tmp / MODEL_DIR)
        payload = {"key": key, "method": method, "config": config, **history}
        (tmp / HISTORY).write_text(json.dumps(payload, indent=1, sort_keys=True))

    return build_atomically(checkpoint_path(key), build, info={"key": key, "config": config})


def read_history(folder: Path) -> dict[str, Any]:
    """The training history saved with a checkpoint."""
    return json.loads((Path(folder) / HISTORY).read_text())


def _safetensors_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in Path(folder).rglob("*.safetensors"))


def adapter_size_bytes(run: Any) -> int:
    """Bytes on disk of a run's trained weights (the adapter for LoRA, a model for full).

    ``run`` is a FineTuneRun or a checkpoint folder. Only the safetensors weight files
    count, the same as ``full_model_size_bytes``, so the two compare like with like.
    """
    folder = getattr(run, "checkpoint_dir", run)
    if folder is None:
        raise ValueError("this run has no checkpoint on disk (it was trained with use_cache=False)")
    return _safetensors_bytes(Path(folder))


def full_model_size_bytes(folder: Path | str | None = None) -> int:
    """Bytes on disk of one full copy of a model (default: the course model's folder)."""
    return _safetensors_bytes(Path(folder) if folder is not None else prepare_model()[0])


def load_weights(folder: Path, base: LoadedModel, method: str) -> Any:
    """The trained model stored in checkpoint ``folder``, ready for inference.

    LoRA: the adapter is loaded onto ``base.model`` (which is modified) and merged into
    its weights, so the result is a plain model that scores and generates at full speed.
    """
    if method == "lora":
        from peft import PeftModel  # imported when used: it takes seconds to import

        with warnings.catch_warnings():  # peft 0.21 calls an API transformers 5 deprecates
            warnings.filterwarnings("ignore", ".*is_gradient_checkpointing", FutureWarning)
            wrapped = PeftModel.from_pretrained(base.model, Path(folder) / ADAPTER_DIR)
        model = wrapped.merge_and_unload()
    else:
        first = next(base.model.parameters())  # the base model's device and precision
        model = AutoModelForCausalLM.from_pretrained(Path(folder) / MODEL_DIR, dtype=first.dtype)
        model.to(first.device)
    return model.eval()
