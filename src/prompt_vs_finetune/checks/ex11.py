"""Checks of exercise set 11 (solutions/11_making_the_decision_exercises.ipynb).

- 11.4 (predict): how often the decision tool names the measured winner when the winners
  are priced on the laptop's bill instead of a team's. The tool's answers stay; the
  winners move.
- 11.5 (design): answers to the questionnaire for one case of a measured task, true to
  the task's declared facts, with which the tool names the measured winner where its
  answer from the declared facts alone did not (the baseline it must beat).
- 11.6 (read): a pilot's row (fine-tune minus prompt on the first test tickets): its
  status by the course's one verdict rule, and about how many tickets would settle it.

Measured pairs and winners come from the results store (``decision.evidence``), filled by
lessons 05-07 and 11; the checks never measure.
"""

from __future__ import annotations

import math
from typing import Any

from prompt_vs_finetune.checks.core import NotYet, exercise, quietly, require, retire
from prompt_vs_finetune.checks.predictions import compare, prediction_for
from prompt_vs_finetune.checks.readings import CLAIM_WORDS, parse
from prompt_vs_finetune.claims.verdict import INCONCLUSIVE, status_of
from prompt_vs_finetune.decision import evidence, tasks
from prompt_vs_finetune.decision.advice import DecisionInputs, Recommendation, recommend
from prompt_vs_finetune.economics.assumptions import PRESETS
from prompt_vs_finetune.economics.measured import measured_inputs
from prompt_vs_finetune.measure.intervals import Paired, items_to_settle, paired, rate
from prompt_vs_finetune.store.results import default_path

retire(
    "11.1",
    "Exercise 11.1 (Answer the questions for Pebblewire's routing project) was removed; 11.5 "
    "(Correct the tool with what you measured) covers its idea.",
)
retire(
    "11.2",
    "Exercise 11.2 (Write a case study of your own) was replaced by 11.5 (Correct the tool "
    "with what you measured).",
)
retire(
    "11.3",
    "Exercise 11.3 (Is prompting exhausted for queue routing?) was removed: its bar was a "
    "number fixed in code; 11.6 (Read a pilot's row) reads a measured comparison instead.",
)

AGREEMENT_PRESET = "this laptop"  # 11.4: the bill the winners are priced on
PILOT_TASK = "queue codes"  # 11.6: the measured pair the pilot is cut from
PILOT_N = 20  # 11.6: the first test tickets of the pilot
#: 11.5: answers fixed by the task's declared facts and the team (tasks.questionnaire).
DECLARED = ("needs_domain_knowledge", "format_only", "labelled_examples", "per_request_context",
            "ml_skills", "upfront_budget", "needs_strict_consistency", "latency_sensitive",
            "mixed_difficulty")  # fmt: skip


def _measured() -> dict[str, Any]:
    return quietly(measured_inputs)


#: The measured pairs, kept while the results store is unchanged (reading them takes seconds).
_PAIRS: dict[tuple[str, int], dict[str, evidence.MeasuredPair]] = {}


def _pairs() -> dict[str, evidence.MeasuredPair]:
    """The measured pairs by task; NotYet when the store holds none yet."""
    path = default_path()
    stamp = (str(path), path.stat().st_mtime_ns if path.exists() else 0)
    if stamp not in _PAIRS:
        _PAIRS.clear()
        _PAIRS[stamp] = evidence.measured_pairs()[0]
    if not _PAIRS[stamp]:
        raise NotYet(
            "no task has a prompt and a fine-tune scored on the whole test split yet: run "
            "lesson 11 (it runs the lessons that measure them), then this check again."
        )
    return _PAIRS[stamp]


def side(choice: str) -> str:
    """A choice as the side it takes: a hybrid trains a model, so it counts as fine-tuning."""
    return "prompting" if choice == "prompting" else "fine-tuning"


# --- 11.4 -------------------------------------------------------------------------------------


def agreement(preset: str = AGREEMENT_PRESET) -> tuple[int, int, int]:
    """(cases where the tool names the winner, cases, cases fine-tuning wins) under ``preset``."""
    rows = evidence.case_rows(_pairs(), _measured(), PRESETS[preset])
    agree = sum(bool(r["agrees"]) for r in rows)
    return agree, len(rows), sum(r["winner"] == "fine-tuning" for r in rows)


