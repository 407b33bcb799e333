"""Checks of exercise set 03 (solutions/03_hidden_costs_exercises.ipynb)."""

from __future__ import annotations

import functools
import math
import random

from prompt_vs_finetune.checks.core import NotYet, default_model, exercise, require
from prompt_vs_finetune.data import load_tickets
from prompt_vs_finetune.finetune.diagnosis import diverged
from prompt_vs_finetune.finetune.risk import probe_cached, probe_summary
from prompt_vs_finetune.measure.evaluate import evaluate
from prompt_vs_finetune.prompting.fewshot import FewShotPrompt, build_prompt

N_TICKETS = 24  # fixed test tickets of exercise 03.3


def loss_series(seed: int = 0) -> list[tuple[str, list[float]]]:
    """Fresh training-loss curves for exercise 03.1: (kind, losses), healthy and broken."""
    rng = random.Random(seed)
    series = []
    for _ in range(4):  # healthy: a noisy decay
        start, n = rng.uniform(1.5, 3.0), rng.randint(12, 40)
        series.append(
            ("healthy", [start * math.exp(-0.08 * s) + rng.uniform(-0.15, 0.15) for s in range(n)])
        )
    for _ in range(3):  # exploding: falls a little, then climbs
        start, n = rng.uniform(1.5, 3.0), rng.randint(12, 40)
        series.append(
            ("exploding", [start - 0.05 * s if s < 4 else start + 0.6 * (s - 3) for s in range(n)])
        )
    nan = [2.0 - 0.05 * s for s in range(16)]
    nan[rng.randint(5, 14)] = float("nan")
    series.append(("nan", nan))
    inf = [1.5 - 0.03 * s for s in range(12)]
    inf[-1] = float("inf")
    series.append(("inf", inf))
    series.append(("blows up, then comes down", [2.0, 1.8, 6.0, 1.5, 1.2, 1.0, 0.9, 0.8, 0.8, 0.7]))
    series.append(("bumpy but healthy", [2.0, 3.5, 1.9, 1.6, 2.4, 1.2, 1.0, 1.3, 0.9, 0.8, 0.7]))
    series.append(("plateau above the start", [1.0, 0.9, 1.2, 1.1, 1.0, 1.6, 1.7, 1.6, 1.8, 1.7]))
    series.append(("hardly falling", [2.0, 1.95, 1.9, 1.95, 1.9, 1.85, 1.9, 1.85, 1.8, 1.85]))
    return series


@exercise(
    "03.1",
    kind="design",
    title="Flag a training run that diverged",
    task=(
        "write `is_diverging(losses)`: True when a loss is nan or inf, when a loss is more "
        "than twice the first loss, or when the last 5 losses average more than 0.8 times "
        "the first 5 (the loss rules of lesson 04's `diagnose`)."
    ),
    hints=[
        "The check calls your function on fresh loss curves, at least 10 steps each: noisy "
        "healthy decays, some with a bump that stays below twice the first loss (False); curves "
        "that climb (True); one nan or inf (True); a jump above twice the first loss that later "
        "comes back down (True: the run blew up, whatever its end looks like); one that "
        "hardly falls (True: it never clearly came down).",
        "Three tests, any one is enough: not all(math.isfinite(x) for x in losses); "
        "max(losses) > 2 * losses[0]; sum(losses[-5:]) / 5 > 0.8 * sum(losses[:5]) / 5.",
    ],
    solution=(
        "def is_diverging(losses):\n"
        "    if not all(math.isfinite(x) for x in losses):\n"
        "        return True\n"
        "    if max(losses) > 2 * losses[0]:\n"
        "        return True\n"
        "    return sum(losses[-5:]) / 5 > 0.8 * sum(losses[:5]) / 5"
    ),
)
def _is_diverging(is_diverging) -> tuple[bool, str]:
    if not callable(is_diverging):
        raise NotYet(f"expected a function, but got a value of type {type(is_diverging).__name__}.")
    for kind, losses in loss_series(seed=3):
        want = diverged(losses)
        try:
            got = is_diverging(list(losses))
        except Exception as exc:  # noqa: BLE001 - the learner's code may raise anything
            return False, f"on a {kind} curve your function raised {type(exc).__name__}: {exc}."
        if not isinstance(got, bool):
            return False, f"your function returned {got!r}; return True or False."
        if got != want:
            shown = ", ".join(f"{x:.2f}" for x in losses[:6])
            return False, (
                f"on a {kind} curve ({shown}, ...) your function said {got}; it should say {want}."
            )
    return True, "your detector agrees with the check on every curve, nan and inf included."


