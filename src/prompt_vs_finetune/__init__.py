"""Prompt Engineering vs Fine-Tuning: the course's helper library."""

from .generation import Generation, PromptTooLongError, count_tokens, generate, show_tokens
from .models import DEFAULT_MODEL, LoadedModel, ModelUnavailableError, load_model
from .seeding import seed_everything

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
