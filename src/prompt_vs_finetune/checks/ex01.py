"""Checks of exercise set 01 (solutions/01_fundamentals_exercises.ipynb).

01.3 build: a function that reads the label out of a free answer, as lesson 01 grades.
01.4 predict: on how many test tickets the category fine-tune answers differently from the
base model with the same prompt (both evaluations stored by lesson 01).
01.5 design: a LoRA recipe that reaches every layer within the course recipe's budget of
trained numbers (the baseline, ``baseline()``, computed from the course model's matrices).
01.6 read: did lesson 01's format instruction make the model more accurate than the bare
question, on its 40 tickets (supported, contradicted or inconclusive, with the interval)?
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Mapping
from typing import Any

from prompt_vs_finetune.checks.core import NotYet, default_model, exercise, require, retire
from prompt_vs_finetune.checks.predictions import compare, prediction_for
from prompt_vs_finetune.checks.readings import CLAIM_WORDS, parse
from prompt_vs_finetune.claims.verdict import status_of
from prompt_vs_finetune.data import load_tickets
from prompt_vs_finetune.finetune.recipes import COURSE_RUNS, course_run
from prompt_vs_finetune.finetune.training import DEFAULTS
from prompt_vs_finetune.measure.evaluate import Evaluation, evaluate
from prompt_vs_finetune.measure.intervals import Paired, items_to_settle, paired, rate
from prompt_vs_finetune.prompting.variants import C1_VARIANTS, PromptVariant, run_variant
from prompt_vs_finetune.store.results import ResultsStore, cached

retire(
    "01.1",
    "Exercise 01.1 (Write a prompt that answers with a label) was removed; 01.6 "
    "(Did the format instruction make the model more accurate?) covers its idea.",
)
retire(
    "01.2",
    "Exercise 01.2 (Measure how far a fine-tune moved the weights) was replaced "
    "by 01.5 (Spread an adapter over every layer).",
)


@functools.cache
def _task() -> Any:
    return load_tickets("category")


#: Replies the check feeds to the learner's function, with the labels it should return.
PARSING_CASES: tuple[tuple[str, str | None], ...] = (
    ("billing", "billing"),
    ("Shipping.", "shipping"),
    ("This is a TECHNICAL problem", "technical"),
    ("Category: cancellation", "cancellation"),
    ("billing, technical, shipping, account", None),
    ("It is about the account or maybe billing", None),
    ("My router is broken", None),
    ("accounting", None),
    ("featured", None),
    ("", None),
    ("feature request", "feature"),
    ("  account  ", "account"),
)


@exercise(
    "01.3",
    kind="build",
    title="Read the label out of a free answer",
    task=(
        "write `pick_label(reply, labels)`: the one label the reply names as a whole word, "
        "or None when it names none or several."
    ),
    hints=[
        "The check calls your function on a dozen replies such as 'Shipping.', "
        "'This is a TECHNICAL problem', 'billing, technical, shipping' (several labels: None) "
        "and 'accounting' (not the word 'account': None). Case and punctuation do not matter.",
        "Lower-case the reply, split it into words with re.findall(r'[a-z]+', ...), keep the "
        "labels that appear among those words, and return the label if exactly one is left.",
    ],
    solution=(
        "def pick_label(reply, labels):\n"
        '    words = set(re.findall(r"[a-z]+", reply.lower()))\n'
        "    named = [label for label in labels if label in words]\n"
        "    return named[0] if len(named) == 1 else None"
    ),
)
def _pick_label(pick_label) -> tuple[bool, str]:
    if not callable(pick_label):
        raise NotYet(f"expected a function, but got a value of type {type(pick_label).__name__}.")
    labels = list(_task().labels)
    for reply, expected in PARSING_CASES:
        try:
            got = pick_label(reply, labels)
        except Exception as exc:  # noqa: BLE001 - the learner's code may raise anything
            return False, f"pick_label({reply!r}, labels) raised {type(exc).__name__}: {exc}."
        if got != expected:
            return False, f"pick_label({reply!r}, labels) returned {got!r}; expected {expected!r}."
    n = len(PARSING_CASES)
    return True, f"your function reads all {n} test replies the way the lesson does."


# --- 01.4: how many answers the fine-tune changed --------------------------------------------


def evaluations() -> tuple[Evaluation, Evaluation]:
    """The base model and the category fine-tune, same 0-shot prompt, every test ticket."""
    task = _task()
    note = "Scoring {} on the test tickets first (once; stored for later)."
    base = evaluate(default_model(), task, k=0, progress=note.format("the base model"))
    tuned_lm = course_run("category", progress=False).lm
    return base, evaluate(tuned_lm, task, k=0, progress=note.format("the fine-tune"))


def _changes(base: Evaluation, tuned: Evaluation) -> str:
    """What the changed answers did: right to wrong, wrong to right, wrong to another wrong."""
    pairs = list(zip(base.predictions, tuned.predictions, base.gold, strict=True))
    lost = sum(b == g != t for b, t, g in pairs)
    won = sum(t == g != b for b, t, g in pairs)
    other = sum(b != t and g not in (b, t) for b, t, g in pairs)
    return f"{won} went from wrong to right, {lost} from right to wrong, {other} to another wrong"


@exercise(
    "01.4",
    kind="predict",
    title="Predict how many answers a fine-tune changes",
    task=(
        "set `changed` to the share of test tickets on which the fine-tune's answer differs "
        "from the base model's, both with the same 0-shot prompt."
    ),
    hints=[
        "The check compares the predicted labels of `base` and `tuned` ticket by ticket (the "
        "same 160 test tickets, in the same order) and counts the tickets where they differ, "
        "right or wrong; your number is that count divided by the number of tickets.",
        "changed = sum(b != t for b, t in zip(base.predictions, tuned.predictions)) / "
        "len(base.predictions). The gold labels play no part.",
    ],
    solution=(
        "changed = sum(b != t for b, t in zip(base.predictions, tuned.predictions)) / "
        "len(base.predictions)"
    ),
)
def _answers_changed(changed: float) -> tuple[bool, str]:
    first = prediction_for("01.4")
    require(changed, float)
    base, tuned = evaluations()
    n = len(base.predictions)
    count = sum(b != t for b, t in zip(base.predictions, tuned.predictions, strict=True))
    truth, moved = count / n, tuned.accuracy - base.accuracy
    if math.isclose(changed, truth, abs_tol=0.5 / n):
        interval = rate(count, n)
        said = compare(first, truth, (interval.low, interval.high))
        return True, (
            f"{said} Accuracy moved by {moved:+.2f}, yet {count} of the {n} answers changed: "
            f"{_changes(base, tuned)}. A fine-tune changes the model for every input, not only "
            "where it fixes a mistake: changes in both directions partly cancel in accuracy, "
            "and a change from one wrong answer to another does not show in it at all."
        )
    if math.isclose(changed, abs(moved), abs_tol=0.5 / n):
        return False, "that is how far accuracy moved; count the tickets whose answer differs."
    if math.isclose(changed, 1 - truth, abs_tol=0.5 / n):
        return False, "that is the share of answers that stayed the same."
    if changed > 1:
        return False, f"{changed:g} is more than 1: divide the count by the number of tickets."
    return False, (
        f"{changed:.3f} is not the share of tickets whose predicted label differs between the "
        "two models. Compare base.predictions with tuned.predictions, ticket by ticket."
    )


# --- 01.5: an adapter over every layer, within the course recipe's budget --------------------

_LAYER = re.compile(r"(?:^|\.)layers\.(\d+)\.(?:.*\.)?(\w+)$")
RECIPE_KEYS = ("rank", "target_modules", "top_layers")


def matrices() -> list[tuple[int, str, int, int]]:
    """(layer, matrix name, inputs, outputs) of every linear matrix in the model's layers."""
    found = []
    for name, module in default_model().model.named_modules():
        match = _LAYER.search(name)
        if match and hasattr(module, "in_features"):
            layer, short = int(match.group(1)), match.group(2)
            found.append((layer, short, module.in_features, module.out_features))
    return found


