"""Where the course keeps what it computes: converted model, checkpoints, results."""

from __future__ import annotations

import os
from pathlib import Path

CACHE_ENV_VAR = "PROMPT_VS_FINETUNE_CACHE"


def cache_dir() -> Path:
    """Return the course cache folder, creating it if needed.

    ``$PROMPT_VS_FINETUNE_CACHE`` wins; otherwise ``$XDG_CACHE_HOME/prompt-vs-finetune``
    or ``~/.cache/prompt-vs-finetune``.
    """
    override = os.environ.get(CACHE_ENV_VAR)
    if override:
        root = Path(override).expanduser()
    else:
        base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
        root = Path(base) / "prompt-vs-finetune"
    root.mkdir(parents=True, exist_ok=True)
    return root


def cache_subdir(name: str) -> Path:
    """Return (and create) a named folder inside the course cache."""
    path = cache_dir() / name
    path.mkdir(parents=True, exist_ok=True)
    return path
