"""Fine-tuning: the training loop, the course's named recipes, checkpoints, diagnosis, plots."""

from prompt_vs_finetune.finetune import training as _training
from prompt_vs_finetune.finetune.training import *  # noqa: F403

__all__ = list(_training.__all__)
