"""Checks of exercise set 03 (solutions/03_hidden_costs_exercises.ipynb).

03.1 (read): a detector for diverged runs, run on fresh loss curves. 03.4 (predict): the
share of new general questions the wrecked fine-tune still answers. 03.5 (design): an alarm
on the share of one answer, silent for the healthy fine-tune, ringing for broken ones.
"""

from __future__ import annotations

import functools
import math
import random
from typing import Any

from prompt_vs_finetune.checks.core import NotYet, default_model, exercise, require, retire
from prompt_vs_finetune.checks.predictions import compare, prediction_for
from prompt_vs_finetune.data import load_tickets
from prompt_vs_finetune.finetune.diagnosis import diverged
from prompt_vs_finetune.finetune.risk import probe_cached
from prompt_vs_finetune.measure.bias import top_label
from prompt_vs_finetune.measure.evaluate import Evaluation, evaluate
from prompt_vs_finetune.measure.intervals import Rate, rate
from prompt_vs_finetune.measure.probes import ProbeResult, compare_probes

retire(
    "03.2",
    "Exercise 03.2 (List what the wrecked fine-tune forgot) was replaced by 03.4 (Predict "
    "what the wrecked fine-tune still knows).",
)
retire(
    "03.3",
    "Exercise 03.3 (Roll back a bad prompt) was replaced by 03.5 (Set an alarm that catches "
    "a broken model).",
)


@functools.cache
def _task() -> Any:
    return load_tickets("category")


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
    kind="read",
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


# --- 03.4: what the wrecked fine-tune still knows, on questions the suite never asked ------

#: Twelve general questions in two families the regression suite of lesson 03 does not ask.
NEW_QUESTIONS: tuple[tuple[str, str, str], ...] = (
    ("animals", "Which animal says moo?", "cow"),
    ("animals", "Which animal says meow?", "cat"),
    ("animals", "Which animal has a long trunk?", "elephant"),
    ("animals", "Which animal has a mane and roars?", "lion"),
    ("animals", "Which animal carries its baby in a pouch?", "kangaroo"),
    ("animals", "Which bird cannot fly and lives in Antarctica?", "penguin"),
    ("counting", "How many days are in a week?", "7"),
    ("counting", "How many legs does a spider have?", "8"),
    ("counting", "How many months are in a year?", "12"),
    ("counting", "How many sides does a triangle have?", "3"),
    ("counting", "How many legs does a dog have?", "4"),
    ("counting", "How many fingers are on one hand?", "5"),
)


@functools.cache
def course_model(name: str) -> Any:
    """The model of ``course_run(name)``, loaded once per process (checks and notebook share it);
    a run lesson 03 has not trained yet is trained first, with a progress bar."""
    from prompt_vs_finetune.finetune.recipes import course_run

    return course_run(name, progress=True).lm


def new_probes() -> tuple[ProbeResult, ProbeResult]:
    """The base model and the wrecked fine-tune on ``NEW_QUESTIONS`` (stored after once)."""
    wrecked = course_model("wrecked")
    return probe_cached(default_model(), NEW_QUESTIONS), probe_cached(wrecked, NEW_QUESTIONS)


def _chance(questions: list[str]) -> float:
    """The share a model guessing among each family's answers would get on ``questions``."""
    families: dict[str, set[str]] = {}
    for family, _, answer in NEW_QUESTIONS:
        families.setdefault(family, set()).add(answer)
    sizes = {q: len(families[f]) for f, q, _ in NEW_QUESTIONS}
    return sum(1 / sizes[q] for q in questions) / len(questions)


@exercise(
    "03.4",
    kind="predict",
    title="Predict what the wrecked fine-tune still knows",
    task=(
        "set `still_right` to the share of the new questions answered right by the base model "
        "that the wrecked fine-tune still answers right (a number between 0 and 1)."
    ),
    hints=[
        "The check asks both models the new questions, keeps the ones the base model answers "
        "right (status 'kept' or 'FORGOTTEN' in compare_probes) and wants the share of those "
        "that are 'kept'. Questions the base model already got wrong do not count.",
        "report = compare_probes(*new_probes()); known = [r for r in report if r['status'] "
        "in ('kept', 'FORGOTTEN')]; still_right = sum(r['status'] == 'kept' for r in known) "
        "/ len(known).",
    ],
    solution=(
        "base_new, wrecked_new = new_probes()\n"
        "report = compare_probes(base_new, wrecked_new)\n"
        'known = [row for row in report if row["status"] in ("kept", "FORGOTTEN")]\n'
        'still_right = sum(row["status"] == "kept" for row in known) / len(known)'
    ),
)
def _still_right(still_right: Any) -> tuple[bool, str]:
    require(still_right, float, "a share between 0 and 1, like 0.5")
    first = prediction_for("03.4")
    require(first.value, float, "your prediction as a share (record it with predict)")
    report = compare_probes(*new_probes())
    known = [r for r in report if r["status"] in ("kept", "FORGOTTEN")]
    if not known:
        return False, "the base model answers none of the new questions right: nothing to keep."
    kept = sum(r["status"] == "kept" for r in known)
    measured = rate(kept, len(known))
    if not math.isclose(still_right, measured.value, abs_tol=0.005):
        everything = sum(r["after"] == r["gold"] for r in report) / len(report)
        if len(known) < len(report) and math.isclose(still_right, everything, abs_tol=0.005):
            return False, (
                "that share counts every question; keep only those the base model answers "
                "right, since a question it never knew cannot be forgotten."
            )
        return False, (
            f"{still_right:.3f} is not the share the check measures; of the {len(known)} "
            "questions the base model answers right, count those the wrecked model still "
            "answers right ('kept') and divide."
        )
    chance = _chance([r["question"] for r in known])
    sentence = compare(first, measured.value, (measured.low, measured.high), digits=2)
    return True, (
        f"{sentence} A guess among each family's answers would get about {chance:.2f}: a "
        "broken model falls to that floor, not to zero, often by giving one answer to every "
        "question of a family. The tickets never mention animals or counting, yet the "
        "damage reached them: a fine-tune that breaks the weights breaks what it never "
        "trained on, which is why the suite asks questions far from the task."
    )


