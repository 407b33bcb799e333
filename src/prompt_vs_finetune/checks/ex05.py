"""Checks of exercise set 05 (solutions/05_where_prompting_fits_exercises.ipynb).

05.3 (predict): how often a prompt whose examples are grouped by category answers with the
last example's label. 05.4 (read): are the JSON values of lesson 05's best-formatted
technique better than answering null everywhere, by a paired comparison? 05.5 (design): the
cheapest prompt of lesson 05's dev study that noise cannot tell from the best one.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from prompt_vs_finetune.checks.bars import reaches
from prompt_vs_finetune.checks.core import NotYet, default_model, exercise, require, retire
from prompt_vs_finetune.checks.predictions import compare, prediction_for
from prompt_vs_finetune.checks.readings import CLAIM_WORDS, parse
from prompt_vs_finetune.claims.verdict import status_of
from prompt_vs_finetune.data import TICKET_FIELDS, load_tickets
from prompt_vs_finetune.measure.bias import copy_share
from prompt_vs_finetune.measure.evaluate import Evaluation, evaluate
from prompt_vs_finetune.measure.intervals import Paired, Rate, paired_scores, rate
from prompt_vs_finetune.prompting.best_prompt import DEV_N, dev_study
from prompt_vs_finetune.prompting.fewshot import FewShotPrompt, build_prompt
from prompt_vs_finetune.prompting.structured_output import measure_technique, measure_techniques
from prompt_vs_finetune.ui.tables import Table

retire(
    "05.1",
    "Exercise 05.1 (Get JSON by prompting alone) was replaced by 05.4 (Are the extracted "
    "values better than nulls?).",
)
retire(
    "05.2",
    "Exercise 05.2 (Choose k for the best accuracy per token) was replaced by 05.5 (Ship the "
    "cheapest prompt that noise cannot tell from the best).",
)

#: Lesson 05's JSON study: 24 test tickets of the intent task, answers of at most 96 tokens.
JSON_TICKETS, JSON_SEED, MAX_NEW_TOKENS = 24, 0, 96


# --- 05.3: how often a grouped prompt copies its last label --------------------------------


def grouped_prompt() -> FewShotPrompt:
    """The 8-shot prompt of exercise 05.3: examples grouped by category, seed 0."""
    return build_prompt(load_tickets("category"), k=8, order="grouped")


def grouped_result() -> Evaluation:
    """``grouped_prompt`` on lesson 05's 24 dev tickets (measured once, then stored)."""
    note = (
        f"Measuring the grouped 8-shot prompt on the {DEV_N} dev tickets first (once; stored "
        "for later). The bar below shows the time left."
    )
    task = load_tickets("category")
    return evaluate(default_model(), task, grouped_prompt(), split="dev", n=DEV_N, progress=note)


@exercise(
    "05.3",
    kind="predict",
    title="Predict how often a grouped prompt copies its last label",
    task=(
        "set `copied` to the share of the dev tickets for which the grouped 8-shot prompt "
        "answers with the label of its last example (a number between 0 and 1)."
    ),
    hints=[
        f"The check scores the grouped prompt on the {DEV_N} dev tickets and counts the "
        "answers equal to grouped.examples[-1].label, divided by the number of tickets. It "
        "is not the accuracy, and not how often that label is the right one.",
        "result = evaluate(lm, task, grouped, split='dev', n=DEV_N); last = "
        "grouped.examples[-1].label; copied = sum(p == last for p in result.predictions) / "
        "result.n (copy_share from measure.bias does the same, with an interval).",
    ],
    solution=(
        'result = evaluate(lm, task, grouped, split="dev", n=DEV_N)\n'
        "last = grouped.examples[-1].label\n"
        "copied = copy_share(result.predictions, [last] * result.n).value"
    ),
)
def _copied(copied: Any) -> tuple[bool, str]:
    require(copied, float, "a share between 0 and 1, like 0.3")
    first = prediction_for("05.3")
    require(first.value, float, "your prediction as a share (record it with predict)")
    result = grouped_result()
    last = grouped_prompt().examples[-1].label
    share = copy_share(result.predictions, [last] * result.n)
    right = copy_share(result.gold, [last] * result.n)
    if not math.isclose(copied, share.value, abs_tol=0.005):
        if math.isclose(copied, result.accuracy, abs_tol=0.005):
            return False, "that is the accuracy; count the answers equal to the last label."
        if math.isclose(copied, right.value, abs_tol=0.005):
            return False, (
                f"that is how often '{last}' is the right answer; count how often the model "
                "gives it."
            )
        return False, (
            f"{copied:.3f} is not the share of the {result.n} answers that are '{last}', the "
            "label of the prompt's last example."
        )
    sentence = compare(first, share.value, (share.low, share.high), digits=2)
    return True, (
        f"{sentence} '{last}' is the right answer for {right.value:.2f} of these tickets, so a "
        "model that ignored the order would give it about that often. What lies above it is "
        "recency: the last group sits right before the ticket. What pulls the other way is "
        "the label the model prefers whatever the ticket says, and with 24 tickets either "
        "side of that tug carries a wide interval."
    )


