"""Exercise checks for the course notebooks.

In a notebook::

    from prompt_vs_finetune.checks import check, hint, progress, solution

    predict("02.4", 0.45)     # a predict-then-measure exercise: your guess, before measuring
    check("00.1", n_tokens)   # prints ✅ Solved / ❌ Not yet / ⏳ Not attempted yet
    hint("00.1")              # hint 1; call again for hint 2 (stronger)
    solution("00.1")          # one solution
    progress()                # every exercise: solved, attempted or not attempted

Each exercise set lives in its own module ``exNN.py`` (``ex00.py`` for set 00); every
such module in this package is imported here, so adding a set is adding one file.
"""

import importlib
import pkgutil
import re

from prompt_vs_finetune.checks.core import (
    EXERCISES,
    KINDS,
    REQUIRED_KINDS,
    RETIRED,
    NotYet,
    answered,
    check,
    default_model,
    exercise,
    hint,
    progress,
    require,
    solution,
)
from prompt_vs_finetune.checks.predictions import predict

for _module in pkgutil.iter_modules(__path__):
    if re.fullmatch(r"ex\d\d", _module.name):
        importlib.import_module(f"{__name__}.{_module.name}")

__all__ = [
    "EXERCISES",
    "KINDS",
    "REQUIRED_KINDS",
    "RETIRED",
    "NotYet",
    "answered",
    "check",
    "default_model",
    "exercise",
    "hint",
    "predict",
    "progress",
    "require",
    "solution",
]
