"""The course's tasks as a team would describe them before measuring anything.

Claim C19 asks whether the decision tool predicts what measurement later shows. For that
test to be fair, the tool's answers must come from what is known *before* measuring:
each task's declared properties (``TASKS``: how many labels, how many labelled examples,
whether only the output's shape matters, whether it needs knowledge no base model has,
whether each request brings its own context) and the team's (``TEAM``). ``questionnaire``
turns a task, a monthly volume and a change rate into the tool's ``DecisionInputs``.

This module never reads the results store (a test checks it): no accuracy, token count
or break-even volume measured by the course can leak into the answers. That is why
``prompting_exhausted`` is False (nobody has iterated on the prompt yet) and
``break_even_volume`` is left out (the tool uses its rule of thumb).
"""

from __future__ import annotations

from dataclasses import dataclass

from prompt_vs_finetune.decision.advice import DecisionInputs, recommend
from prompt_vs_finetune.ui.tables import Table

__all__ = [
    "CHANGE_RATES",
    "TASKS",
    "TEAM",
    "TaskProfile",
    "declared_table",
    "predict",
    "questionnaire",
    "task_profile",
]

#: How often a task's requirements change: the answers the questionnaire accepts.
CHANGE_RATES: tuple[str, ...] = ("rarely", "sometimes", "often")

#: The team of the course: it has now trained and diagnosed fine-tunes (lessons 03, 04, 06)
#: and, like most teams that start a project, has a medium budget to spend up front.
TEAM: dict[str, object] = {"ml_skills": True, "upfront_budget": "medium"}


@dataclass(frozen=True)
class TaskProfile:
    """A task as declared before measuring: its name, where its measurements are kept,
    the fine-tune the course trains for it (None: none) and the properties the
    questionnaire asks about. ``labels`` is None for a task whose output is free text."""

    name: str
    store_task: str
    run: str | None
    labels: int | None
    labelled_examples: int
    why: str
    format_only: bool = False
    needs_domain_knowledge: bool = False
    per_request_context: bool = False


_TICKETS = 660  # labelled Pebblewire tickets: 400 train, 100 dev, 160 test

TASKS: tuple[TaskProfile, ...] = (
    TaskProfile("ticket category", "tickets/category", "category", 6, _TICKETS,
                "six everyday support categories that any general model knows the words for"),
    TaskProfile("ticket priority", "tickets/priority", "priority", 4, _TICKETS,
                "four urgency levels, judged from the ticket's own words"),
    TaskProfile("queue codes", "tickets/queue", "queue", 8, _TICKETS,
                "Pebblewire's internal queue codes, which no public model has seen; the "
                "customer's plan and device come from the account with each request",
                needs_domain_knowledge=True, per_request_context=True),
    TaskProfile("JSON extraction", "tickets/extraction", None, None, _TICKETS,
                "copy six fields of a ticket into a fixed JSON shape: the need is the "
                "output's format", format_only=True),
    TaskProfile("tweet sentiment", "tweets/sentiment", None, 3, 600,
                "three sentiment labels of public tweets, general language"),
)  # fmt: skip


def task_profile(name: str) -> TaskProfile:
    """The declared task called ``name`` ("queue codes"); KeyError naming the tasks if unknown."""
    for task in TASKS:
        if task.name == name:
            return task
    raise KeyError(f"No task {name!r}; the tasks are: {', '.join(t.name for t in TASKS)}.")


def questionnaire(
    task: TaskProfile, monthly_requests: float, requirement_changes: str
) -> DecisionInputs:
    """The tool's answers for ``task`` at a volume and change rate, from declared facts only."""
    if not isinstance(task, TaskProfile):
        raise TypeError(f"task must be a TaskProfile from TASKS, not {type(task).__name__}.")
    return DecisionInputs(
        monthly_requests=monthly_requests,
        requirement_changes=requirement_changes,
        needs_domain_knowledge=task.needs_domain_knowledge,
        format_only=task.format_only,
        labelled_examples=task.labelled_examples,
        per_request_context=task.per_request_context,
        prompting_exhausted=False,
        **TEAM,
    )


def predict(task: TaskProfile, monthly_requests: float, requirement_changes: str) -> str:
    """The tool's choice ("prompting", "fine-tuning" or "hybrid") for this case."""
    return recommend(questionnaire(task, monthly_requests, requirement_changes)).choice


def declared_table() -> Table:
    """The declared tasks as a table: what the questionnaire is answered from."""
    return Table([
        {"task": t.name, "labels": t.labels, "labelled examples": t.labelled_examples,
         "format only": t.format_only, "domain knowledge": t.needs_domain_knowledge,
         "per-request context": t.per_request_context, "why": t.why}
        for t in TASKS
    ])  # fmt: skip
