"""Checks of exercise set 11 (solutions/11_making_the_decision_exercises.ipynb).

11.1 and 11.2 run ``decision.advice`` on the learner's answers; a wrong answer's hint
names the criterion that drove the tool's choice, taken from its own reasons.
"""

from __future__ import annotations

import math
from typing import Any

from prompt_vs_finetune.checks.core import NotYet, default_model, exercise, require
from prompt_vs_finetune.decision.advice import CHOICES, DecisionInputs, Recommendation, recommend
from prompt_vs_finetune.decision.case_studies import CASE_STUDIES

#: 11.1: the story, as the exercise notebook tells it.
SCENARIO = (
    "Pebblewire now answers 3,000,000 support tickets a month and routes each one to an "
    "internal queue whose codes no public model knows. The routing rules have not changed in "
    "two years. Every ticket arrives with the customer's plan and product, which differ from "
    "one ticket to the next. Two ML engineers have joined, 12,000 tickets are already labelled, "
    "the budget for the project is medium, and months of prompt versions have stopped "
    "improving. Nothing in the story asks for a special format, strict consistency or low "
    "latency, and the tickets are not a mix of easy and hard ones."
)
#: 11.1: the facts of the story, one per DecisionInputs field.
SCENARIO_FACTS: dict[str, Any] = {
    "monthly_requests": 3_000_000,
    "requirement_changes": "rarely",
    "needs_domain_knowledge": True,
    "needs_strict_consistency": False,
    "latency_sensitive": False,
    "format_only": False,
    "ml_skills": True,
    "labelled_examples": 12_000,
    "upfront_budget": "medium",
    "prompting_exhausted": True,
    "per_request_context": True,
    "mixed_difficulty": False,
}
SCENARIO_EXPECTED = "hybrid"


def decisive(rec: Recommendation) -> str:
    """The criteria that decided a recommendation, as text (e.g. "ml_skills, upfront_budget")."""
    names = [r.criterion for r in rec.reasons if r.decisive]
    return ", ".join(dict.fromkeys(names)) or "none marked"


def _same(value: Any, fact: Any) -> bool:
    if isinstance(fact, bool) or isinstance(fact, str):
        return value == fact
    return isinstance(value, int | float) and math.isclose(value, fact, rel_tol=0.01)


# --- 11.1 -------------------------------------------------------------------------------------


@exercise(
    "11.1",
    kind="design",
    title="Answer the questions for Pebblewire's routing project",
    task="set `answers` to a DecisionInputs that describes the story (one field per question).",
    hints=[
        "The check compares each field of your DecisionInputs with the story: the monthly "
        "volume (within 1%), how often requirements change, each yes/no need, the skills, "
        "the number of labelled tickets, the budget and whether prompting is exhausted. "
        f"With every field right, recommend() gives {SCENARIO_EXPECTED!r}. Leave "
        "break_even_volume out.",
        "Read the story sentence by sentence and set one field per sentence: 'codes no public "
        "model knows' is needs_domain_knowledge, 'arrives with the customer's plan and "
        "product' is per_request_context, 'have not changed in two years' is "
        "requirement_changes='rarely'.",
    ],
    solution=(
        "answers = DecisionInputs(\n"
        "    monthly_requests=3_000_000, requirement_changes='rarely',\n"
        "    needs_domain_knowledge=True, per_request_context=True, ml_skills=True,\n"
        "    labelled_examples=12_000, upfront_budget='medium', prompting_exhausted=True,\n"
        ")\n\n"
        "# Hybrid: the queue codes are stable knowledge worth training in, while each\n"
        "# ticket's plan and product travel in the prompt."
    ),
)
def _scenario(answers: DecisionInputs) -> tuple[bool, str]:
    require(answers, DecisionInputs, "a DecisionInputs(monthly_requests=..., ...)")
    rec = recommend(answers)
    wrong = [f for f, fact in SCENARIO_FACTS.items() if not _same(getattr(answers, f), fact)]
    if answers.break_even_volume is not None:
        wrong.append("break_even_volume")
    if not wrong and rec.choice == SCENARIO_EXPECTED:
        return True, (
            f"recommend() says {rec.choice!r}, decided by {decisive(rec)}: train the stable "
            "knowledge, prompt with each ticket's details."
        )
    shown = ", ".join(wrong[:3]) + (" and more" if len(wrong) > 3 else "")
    return False, (
        f"recommend() says {rec.choice!r} (decided by {decisive(rec)}), and "
        f"{len(wrong)} field{'s' if len(wrong) != 1 else ''} do{'es' if len(wrong) == 1 else ''} "
        f"not match the story: {shown}. Re-read the sentence about each."
    )


# --- 11.2 -------------------------------------------------------------------------------------


def _unpack(case: Any) -> tuple[DecisionInputs, str]:
    if hasattr(case, "inputs") and hasattr(case, "expected"):
        inputs, expected = case.inputs, case.expected
    else:
        require(case, tuple, "a pair (DecisionInputs(...), expected choice)")
        if len(case) != 2:
            raise NotYet(f"give a pair (inputs, expected), not {len(case)} values.")
        inputs, expected = case
    require(inputs, DecisionInputs, "a DecisionInputs as the first item of the pair")
    require(expected, str, f"one of {CHOICES} as the second item of the pair")
    return inputs, expected


