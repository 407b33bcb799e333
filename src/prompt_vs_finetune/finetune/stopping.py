"""Early stopping: train until the dev accuracy stops improving, and keep the best weights.

A recipe states a step budget (``steps``) and how often the dev accuracy is measured
(``eval_every``). With ``patience=p`` the run stops as soon as ``p`` evaluations in a row
brought no dev accuracy above the best so far, and the weights of the best evaluation
(the earliest one on a tie, step 0 included) are put back before the run is saved. So the
returned model is the one the dev curve chose, and the curve after it shows why the
training stopped. Without patience a run trains its whole budget and keeps its last
weights (the course's original recipes).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import torch

__all__ = ["EarlyStopping"]


@dataclass
class EarlyStopping:
    """Follows the dev curve of one run; ``patience`` None: never stops, keeps the last weights."""

    patience: int | None = None
    best: float = -math.inf
    best_step: int = 0
    waited: int = 0
    _weights: dict[str, torch.Tensor] | None = field(default=None, repr=False)

    def update(self, model: Any, step: int, accuracy: float) -> bool:
        """Record the dev accuracy measured at ``step``; True when the run should stop."""
        if accuracy > self.best:
            self.best, self.best_step, self.waited = accuracy, step, 0
            if self.patience is not None:
                self._weights = {
                    name: param.detach().clone()
                    for name, param in model.named_parameters()
                    if param.requires_grad
                }
            return False
        self.waited += 1
        return self.patience is not None and self.waited >= self.patience

    def restore(self, model: Any) -> None:
        """Put the best evaluation's trainable weights back into ``model`` (with patience)."""
        if self._weights is None:
            return
        with torch.no_grad():
            for name, param in model.named_parameters():
                if name in self._weights:
                    param.copy_(self._weights[name])
        self._weights = None