def lora_numbers(recipe: Mapping[str, Any]) -> tuple[int, int]:
    """Numbers a LoRA ``recipe`` trains (rank x (inputs + outputs) per adapted matrix), and
    numbers its merged update changes (inputs x outputs per adapted matrix)."""
    n_layers = default_model().model.config.num_hidden_layers
    first = n_layers - min(recipe["top_layers"], n_layers)
    chosen = [(i, o) for layer, name, i, o in matrices()
              if layer >= first and name in recipe["target_modules"]]  # fmt: skip
    return sum(recipe["rank"] * (i + o) for i, o in chosen), sum(i * o for i, o in chosen)


def course_recipe() -> dict[str, Any]:
    """Rank, matrices and layers of the course's category fine-tune."""
    options = {**DEFAULTS, **COURSE_RUNS["category"][1]}
    return {key: options[key] for key in RECIPE_KEYS}


def baseline() -> int:
    """The budget: numbers the course's category recipe trains on the course model."""
    return lora_numbers(course_recipe())[0]


def _recipe(answer: Any) -> dict[str, Any]:
    """The learner's recipe, checked for shape; raises NotYet naming what is wrong."""
    require(answer, dict, 'a dict like {"rank": 4, "target_modules": [...], "top_layers": 30}')
    missing = [key for key in RECIPE_KEYS if key not in answer]
    if missing:
        raise NotYet(f"your recipe has no {', '.join(missing)}; give all of {RECIPE_KEYS}.")
    require(answer["rank"], int, "a whole number as the rank")
    require(answer["top_layers"], int, "a whole number of layers as top_layers")
    require(answer["target_modules"], (list, tuple), "a list of matrix names as target_modules")
    known = sorted({name for _, name, _, _ in matrices()})
    unknown = [m for m in answer["target_modules"] if m not in known]
    if unknown or not answer["target_modules"]:
        raise NotYet(f"target_modules must name matrices of each layer: {', '.join(known)}.")
    if answer["rank"] < 1 or answer["top_layers"] < 1:
        raise NotYet("rank and top_layers must be at least 1.")
    return dict(answer)