# --- 05.4: are the extracted values better than nulls? -------------------------------------


def json_tickets() -> tuple[Any, ...]:
    """The 24 test tickets of lesson 05's JSON study."""
    return load_tickets("intent").subset("test", JSON_TICKETS, seed=JSON_SEED)


def json_records() -> tuple[str, list[dict[str, Any]]]:
    """The technique with the most schema-valid answers in lesson 05's study, and its records
    (one per ticket, with ``n_correct`` fields right). Read from the results store that lesson
    05 filled; generated first, with a progress bar, where it has not run."""
    lm, tickets = default_model(), json_tickets()
    rows = measure_techniques(lm, tickets, max_new_tokens=MAX_NEW_TOKENS, progress=True)
    best = best_formatted(rows)
    stored = measure_technique(lm, tickets, best, max_new_tokens=MAX_NEW_TOKENS)
    return best, list(stored["records"])


def best_formatted(rows: Sequence[dict[str, Any]]) -> str:
    """The technique with the most schema-valid answers (then valid JSON, then values)."""
    top = max(rows, key=lambda r: (r["schema_valid"], r["json_valid"], r["field_accuracy"]))
    return str(top["technique"])


def against_nulls(records: Sequence[dict[str, Any]], tickets: Sequence[Any]) -> Paired:
    """Fields right per ticket: an all-null answer (a) against the technique's answer (b)."""
    by_id = {ex.id: ex for ex in tickets}
    n = len(TICKET_FIELDS)
    nulls = [sum(by_id[r["id"]].fields.get(f) is None for f in TICKET_FIELDS) / n for r in records]
    answers = [r["n_correct"] / n for r in records]
    return paired_scores(nulls, answers)


@exercise(
    "05.4",
    kind="read",
    title="Are the extracted values better than nulls?",
    task=(
        "set `reading` to a pair: whether the claim \"this technique's JSON gets more fields "
        'right than answering null everywhere" is supported, contradicted or inconclusive, and '
        "the paired difference in share of fields right it rests on."
    ),
    hints=[
        "The check pairs the tickets: for each one, the share of its six fields the technique "
        "got right against the share an all-null answer gets (the fields the ticket does not "
        "mention). It wants the mean difference (technique minus nulls) and the word its 95% "
        "interval gives: wholly above 0, wholly below 0, or straddling 0.",
        "nulls = [sum(ticket.fields.get(f) is None for f in TICKET_FIELDS) / 6 ...]; answers = "
        "[record['n_correct'] / 6 ...] in the same ticket order; cmp = paired_scores(nulls, "
        "answers); reading = (word, cmp.difference), the word from cmp.low and cmp.high.",
    ],
    solution=(
        "by_id = {ticket.id: ticket for ticket in tickets}\n"
        "nulls = [sum(by_id[r['id']].fields.get(f) is None for f in TICKET_FIELDS) / 6\n"
        "         for r in records]\n"
        "answers = [r['n_correct'] / 6 for r in records]\n"
        "cmp = paired_scores(nulls, answers)\n"
        'word = "supported" if cmp.low > 0 else "contradicted" if cmp.high < 0 else '
        '"inconclusive"\n'
        "reading = (word, cmp.difference)"
    ),
)
def _nulls(reading: Any) -> tuple[bool, str]:
    word, difference = parse(reading, CLAIM_WORDS, float, "the paired difference, like -0.2")
    best, records = json_records()
    cmp = against_nulls(records, json_tickets())
    truth = status_of(cmp.low, cmp.high, claimed="above")
    shown = f"{best}: {cmp.rate_b:.3f} of the fields right against {cmp.rate_a:.3f} for nulls"
    if not math.isclose(difference, cmp.difference, abs_tol=0.005):
        return False, (
            f"{difference:+.3f} is not the paired difference; per ticket, take the share of "
            "fields the technique got right minus the share an all-null answer gets, and "
            "average over the tickets."
        )
    if word != truth:
        return False, (
            f"the difference {cmp.difference:+.3f} is right, but its 95% interval "
            f"[{cmp.low:+.3f}, {cmp.high:+.3f}] does not say {word}: above 0 throughout is "
            "supported, below 0 throughout contradicted, straddling 0 inconclusive."
        )
    return True, (
        f"{truth}: {shown}, difference {cmp.difference:+.3f} [{cmp.low:+.3f}, "
        f"{cmp.high:+.3f}] over {cmp.n} tickets. Most fields are absent from most tickets, so "
        "null is a strong answer: a format prompting can reach is not yet values worth "
        "extracting, and only the comparison with the all-null answer shows which one you have."
    )


