"""The benchmarks' fresh course cache: empty, except the converted default model, linked in.

A benchmark that measures training or building starts from no checkpoints and no stored
results, but not from the one-time GGUF conversion of the default model (about 20 s), which
is not what it measures. Call :func:`fresh_cache` before importing anything that reads the
cache location.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from prompt_vs_finetune.model.loading import converted_model_dir, ensure_default_model
from prompt_vs_finetune.store.paths import CACHE_ENV_VAR


def fresh_cache(prefix: str, *, verbose: bool = False) -> tuple[Path, Path]:
    """Point the course cache at a new temporary folder whose ``models/`` links the real
    converted default model; return (the folder, the real model folder)."""
    real_models, _ = ensure_default_model(verbose=verbose)
    tmp = Path(tempfile.mkdtemp(prefix=prefix))
    (tmp / "models").mkdir()
    (tmp / "models" / real_models.name).symlink_to(real_models, target_is_directory=True)
    os.environ[CACHE_ENV_VAR] = str(tmp)
    assert converted_model_dir().resolve() == real_models.resolve()
    return tmp, real_models
