"""One place to make runs repeatable."""

from __future__ import annotations

import random

import numpy as np
import torch


def seed_everything(seed: int = 0) -> None:
    """Seed Python, NumPy and torch so that reruns of a cell agree."""
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