@functools.cache
def _forgotten_by_wrecked() -> tuple[str, ...]:
    from prompt_vs_finetune.finetune.recipes import course_run

    base = probe_cached(default_model())
    wrecked = probe_cached(course_run("wrecked", progress=False).lm)
    return tuple(probe_summary(base, wrecked)["forgotten_questions"])


@exercise(
    "03.2",
    kind="design",
    title="List what the wrecked fine-tune forgot",
    task=(
        "set `regressed` to the list of probe questions that the base model answers right "
        "and the wrecked model answers wrong."
    ),
    hints=[
        "The check compares your list (order does not matter) with the probe questions whose "
        "status in compare_probes(base_probe, wrecked_probe) is FORGOTTEN: right before the "
        "fine-tune, wrong after it. Questions that were wrong before do not count.",
        "regressed = [row['question'] for row in compare_probes(base_probe, wrecked_probe) "
        "if row['status'] == 'FORGOTTEN']  (probes.forgotten does the same).",
    ],
    solution="regressed = forgotten(base_probe, wrecked_probe)",
)
def _regressed(regressed) -> tuple[bool, str]:
    require(regressed, (list, tuple, set), "a list of questions")
    got = set(regressed)
    if not all(isinstance(q, str) for q in got):
        return False, "the list should hold the questions as text, like 'What colour is snow?'."
    truth = set(_forgotten_by_wrecked())
    if got == truth:
        return True, f"the wrecked fine-tune forgot {len(truth)} answers it used to know."
    extra, missing = got - truth, truth - got
    if extra:
        return False, (
            f"{len(extra)} of your questions were not forgotten (for example "
            f"{sorted(extra)[0]!r}): keep only questions answered right before and wrong after."
        )
    return False, f"{len(missing)} forgotten questions are missing from your list."


@functools.cache
def _task():
    return load_tickets("category")


def fixed_tickets():
    """The 24 test tickets of exercise 03.3."""
    return _task().subset("test", N_TICKETS, seed=3)


@functools.cache
def good_accuracy() -> float:
    """Accuracy of the good 8-shot prompt (before the bad edit) on the 24 tickets."""
    good = build_prompt(_task(), k=8, seed=0)
    return evaluate(default_model(), _task(), good, examples=fixed_tickets()).accuracy


@exercise(
    "03.3",
    kind="design",
    title="Roll back a bad prompt",
    task=(
        "set `fixed` to a prompt that scores at least as well as the good 8-shot prompt did "
        f"on the {N_TICKETS} tickets."
    ),
    hints=[
        f"The check scores your prompt on the same {N_TICKETS} fixed tickets and wants an "
        "accuracy at least that of build_prompt(task, k=8, seed=0), the prompt before the bad "
        "edit. It also reports how long that took: the whole cost of undoing a prompt.",
        "Rolling back is allowed, and is the point: fixed = build_prompt(task, k=8, seed=0) "
        "(or the `good` variable). Any other prompt that scores as well passes too.",
    ],
    solution="fixed = good  # the previous version of the prompt, unchanged",
)
def _rollback(fixed) -> tuple[bool, str]:
    require(fixed, FewShotPrompt, "a FewShotPrompt (from build_prompt)")
    if tuple(fixed.labels) != tuple(_task().labels):
        return False, "this prompt is not for the ticket categories: build it from the ticket task."
    result = evaluate(default_model(), _task(), fixed, examples=fixed_tickets())
    acc, seconds = result.accuracy, result.seconds
    target = good_accuracy()
    if acc >= target:
        return True, (
            f"accuracy {acc:.0%} (the good prompt: {target:.0%}), checked in {seconds:.1f} s. "
            "That is the whole cost of undoing a prompt."
        )
    return False, f"accuracy {acc:.0%}; the good prompt scored {target:.0%} on these tickets."