@exercise(
    "11.2",
    kind="design",
    title="Write a case study of your own",
    task=(
        "set `my_case` to a pair (DecisionInputs(...), expected) where expected is the choice "
        "you think is right: 'prompting', 'fine-tuning' or 'hybrid'."
    ),
    hints=[
        "The check runs recommend() on your inputs and compares its choice with your "
        "expected one. Your inputs must differ from every built-in case study. When the two "
        "disagree, it names the criteria that decided the tool's choice.",
        "Fine-tuning needs everything at once: ml_skills=True, at least 500 labelled "
        "examples, a medium or high budget, a volume of at least a million requests a month, "
        "and prompting_exhausted=True or a hard need (domain knowledge, consistency, latency). "
        "Take one of them away and the answer is prompting.",
    ],
    solution=(
        "my_case = (\n"
        "    DecisionInputs(monthly_requests=200, format_only=True),\n"
        '    "prompting",\n'
        ")\n\n"
        "# Any story works, as long as you can say why the tool's answer is right for it."
    ),
)
def _own_case(my_case: Any) -> tuple[bool, str]:
    inputs, expected = _unpack(my_case)
    if expected not in CHOICES:
        return False, f"expected must be one of {', '.join(CHOICES)}, not {expected!r}."
    for case in CASE_STUDIES:
        if case.inputs == inputs:
            return False, (
                f"these are exactly the inputs of the case study {case.name!r}. Describe a "
                "situation of your own."
            )
    rec = recommend(inputs)
    if rec.choice == expected:
        return True, f"recommend() agrees: {rec.choice!r}, decided by {decisive(rec)}."
    return False, (
        f"recommend() says {rec.choice!r}, not {expected!r}; what decided it: {decisive(rec)}. "
        "Either change the inputs that drive it, or argue with yourself about which answer "
        "is right."
    )


# --- 11.3 -------------------------------------------------------------------------------------

ROUTING_TARGET = 0.60  # 11.3: accuracy Pebblewire needs from queue routing
ROUTING_N = 40  # 11.3: dev tickets the attempt is scored on
FAIR_K = 8  # 11.3: examples that count as a fair try without the rules


def _fair_try(prompt: Any) -> bool:
    """A fair try at routing by prompt: the routing rules in the prompt, or many examples."""
    from prompt_vs_finetune.data import QUEUE_RULES

    rules = QUEUE_RULES.strip().splitlines()[1]  # the first rule's text
    text = f"{prompt.instruction}\n{prompt.context or ''}"
    return rules.strip() in text or prompt.k >= FAIR_K


@exercise(
    "11.3",
    kind="design",
    title="Is prompting exhausted for queue routing?",
    task=(
        "set `attempt` to a dict with 'prompt' (your best FewShotPrompt for the queue task) and "
        f"'exhausted' (True if it stays below {ROUTING_TARGET:.0%} accuracy, else False)."
    ),
    hints=[
        f"The check scores your prompt on {ROUTING_N} dev tickets of load_tickets('queue') and "
        f"compares with the target of {ROUTING_TARGET:.2f}. 'exhausted' must say what the "
        "measurement says: True below the target, False at or above it. True also needs a fair "
        f"try: the routing rules (QUEUE_RULES) in the prompt, or at least {FAIR_K} examples.",
        "Give the prompt everything you can: "
        "`build_prompt(task, k=8, context=QUEUE_RULES)`, then read the accuracy the check "
        "prints and set 'exhausted' to match it.",
    ],
    solution=(
        'attempt = {"prompt": build_prompt(task, k=8, context=QUEUE_RULES), "exhausted": True}\n\n'
        "# If even the rules plus examples leave the small model below the target, that is the\n"
        "# evidence the decision needs before a fine-tune (lesson 06 trains one on this task)."
    ),
)
def _exhausted(attempt: dict) -> tuple[bool, str]:
    from prompt_vs_finetune.data import load_tickets
    from prompt_vs_finetune.measure.evaluate import evaluate
    from prompt_vs_finetune.prompting.fewshot import FewShotPrompt

    require(attempt, dict, "a dict: {'prompt': ..., 'exhausted': True or False}")
    if "prompt" not in attempt or "exhausted" not in attempt:
        raise NotYet("the dict needs two keys: 'prompt' and 'exhausted'.")
    prompt, exhausted = attempt["prompt"], attempt["exhausted"]
    require(prompt, FewShotPrompt, "a FewShotPrompt under 'prompt', e.g. build_prompt(task, k=8)")
    require(exhausted, bool)
    task = load_tickets("queue")
    if set(prompt.labels) != set(task.labels):
        return (
            False,
            "the prompt's labels are not the queue codes: build it from load_tickets('queue').",
        )
    acc = evaluate(default_model(), task, prompt, split="dev", n=ROUTING_N).accuracy
    chance = 1 / len(task.labels)
    reached = acc >= ROUTING_TARGET
    if reached and not exhausted:
        return True, f"{acc:.2f} reaches the target {ROUTING_TARGET:.2f}: no need to fine-tune yet."
    if reached:
        return False, (
            f"your prompt scores {acc:.2f}, at or above the target {ROUTING_TARGET:.2f}: prompting "
            "is not exhausted, it works. Set 'exhausted' to False."
        )
    if not exhausted:
        return False, (
            f"your prompt scores {acc:.2f}, below the target {ROUTING_TARGET:.2f}. Improve it, or "
            "if you have given it everything, say so: 'exhausted': True."
        )
    if not _fair_try(prompt):
        return False, (
            f"{acc:.2f} is below the target, but this is not yet a fair try: put the routing rules "
            f"(QUEUE_RULES) in the prompt's context, or show at least {FAIR_K} examples, first."
        )
    return True, (
        f"even a fair try scores {acc:.2f} (chance is {chance:.2f}), below the target "
        f"{ROUTING_TARGET:.2f}: prompting is exhausted here, so the decision moves on to volume, "
        "skills and budget."
    )
