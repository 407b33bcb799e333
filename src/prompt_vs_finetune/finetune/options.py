"""The options a fine-tune accepts, checked before any work starts."""

from __future__ import annotations

import math

#: LoRA adapters on the top layers, or every weight.
METHODS = ("lora", "full")


def check_options(
    method: str, steps: int, batch_size: int, lr: float, n_train: int | None,
    top_layers: int | None, patience: int | None, eval_every: int | None,
) -> None:
    """Raise ValueError, saying what is allowed, for an option ``fine_tune`` cannot use."""
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}, got {method!r}")
    for name, value in (("steps", steps), ("batch_size", batch_size)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ValueError(f"{name} must be a whole number >= 1, got {value!r}")
    if not (isinstance(lr, int | float) and lr > 0 and math.isfinite(lr)):
        raise ValueError(f"lr must be a positive number, got {lr!r}")
    for name, value in (("n_train", n_train), ("top_layers", top_layers)):
        if value is not None and (not isinstance(value, int) or value < 1):
            raise ValueError(f"{name} must be None (all) or a whole number >= 1, got {value!r}")
    if patience is not None and (not isinstance(patience, int) or patience < 1 or not eval_every):
        raise ValueError(
            f"patience must be None or a whole number >= 1 with eval_every set, got {patience!r}"
        )
