"""Prompt Engineering vs Fine-Tuning: the course's helper library.

The names below are imported when first used (``from prompt_vs_finetune import load_model``
works as usual), so that importing one light module, or running a light command such as
``python -m prompt_vs_finetune check-stripped``, does not load torch and transformers.
"""

import importlib

from prompt_vs_finetune import _moved

#: name -> the module that defines it
_EXPORTS = {
    "Generation": "model.generation",
    "PromptTooLongError": "model.generation",
    "count_tokens": "model.generation",
    "generate": "model.generation",
    "show_tokens": "model.generation",
    "DEFAULT_MODEL": "model.loading",
    "LoadedModel": "model.loading",
    "ModelUnavailableError": "model.loading",
    "load_model": "model.loading",
    "seed_everything": "model.seeding",
}

__all__ = sorted(_EXPORTS)
__version__ = "0.1.0"

_moved.install()


def __getattr__(name: str):
    """The exported names, imported on first use; an old module's name says where it went."""
    if name in _EXPORTS:
        value = getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
        globals()[name] = value
        return value
    if name in _moved.MOVED and name not in _moved.STILL_PACKAGES:
        raise ImportError(_moved.message(name), name=f"prompt_vs_finetune.{name}")
    raise AttributeError(f"module 'prompt_vs_finetune' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})
