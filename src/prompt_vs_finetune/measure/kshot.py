"""The verdict on claim C9 from lesson 05's k-shot sweep (``sweeps.kshot_sweep``) and the
fine-tune's evaluation (``evaluate(run.lm, task, k=0)``)."""

from __future__ import annotations

__all__ = ["verdict_for_c9"]


def verdict_for_c9(
    best_kshot_accuracy: float, tuned_accuracy: float, *, margin: float = 0.05
) -> tuple[str, str]:
    """Can few-shot prompting compete with the fine-tune? From the two measured accuracies.

    "supported" when the best k-shot prompt comes within ``margin`` of the fine-tuned
    model (or beats it); "partly" when it is within ``2 * margin``; "not at this scale"
    when the fine-tune is further ahead.
    """
    gap = tuned_accuracy - best_kshot_accuracy
    numbers = (
        f"best few-shot {best_kshot_accuracy:.3f} vs fine-tuned {tuned_accuracy:.3f} "
        f"(gap {gap:+.3f})"
    )
    if gap <= margin:
        return (
            "supported",
            f"few-shot prompting came within {margin:.2f} of the fine-tune: {numbers}",
        )
    if gap <= 2 * margin:
        return "partly", f"few-shot prompting came close but not within {margin:.2f}: {numbers}"
    return "not at this scale", f"the fine-tune is clearly ahead at this model size: {numbers}"