@exercise(
    "11.4",
    kind="predict",
    title="Whose bill? The tool's agreement on the laptop's account",
    task=(
        "set `agreement` to the share of cases in which the tool names the measured winner "
        f"when the winners are priced under PRESETS[{AGREEMENT_PRESET!r}]."
    ),
    hints=[
        "The check builds `evidence.case_rows(pairs, measured, PRESETS['this laptop'])` "
        "(the same cases as lesson 11, winners priced on the laptop's bill) and takes the "
        "share of rows whose `agrees` is True. It wants that share, a number between 0 and 1.",
        "Pass the preset as the third argument of `case_rows`; without it the winners are "
        "priced on the team's bill, as in the lesson. Then `sum(r['agrees'] for r in cases) "
        "/ len(cases)`.",
    ],
    solution=(
        "cases = evidence.case_rows(pairs, measured, PRESETS['this laptop'])\n"
        "agreement = sum(r['agrees'] for r in cases) / len(cases)\n\n"
        "# The tool answers from declared facts only, so its answers did not move; the\n"
        "# winners did, because a fine-tune costs cents of compute on this laptop."
    ),
)
def _whose_bill(share: float) -> tuple[bool, str]:
    require(share, float, "a share between 0 and 1, like 0.5")
    first = prediction_for("11.4")
    agree, n, tuned_wins = agreement()
    truth = agree / n
    _, _, team_wins = agreement("a team on rented GPUs")
    if not math.isclose(share, truth, abs_tol=0.5 / n):
        team_agree = agreement("a team on rented GPUs")[0]
        slips = (
            (team_agree / n, "that is the agreement on the team's bill, as in the lesson; "
                             "price the winners on the laptop's."),
            (tuned_wins / n, "that is how often fine-tuning wins, not how often the tool "
                             "names the winner."),
        )  # fmt: skip
        why = next((text for value, text in slips if math.isclose(share, value, abs_tol=0.5 / n)),
                   None)  # fmt: skip
        return False, why or f"that is not the share of the {n} cases whose `agrees` is True."
    interval = rate(agree, n)
    return True, (
        f"{compare(first, truth, (interval.low, interval.high))} The tool's answers did not "
        "change: they come from the declared facts alone. The winners did: a fine-tune that "
        f"costs cents wins {tuned_wins} of the {n} cases on the laptop's bill, against "
        f"{team_wins} on the team's. A rule of thumb carries the bill it was written for."
    )


# --- 11.5 -------------------------------------------------------------------------------------


def baseline(task_name: str, requirement_changes: str) -> float | None:
    """The measured break-even of a case (None: fine-tuning never wins): it names the
    winner the tool must match, where its answer from declared facts alone did not."""
    return evidence.break_even(_pairs()[task_name], requirement_changes, _measured())


def _case_answer(case: Any) -> tuple[tasks.TaskProfile, DecisionInputs]:
    require(case, tuple, "a pair: (task name, DecisionInputs(...))")
    if len(case) != 2:
        raise NotYet(f"give a pair (task name, DecisionInputs), not {len(case)} values.")
    name, inputs = case
    measured = _pairs()
    if name not in measured:
        raise NotYet(f"{name!r} is not a measured task; choose one of: {', '.join(measured)}.")
    require(inputs, DecisionInputs, "a DecisionInputs(...) as the second item")
    if inputs.monthly_requests <= 0:
        raise NotYet("a case needs a monthly volume above zero.")
    return tasks.task_profile(name), inputs


def _untrue(profile: tasks.TaskProfile, inputs: DecisionInputs, be: float | None) -> str:
    """What in the answers contradicts the task, the team or the measurement ("" if none)."""
    declared = tasks.questionnaire(profile, inputs.monthly_requests, inputs.requirement_changes)
    wrong = [f for f in DECLARED if getattr(inputs, f) != getattr(declared, f)]
    if wrong:
        return (f"{', '.join(wrong)} must stay as the task and the team declare them "
                "(`tasks.questionnaire` gives them).")  # fmt: skip
    given = inputs.break_even_volume
    if given is not None and (be is None or not math.isclose(given, be, rel_tol=0.02)):
        measured = "never: leave it out" if be is None else f"{be:,.0f}"
        return f"break_even_volume must be the one measured for this case ({measured})."
    return ""


def _decided(rec: Recommendation) -> str:
    names = dict.fromkeys(r.criterion for r in rec.reasons if r.decisive)
    return ", ".join(names) or "no criterion marked"


