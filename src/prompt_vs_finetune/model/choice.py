"""Which model the course runs on: one setting, where it points, and the name results go under.

``$PROMPT_VS_FINETUNE_MODEL`` (``make lab MODEL=...``) chooses the model that ``load_model()``
with no argument loads, and with it every lesson, check and command:

* unset or empty: the embedded SmolLM2-135M-Instruct (converted once into the cache);
* a local Hugging Face model folder (it holds a ``config.json``);
* a local ``.gguf`` file (converted once into the cache, like the embedded model);
* a Hugging Face id such as ``HuggingFaceTB/SmolLM2-360M-Instruct`` (with
  ``HF_HUB_OFFLINE=1`` only a model already downloaded loads).

The device is CUDA when present, else the CPU; weights are float32 on both (a LoRA
adapter merged into bfloat16 weights would lose its smallest updates to rounding).

A model's *name* is the key of everything measured with it: results, claims and
checkpoints. The embedded model on the CPU in float32 keeps the name it always had,
``SmolLM2-135M-Instruct``, so an existing cache stays warm; anything else gets its own name
(a folder or file by its name plus a fingerprint of its path, sizes and times; a hub id with
the commit of its downloaded snapshot; ``@cuda-float32`` appended off the CPU default), so
two models never mix.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

import torch

__all__ = [
    "DEFAULT_MODEL",
    "MODEL_ENV_VAR",
    "ModelChoice",
    "ModelUnavailableError",
    "choose",
    "configured_name",
    "device_and_dtype",
    "model_name",
    "setting_line",
]

MODEL_ENV_VAR = "PROMPT_VS_FINETUNE_MODEL"
DEFAULT_MODEL = "SmolLM2-135M-Instruct"
EXAMPLE_ID = "HuggingFaceTB/SmolLM2-360M-Instruct"
DEFAULT_ALIASES = frozenset(
    {"", "default", DEFAULT_MODEL.lower(), f"huggingfacetb/{DEFAULT_MODEL}".lower()}
)
KIND_WORDS = {
    "default": "the embedded model",
    "folder": "a model folder",
    "gguf": "a .gguf file, converted once into the course cache",
    "hub": "a Hugging Face id",
}
_HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]{0,95}(/[A-Za-z0-9][\w.-]{0,95})?$")


class ModelUnavailableError(RuntimeError):
    """The requested model cannot be loaded here; the message says what to do."""


@dataclass(frozen=True)
class ModelChoice:
    """What a setting points at: ``kind`` (see ``KIND_WORDS``), the value and where it came from."""

    kind: str
    value: str  # as written, stripped ("" for the embedded model)
    origin: str  # "argument", the variable's name, or "default" when nothing was set

    @property
    def path(self) -> Path:
        """The value as a local path (meaningful for "folder" and "gguf")."""
        return Path(self.value).expanduser()


def choose(name: str | os.PathLike | None = None) -> ModelChoice:
    """The model ``load_model(name)`` loads; ``name`` None reads ``$PROMPT_VS_FINETUNE_MODEL``.

    An unknown value raises ModelUnavailableError with a one-line message naming what works.
    """
    if name is None:
        value = os.environ.get(MODEL_ENV_VAR, "").strip()
        origin = MODEL_ENV_VAR if value else "default"
    else:
        value, origin = os.fspath(name).strip(), "argument"
    if value.lower() in DEFAULT_ALIASES:
        return ModelChoice("default", "", origin)
    return ModelChoice(_kind(value, origin), value, origin)


def _kind(value: str, origin: str) -> str:
    """The kind of ``value`` (folder, gguf or hub); a one-line error for anything else."""
    path = Path(value).expanduser()
    if path.is_dir():
        if not (path / "config.json").is_file():
            raise _unknown(value, origin, "the folder has no config.json, so it holds no model")
        return "folder"
    if path.is_file():
        if path.suffix.lower() == ".gguf":
            return "gguf"
        raise _unknown(value, origin, "the file is not a .gguf file")
    looks_like_path = value.startswith(("/", ".", "~")) or "\\" in value or value.count("/") > 1
    if looks_like_path or path.suffix.lower() == ".gguf":
        where = "" if path.is_absolute() else f" (a relative path is read from {Path.cwd()})"
        raise _unknown(value, origin, f"no such folder or file{where}")
    if _HUB_ID.match(value) and ".." not in value:
        return "hub"
    raise _unknown(value, origin, "it is neither a folder, a .gguf file nor a Hugging Face id")


def _unknown(value: str, origin: str, why: str) -> ModelUnavailableError:
    said = f"{MODEL_ENV_VAR}={value!r}" if origin == MODEL_ENV_VAR else f"load_model({value!r})"
    return ModelUnavailableError(
        f"{said}: {why}. Use a model folder, a .gguf file, a Hugging Face id such as "
        f"{EXAMPLE_ID}, or nothing for the embedded {DEFAULT_MODEL}."
    )


def device_and_dtype() -> tuple[str, torch.dtype]:
    """Where the model runs and in what precision: CUDA when present, else the CPU; float32."""
    return ("cuda" if torch.cuda.is_available() else "cpu"), torch.float32


def _fingerprint(path: Path) -> str:
    """8 hex digits from a file's (or a folder's files') resolved path, sizes and times."""
    path = path.resolve()
    files = [path] if path.is_file() else sorted(p for p in path.iterdir() if p.is_file())
    digest = hashlib.sha256(str(path).encode())
    for file in files:
        stat = file.stat()
        digest.update(f"{file.name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:8]


def _hub_revision(model_id: str) -> str:
    """A "#" and 8 digits of the downloaded snapshot's commit; empty when none is downloaded."""
    from huggingface_hub import try_to_load_from_cache

    config = try_to_load_from_cache(model_id, "config.json")
    return f"#{Path(config).parent.name[:8]}" if isinstance(config, str) else ""


def model_name(choice: ModelChoice, device: str, dtype: torch.dtype) -> str:
    """The name everything measured with this model is stored under (see the module doc)."""
    if choice.kind == "default":
        name = DEFAULT_MODEL
    elif choice.kind == "hub":
        name = choice.value + _hub_revision(choice.value)
    else:
        path = choice.path
        name = f"{path.stem if choice.kind == 'gguf' else path.name}#{_fingerprint(path)}"
    if (device, dtype) == ("cpu", torch.float32):
        return name
    return f"{name}@{device}-{str(dtype).removeprefix('torch.')}"


def configured_name() -> str:
    """The name of the model ``load_model()`` would load now, without loading it."""
    return model_name(choose(), *device_and_dtype())


def setting_line() -> str:
    """One line: which model the course is set to, where the setting came from, its name."""
    choice = choose()
    device, dtype = device_and_dtype()
    name = model_name(choice, device, dtype)
    where = f"on {device} in {str(dtype).removeprefix('torch.')}; results kept under {name!r}"
    if choice.kind == "default":
        said = "is not set" if choice.origin == "default" else "names it"
        return f"{DEFAULT_MODEL}, the embedded model ({MODEL_ENV_VAR} {said}), {where}"
    return f"{choice.value} ({KIND_WORDS[choice.kind]}, from {MODEL_ENV_VAR}), {where}"
