"""Prompt Engineering vs Fine-Tuning: the course's helper library."""

from prompt_vs_finetune import _moved
from prompt_vs_finetune.model.generation import (
    Generation,
    PromptTooLongError,
    count_tokens,
    generate,
    show_tokens,
)
from prompt_vs_finetune.model.loading import (
    DEFAULT_MODEL,
    LoadedModel,
    ModelUnavailableError,
    load_model,
)
from prompt_vs_finetune.model.seeding import seed_everything

__all__ = [
    "DEFAULT_MODEL",
    "Generation",
    "LoadedModel",
    "ModelUnavailableError",
    "PromptTooLongError",
    "count_tokens",
    "generate",
    "load_model",
    "seed_everything",
    "show_tokens",
]
__version__ = "0.1.0"

_moved.install()


def __getattr__(name: str):
    """``from prompt_vs_finetune import <old module>`` says where the module went."""
    if name in _moved.MOVED and name not in _moved.STILL_PACKAGES:
        raise ImportError(_moved.message(name), name=f"prompt_vs_finetune.{name}")
    raise AttributeError(f"module 'prompt_vs_finetune' has no attribute {name!r}")