@exercise(
    "11.5",
    kind="design",
    title="Correct the tool with what you measured",
    task=(
        "set `my_case` to (task name, DecisionInputs) for a case where the tool's answer from "
        "declared facts misses the measured winner, answered so that it names the winner."
    ),
    hints=[
        "The check takes your task's measured break-even at your change rate: fine-tuning "
        "wins at and above it. It asks `tasks.predict` (declared facts only) for that case, "
        "which must miss the winner (the baseline), then `recommend(your answers)`, which must "
        "name it (a hybrid counts as fine-tuning). Declared facts and the team stay as "
        "`tasks.questionnaire` gives them; a break_even_volume you pass must be the measured "
        "one.",
        "Start from `tasks.questionnaire(task, volume, changes)` and change only what a team "
        "learns by measuring: `prompting_exhausted` (lesson 08's plateau) and "
        "`break_even_volume` (from `evidence.break_even`). `dataclasses.replace` does it. "
        "Look in lesson 11's case table for a row whose `agrees` is False.",
    ],
    solution=(
        "missed = [r for r in team_cases if not r['agrees'] and r['break_even'] is not None]\n"
        "row = min(missed, key=lambda r: r['changes'] == 'often')  # often: prompting stays\n"
        "declared = tasks.questionnaire(tasks.task_profile(row['task']),\n"
        "                               row['requests_per_month'], row['changes'])\n"
        "answers = dataclasses.replace(declared, break_even_volume=row['break_even'],\n"
        "                              prompting_exhausted=row['winner'] == 'fine-tuning')\n"
        "my_case = (row['task'], answers)\n\n"
        "# The tool's rules are sound; what it lacked was what only measurement tells: that\n"
        "# prompting had plateaued, and where this task's costs break even."
    ),
)
def _correct_the_tool(case: Any) -> tuple[bool, str]:
    profile, inputs = _case_answer(case)
    volume, changes = inputs.monthly_requests, inputs.requirement_changes
    be = baseline(profile.name, changes)
    untrue = _untrue(profile, inputs, be)
    if untrue:
        return False, untrue
    winner = "fine-tuning" if be is not None and volume >= be else "prompting"
    where = "never" if be is None else f"from {be:,.0f} requests a month"
    before = tasks.predict(profile, volume, changes)
    if side(before) == winner:
        return False, (
            f"from the declared facts alone the tool already says {before!r} here, and "
            f"{winner} is the measured winner (fine-tuning wins {where}). Choose a case it misses."
        )
    rec = recommend(inputs)
    if side(rec.choice) != winner:
        return False, (
            f"recommend() says {rec.choice!r} (decided by {_decided(rec)}), but {winner} wins "
            f"this case (fine-tuning wins {where}). What would a team know after measuring?"
        )
    learned = [f for f in ("prompting_exhausted", "break_even_volume")
               if getattr(inputs, f) not in (False, None)]  # fmt: skip
    return True, (
        f"from declared facts the tool said {before!r}; with {', '.join(learned) or 'your answers'}"
        f" it says {rec.choice!r} (decided by {_decided(rec)}), and {winner} is the measured "
        f"winner (fine-tuning wins {where}). The rules did not change: the answers did, once "
        "they held what measuring taught."
    )


# --- 11.6 -------------------------------------------------------------------------------------


def pilot() -> Paired:
    """Fine-tune minus prompt on the first ``PILOT_N`` test tickets of ``PILOT_TASK``."""
    pair = _pairs().get(PILOT_TASK)
    if pair is None:
        raise NotYet(f"{PILOT_TASK!r} has no measured pair yet: run lesson 11 first.")
    return paired(pair.prompt.correct[:PILOT_N], pair.tuned.correct[:PILOT_N])


def tickets_needed(cmp: Paired) -> int:
    """The tickets a comparison needs: its own n when settled, else ``items_to_settle``
    (0 when there is no difference at all, which no number of tickets settles)."""
    if status_of(cmp.low, cmp.high) != INCONCLUSIVE:
        return cmp.n
    return items_to_settle(cmp) or 0


@exercise(
    "11.6",
    kind="read",
    title="Read a pilot's row",
    task=(
        "set `reading` to a pair: the pilot row's status for 'the fine-tune beats the prompt', "
        "and about how many tickets the comparison needs (its n if already settled)."
    ),
    hints=[
        "The check recomputes the pilot row (`paired` on the first tickets) and applies the "
        "one verdict rule, `status_of(low, high)`: supported when the 95% interval lies above "
        "zero, contradicted below, inconclusive when it includes zero. The number must be "
        "`items_to_settle(row)` (within 10%) when inconclusive, the row's n when settled.",
        "Look at the interval's low end first. For the number, items_to_settle uses the "
        "difference and the share of tickets on which the two disagree "
        "((only prompt + only fine-tune) / n), both in the row.",
    ],
    solution=(
        "status = status_of(row.low, row.high)\n"
        "needed = (items_to_settle(row) or 0) if status == 'inconclusive' else row.n\n"
        "reading = (status, needed)\n\n"
        "# A pilot is cheap; reading it right is what decides whether to spend on more labels."
    ),
)
def _pilot(reading: Any) -> tuple[bool, str]:
    word, needed = parse(reading, CLAIM_WORDS, int, "the number of tickets the comparison needs")
    cmp = pilot()
    truth, count = status_of(cmp.low, cmp.high), tickets_needed(cmp)
    row = f"{cmp.difference:+.3f} [{cmp.low:+.3f}, {cmp.high:+.3f}] on {cmp.n} tickets"
    if word != truth:
        return False, (
            f"the row reads {row}. Where does its interval lie against zero? That alone "
            "gives the status."
        )
    if truth == INCONCLUSIVE and needed == cmp.n:
        return False, f"{cmp.n} is the pilot's own size, and it did not settle the comparison."
    if not math.isclose(needed, count, rel_tol=0.10):
        return False, (
            "the status is right, but not the number: from the difference and the share of "
            "tickets on which the two disagree, how many tickets would let the interval clear "
            "zero (its n, if it already does)?"
        )
    if truth == INCONCLUSIVE:
        more = f"about {count} tickets would settle it, {count - cmp.n} more than the pilot"
    else:
        more = f"its {cmp.n} tickets already settle it"
    return True, (
        f"{row}: {truth}; {more}. A p-value or a lucky difference is not the verdict: the "
        "interval is, and its width says what the next labels are worth."
    )