@exercise(
    "01.5",
    kind="design",
    title="Spread an adapter over every layer",
    task=(
        "set `recipe` to a LoRA recipe (rank, target_modules, top_layers) that adapts every "
        "layer and at least the course's matrices, with the largest rank whose trained "
        "numbers stay within the course recipe's."
    ),
    hints=[
        "The check counts the numbers your recipe trains: for each adapted matrix of "
        "inputs x outputs, LoRA trains rank x (inputs + outputs). The sum must not exceed "
        "what the course recipe trains (measured in the notebook), top_layers must be every "
        "layer, target_modules must include the course's, and rank + 1 must no longer fit.",
        "Per layer, add inputs + outputs over the matrices you adapt (v_proj is narrower "
        "than q_proj: read the shapes in the notebook), multiply by the number of layers, "
        "then take the largest rank for which rank x that total is within the budget.",
    ],
    solution=(
        'recipe = {"rank": 4, "target_modules": ["q_proj", "v_proj"], "top_layers": 30}\n\n'
        "# twice the layers of the course recipe (15 of 30), so half its rank (8)"
    ),
)
def _every_layer(recipe: dict) -> tuple[bool, str]:
    recipe = _recipe(recipe)
    n_layers = default_model().model.config.num_hidden_layers
    course, budget = course_recipe(), baseline()
    if recipe["top_layers"] != n_layers:
        return False, f"the adapter must reach every layer: top_layers = {n_layers}."
    if not set(course["target_modules"]) <= set(recipe["target_modules"]):
        keep = ", ".join(course["target_modules"])
        return False, f"keep at least the matrices the course adapts ({keep})."
    trained, touched = lora_numbers(recipe)
    if trained > budget:
        return False, (
            f"your recipe trains {trained:,} numbers; the budget is {budget:,}, what the course "
            "recipe trains. Lower the rank or adapt fewer matrices."
        )
    bigger, _ = lora_numbers({**recipe, "rank": recipe["rank"] + 1})
    if bigger <= budget:
        return False, (
            f"{trained:,} numbers fit the budget of {budget:,}, but rank {recipe['rank'] + 1} "
            f"({bigger:,}) would fit too: take the largest rank that does."
        )
    total = sum(p.numel() for p in default_model().model.parameters())
    return True, (
        f"rank {recipe['rank']} on {len(recipe['target_modules'])} matrices in all {n_layers} "
        f"layers trains {trained:,} numbers ({trained / total:.2%} of the model), within the "
        f"{budget:,} of the course recipe. Merged, its update changes every number of the "
        f"matrices it adapts: {touched:,}, {touched / total:.1%} of the weights. A bigger "
        "rank, more matrices or more layers all cost trained numbers: the recipe chooses "
        "where the same budget goes."
    )


# --- 01.6: did the format instruction make the model more accurate? -------------------------

N_C1 = 40  # lesson 01's tickets: task.subset("test", 40, seed=0)