# --- 03.5: an alarm that needs no labels --------------------------------------------------


def _on_test(lm: Any, what: str) -> Evaluation:
    """The instruction-only prompt on the 160 test tickets, as lesson 03 scored each model."""
    note = (
        f"Scoring {what} on the test tickets first (once; stored for later). The bar below "
        "shows the time left."
    )
    return evaluate(lm, _task(), k=0, progress=note)


def baseline() -> Evaluation:
    """The healthy model in production: the careful fine-tune on the 160 test tickets."""
    return _on_test(course_model("category"), "the careful fine-tune")


def failures() -> dict[str, Evaluation]:
    """Broken deployments on the same tickets: the wrecked fine-tune, and the base model
    answering alone (what serving falls back on when the adapter fails to load)."""
    return {
        "the wrecked fine-tune": _on_test(course_model("wrecked"), "the wrecked fine-tune"),
        "the base model without its adapter": _on_test(default_model(), "the base model"),
    }


def top_share(result: Any) -> tuple[str, Rate]:
    """The most frequent answer of an evaluation and its share, with a 95% interval."""
    label, share = top_label(result.predictions)
    n = len(result.predictions)
    return label, rate(round(share * n), n)


@exercise(
    "03.5",
    kind="design",
    title="Set an alarm that catches a broken model",
    task=(
        "set `alarm_at` to the share of tickets with the same answer above which the alarm "
        "rings: silent on a normal day of the healthy fine-tune, ringing for both failures."
    ),
    hints=[
        "The check computes the healthy model's most frequent answer and its share of the 160 "
        "test tickets with a 95% interval: your alarm must sit at or above the interval's "
        "upper end (a normal day can reach it) and below the share of each failure's most "
        "frequent answer.",
        "label, count = Counter(healthy.predictions).most_common(1)[0]; alarm_at = "
        "rate(count, healthy.n).high is the most sensitive alarm that stays silent; then "
        "check it is below each failure's top share.",
    ],
    solution=(
        "label, count = Counter(healthy.predictions).most_common(1)[0]\n"
        "alarm_at = rate(count, healthy.n).high  # a normal day can reach the upper end"
    ),
)
def _alarm(alarm_at: Any) -> tuple[bool, str]:
    require(alarm_at, float, "a share between 0 and 1, like 0.5")
    if not 0 < alarm_at < 1:
        raise NotYet(f"{alarm_at} is not a share: give a number between 0 and 1.")
    label, healthy = top_share(baseline())
    if alarm_at < healthy.high:
        return False, (
            f"the healthy fine-tune answers '{label}' for {healthy.value:.3f} of the tickets, "
            f"and a normal day can reach {healthy.high:.3f} (the upper end of its 95% "
            f"interval): an alarm at {alarm_at:.3f} would ring on a healthy day, and a team "
            "soon switches off an alarm that cries wolf. Raise it."
        )
    shares = {name: top_share(result) for name, result in failures().items()}
    missed = {n: s for n, s in shares.items() if healthy.high < s[1].value <= alarm_at}
    if missed:
        name, (answer, share) = min(missed.items(), key=lambda item: item[1][1].value)
        return False, (
            f"{name} answers '{answer}' for {share.value:.3f} of the tickets and your alarm "
            f"at {alarm_at:.3f} stays silent. Anything from {healthy.high:.3f} up to just "
            f"below {share.value:.3f} rings for it and not on a healthy day."
        )
    rings = [f"{n}: '{a}' for {s.value:.3f}" for n, (a, s) in shares.items() if s.value > alarm_at]
    hidden = [n for n, (_, s) in shares.items() if s.value <= healthy.high]
    said = f"it rings for {'; '.join(rings)}" if rings else "no failure here stands out"
    if hidden:
        said += f" ({', '.join(hidden)} looks like a healthy day to any alarm on this share)"
    return True, (
        f"silent on a healthy day (up to {healthy.high:.3f} '{label}'), and {said}. It needs "
        "no labels: a model that collapses onto one answer shows it in its own predictions "
        "long before anyone checks them against the truth."
    )