# --- 05.5: the cheapest prompt that noise cannot tell from the best ------------------------


def study() -> Table:
    """Lesson 05's dev study: every technique, k and draw on the same 24 dev tickets (stored by
    lesson 05; scored first, with a progress bar, where it has not run)."""
    return dev_study(default_model(), load_tickets("category"), progress=True)


def best_row(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The row of the study with the highest dev accuracy (the fewer tokens on a tie)."""
    return max(rows, key=lambda r: (r["accuracy"], -r["tokens_per_request"]))


def baseline() -> Rate:
    """The bar of 05.5: the best row's dev accuracy with its 95% interval."""
    top = best_row(study())
    return rate(round(top["accuracy"] * top["n"]), top["n"])


def _row_of(choice: Any, rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    if not isinstance(choice, tuple | list) or len(choice) != 3:
        raise NotYet(
            'expected a row of the study as (technique, k, draw), like ("plain", 2, 0); got '
            f"{type(choice).__name__}: {choice!r:.60}."
        )
    technique, k, draw = choice
    require(technique, str, 'the technique\'s name, like "plain"')
    require(k, int, "k as a whole number")
    require(draw, int, "the draw as a whole number")
    for row in rows:
        if (row["technique"], row["k"], row["draw"]) == (technique, k, draw):
            return row
    raise NotYet(f"the study has no row ({technique!r}, {k}, {draw}); pick one of its rows.")


@exercise(
    "05.5",
    kind="design",
    title="Ship the cheapest prompt that noise cannot tell from the best",
    task=(
        "set `choice` to the (technique, k, draw) of the study row with the fewest tokens per "
        "request whose dev accuracy reaches the low end of the best row's 95% interval."
    ),
    hints=[
        "The check takes the row with the highest dev accuracy, computes its 95% interval on "
        "the 24 tickets, and wants, among the rows at or above the interval's low end, the "
        "one with the fewest tokens per request.",
        "top = max(study, key=lambda r: r['accuracy']); bar = rate(round(top['accuracy'] * "
        "top['n']), top['n']).low; pick min((r for r in study if r['accuracy'] >= bar), "
        "key=lambda r: r['tokens_per_request']).",
    ],
    solution=(
        'top = max(study, key=lambda r: (r["accuracy"], -r["tokens_per_request"]))\n'
        'bar = rate(round(top["accuracy"] * top["n"]), top["n"]).low\n'
        'good_enough = [r for r in study if r["accuracy"] >= bar]\n'
        'cheapest = min(good_enough, key=lambda r: r["tokens_per_request"])\n'
        'choice = (cheapest["technique"], cheapest["k"], cheapest["draw"])'
    ),
)
def _cheapest(choice: Any) -> tuple[bool, str]:
    rows = list(study())
    row = _row_of(choice, rows)
    best = baseline()
    ok, sentence = reaches(row["accuracy"], best, what="its dev accuracy", against="the best")
    if not ok:
        return False, (
            f"{sentence}: below the low end, so the 24 tickets can tell it from the best. "
            "Choose among the rows that reach it."
        )
    cheapest = min(r["tokens_per_request"] for r in rows if r["accuracy"] >= best.low)
    if row["tokens_per_request"] > cheapest + 1e-9:
        return False, (
            f"{sentence}: it reaches the bar with {row['tokens_per_request']:.0f} tokens per "
            f"request, but another row that reaches it needs {cheapest:.0f}."
        )
    top = best_row(rows)
    return True, (
        f"{sentence}; {row['tokens_per_request']:.0f} tokens per request against "
        f"{top['tokens_per_request']:.0f} for the best row ({top['technique']}, k={top['k']}). "
        "On 24 tickets the best row's lead over it is within noise: paying for more tokens "
        "needs more evidence first, such as more dev tickets."
    )