def c1_result(variant: PromptVariant) -> dict[str, Any]:
    """Lesson 01's run of ``variant`` on its 40 test tickets, from the results store."""
    lm, task = default_model(), _task()
    inputs = {"model": lm.name, "task": task.name, "variant": variant.key(), "split": "test",
              "n": N_C1, "seed": 0}  # fmt: skip
    if ResultsStore(verbose=False).get("c1-prompt-variants", inputs) is None:
        print(f"Generating the answers of {variant.name!r} on lesson 01's {N_C1} tickets "
              "first (once; stored for later): about a minute.")  # fmt: skip
    tickets = task.subset("test", N_C1, seed=0)
    return cached("c1-prompt-variants", inputs,
                  lambda: run_variant(lm, variant, tickets, task.labels))  # fmt: skip


def c1_pair() -> tuple[dict[str, Any], dict[str, Any]]:
    """The bare question and "one word from a list", on the same 40 tickets."""
    return c1_result(C1_VARIANTS[0]), c1_result(C1_VARIANTS[1])


def _right(result: Mapping[str, Any]) -> list[int]:
    return [int(p == g) for p, g in zip(result["predicted"], result["gold"], strict=True)]


def _interval(evidence: Any) -> tuple[float, float]:
    if len(evidence) != 2 or not all(isinstance(x, int | float) for x in evidence):
        raise NotYet("the evidence is the interval as two numbers: (low, high).")
    return float(evidence[0]), float(evidence[1])


def _near(given: tuple[float, float], truth: tuple[float, float]) -> bool:
    """Two intervals equal at the 2 decimals a learner may copy."""
    return all(math.isclose(a, b, abs_tol=0.006) for a, b in zip(given, truth, strict=True))


def _settle(cmp: Paired) -> str:
    needed = items_to_settle(cmp)
    if needed is None:
        return "no number of tickets would settle a difference of zero"
    return f"about {needed:,} tickets would settle a difference this size"


@exercise(
    "01.6",
    kind="read",
    title="Did the format instruction make the model more accurate?",
    task=(
        'set `reading` to ("supported", "contradicted" or "inconclusive", (low, high)): '
        "the claim that 'one word from a list' is more accurate than the bare question, and "
        "the 95% interval of the paired accuracy difference (list minus bare)."
    ),
    hints=[
        "The check pairs the two wordings ticket by ticket (right = the label the answer names "
        "equals the gold label), computes the interval of 'one word from a list' minus 'bare "
        "question' with `paired`, and reads it against zero: above it supports the claim, "
        "below it contradicts it, across it leaves it open.",
        "right_bare = [int(p == g) for p, g in zip(bare['predicted'], bare['gold'])], the same "
        "for `listed`; cmp = paired(right_bare, right_listed); the evidence is "
        "(cmp.low, cmp.high).",
    ],
    solution=(
        "cmp = paired(right(bare), right(listed))\n"
        'reading = ("inconclusive", (cmp.low, cmp.high))  # the word depends on the interval'
    ),
)
def _format_accuracy(reading: tuple) -> tuple[bool, str]:
    word, evidence = parse(reading, CLAIM_WORDS, (tuple, list), "the interval (low, high)")
    low, high = _interval(evidence)
    bare, listed = c1_pair()
    cmp = paired(_right(bare), _right(listed))
    truth = status_of(cmp.low, cmp.high)
    if _near((low, high), (-cmp.high, -cmp.low)):
        return False, "that is the bare question minus the instruction: subtract the other way."
    if not _near((low, high), (cmp.low, cmp.high)):
        return False, (
            f"[{low:+.3f}, {high:+.3f}] is not the paired interval of the accuracy difference. "
            "Score each ticket right or wrong for both wordings, then pair them with `paired`."
        )
    counts = f"{cmp.b_only} tickets only the instruction got right, {cmp.a_only} only the bare"
    if word != truth:
        return False, (
            f"the interval is right, [{cmp.low:+.3f}, {cmp.high:+.3f}], but {word!r} is not what "
            f"it says about the claim: read where it lies against zero ({counts})."
        )
    validity = (
        f"format validity went from {bare['format_validity']:.0%} to "
        f"{listed['format_validity']:.0%}"
    )
    return True, (
        f"{truth}: the difference is {cmp.difference:+.3f} [{cmp.low:+.3f}, {cmp.high:+.3f}] "
        f"on {cmp.n} tickets ({counts}); {_settle(cmp)}. Meanwhile {validity}: whether a "
        "wording fixes the shape of an answer and whether it makes it right are two questions."
    )
