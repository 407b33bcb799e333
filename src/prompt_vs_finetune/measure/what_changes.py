"""What each approach changes: prompting changes the input, fine-tuning changes the weights.

Claim C2 of the course. ``weight_change_record`` compares three copies of the same model
with ``weightdiff.weight_diff``: the base model as loaded, the same model after it has
answered prompts, and a fine-tuned model. It returns plain numbers for the results store;
the rule of C2 in ``claims`` turns them into a verdict.
"""

from __future__ import annotations

from typing import Any

from prompt_vs_finetune.measure.weights import total_change, weight_diff

__all__ = ["weight_change_record"]


def weight_change_record(base: Any, prompted: Any, tuned: Any) -> dict[str, Any]:
    """How far the weights moved: base vs prompted, and base vs tuned (JSON-ready).

    ``base`` is an untouched copy of the model, ``prompted`` the copy that answered the
    prompts, ``tuned`` a fine-tuned model (LoRA merged). Keys: ``prompted_total`` and
    ``tuned_total`` (L2 norm of the whole change), ``prompted_changed`` and
    ``tuned_changed`` (share of all numbers that differ at all), ``tuned_layers`` (the
    per-layer rows of ``weight_diff``) and ``n_params``.
    """
    prompted_rows = weight_diff(base, prompted)
    tuned_rows = weight_diff(base, tuned)
    n_params = sum(r["n_params"] for r in tuned_rows)

    def changed(rows: list[dict[str, Any]]) -> float:
        return sum(r["changed"] * r["n_params"] for r in rows) / n_params

    return {
        "n_params": n_params,
        "prompted_total": total_change(prompted_rows),
        "prompted_changed": changed(prompted_rows),
        "tuned_total": total_change(tuned_rows),
        "tuned_changed": changed(tuned_rows),
        "tuned_layers": list(tuned_rows),
    }
