"""How much did the weights move? Fine-tuning changes them; prompting never does.

``weight_diff(before, after)`` compares two models with the same architecture, parameter
by parameter, and sums the change per layer: the L2 norm of the difference and that norm
relative to the layer's original size. After any number of prompts the answer is exactly
zero everywhere; after a fine-tune it is not (claim C2 of the course).
"""

from __future__ import annotations

import math
import re
from typing import Any

import torch

from prompt_vs_finetune.model.loading import LoadedModel
from prompt_vs_finetune.ui.tables import Table

__all__ = ["plot_weight_diff", "total_change", "weight_diff"]

_LAYER = re.compile(r"(?:^|\.)layers\.(\d+)\.")


def _module(model: Any) -> Any:
    return model.model if isinstance(model, LoadedModel) else model


def _group(name: str) -> str:
    """'model.layers.3.self_attn.q_proj.weight' -> 'layer 3'; others keep their module name."""
    match = _LAYER.search(name)
    if match:
        return f"layer {int(match.group(1))}"
    return name.removeprefix("model.").removesuffix(".weight")


@torch.no_grad()
def weight_diff(model_a: Any, model_b: Any, *, by: str = "layer") -> Table:
    """Per-layer (``by="layer"``) or per-parameter (``by="parameter"``) weight change.

    Takes two LoadedModels or two torch models. Each row: ``group``, ``n_params``,
    ``l2_change`` (norm of after - before), ``l2_before`` (norm of before),
    ``relative_change`` (their ratio) and ``changed`` (share of numbers that differ at all).
    A LoRA run's ``run.lm`` already has its adapter merged, so it compares directly.
    """
    if by not in ("layer", "parameter"):
        raise ValueError(f"by must be 'layer' or 'parameter', got {by!r}")
    params_a = dict(_module(model_a).named_parameters())
    params_b = dict(_module(model_b).named_parameters())
    if params_a.keys() != params_b.keys():
        extra = sorted(params_a.keys() ^ params_b.keys())[:3]
        raise ValueError(
            f"the two models do not have the same parameters (for example {extra}); compare "
            f"models of the same architecture, with LoRA adapters merged (run.lm is merged)"
        )
    groups: dict[str, dict[str, float]] = {}
    for name, a in params_a.items():
        b = params_b[name]
        if a.shape != b.shape:
            raise ValueError(f"{name} has shape {tuple(a.shape)} in one model, {tuple(b.shape)}")
        delta = b.detach().double() - a.detach().double()
        key = _group(name) if by == "layer" else name
        g = groups.setdefault(key, {"n": 0, "change2": 0.0, "before2": 0.0, "changed": 0})
        g["n"] += a.numel()
        g["change2"] += float(delta.pow(2).sum())
        g["before2"] += float(a.detach().double().pow(2).sum())
        g["changed"] += int((delta != 0).sum())
    rows = []
    for key, g in groups.items():
        change, before = math.sqrt(g["change2"]), math.sqrt(g["before2"])
        rows.append(
            {
                "group": key,
                "n_params": int(g["n"]),
                "l2_change": change,
                "l2_before": before,
                "relative_change": change / before if before else 0.0,
                "changed": g["changed"] / g["n"] if g["n"] else 0.0,
            }
        )
    return Table(rows)


def total_change(diffs: list[dict[str, Any]]) -> float:
    """L2 norm of the whole change (all groups of a ``weight_diff`` together)."""
    return math.sqrt(sum(row["l2_change"] ** 2 for row in diffs))


def plot_weight_diff(diffs: list[dict[str, Any]], ax: Any = None, value: str = "relative_change"):
    """Bar chart of ``value`` per group; returns the matplotlib Axes."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(10, 3))
    names = [row["group"] for row in diffs]
    ax.bar(range(len(names)), [row[value] for row in diffs])
    ax.set_xticks(range(len(names)), names, rotation=90, fontsize=7)
    ax.set_ylabel(value.replace("_", " "))
    ax.set_title(f"Weight change per {'layer' if 'layer 0' in names else 'group'}")
    return ax
