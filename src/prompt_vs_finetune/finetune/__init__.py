"""Fine-tuning: the training loop, the course's named recipes, checkpoints, diagnosis, plots."""

from prompt_vs_finetune.finetune.training import (
    DEFAULTS,
    FULL_LR,
    LORA_LR,
    METHODS,
    WRECKING_LR,
    FineTuneRun,
    adapter_size_bytes,
    fine_tune,
    full_model_size_bytes,
)

__all__ = [
    "DEFAULTS",
    "FULL_LR",
    "LORA_LR",
    "METHODS",
    "WRECKING_LR",
    "FineTuneRun",
    "adapter_size_bytes",
    "fine_tune",
    "full_model_size_bytes",
]
