"""The check framework: one registry of exercises, and check / hint / solution / progress.

A check never raises into the notebook. ``check(exercise_id, answer)`` prints exactly
one line, starting with one of:

- ``✅ Solved:`` the answer does what the exercise asks;
- ``❌ Not yet:`` followed by what the check found, written as a hint;
- ``⏳ Not attempted yet:`` the answer is still the placeholder (``...`` or None).

An exercise is registered by decorating its checker (see ``checks/ex00.py``)::

    @exercise(
        "00.1",
        title="Count the tokens of a sentence",
        task="set `n_tokens` to the number of tokens in `sentence`.",
        hints=["what the check compares", "a stronger nudge"],
        solution="n_tokens = count_tokens(lm, sentence)",
    )
    def _count_tokens(n_tokens):
        require(n_tokens, int)                 # wrong type: a "not yet" naming the type
        truth = count_tokens(default_model(), SENTENCE)
        if n_tokens == truth:
            return True, f"the sentence is {truth} tokens long."
        return False, "that is not the tokenizer's count; ..."

The checker receives the learner's answer (never the placeholder) and returns
``(ok, message)``. It may also ``raise NotYet(message)``; any other exception it
raises is reported as "not yet" with the error's message. Numeric answers compare
within a tolerance (``math.isclose``). Prompt answers run on ``default_model()``, the
course model loaded once per process.
"""

from __future__ import annotations

import contextlib
import functools
import html
import io
import json
import numbers
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from prompt_vs_finetune.model.loading import LoadedModel, load_model
from prompt_vs_finetune.store.paths import cache_subdir
from prompt_vs_finetune.ui.tables import html_table

PROGRESS_ENV_VAR = "PROMPT_VS_FINETUNE_PROGRESS"
SOLVED, NOT_YET, NOT_ATTEMPTED = "✅ Solved", "❌ Not yet", "⏳ Not attempted yet"
STATES = ("solved", "attempted", "not attempted")

Checker = Callable[[Any], tuple[bool, str]]
T = TypeVar("T")


class NotYet(Exception):
    """Raised by a checker to report a wrong answer; the message is shown as the hint."""


@dataclass(frozen=True)
class Exercise:
    """One exercise: what to do, how to help, and how to check an answer."""

    id: str
    title: str
    task: str  # shown when the answer is still the placeholder
    hints: tuple[str, ...]  # progressively stronger
    solution: str
    checker: Checker
    kind: str = "design"  # one of KINDS


#: The kinds of exercise. Every set has the first three: predict a number and then measure
#: it; design something that must clear a bar computed from a baseline; read evidence and
#: diagnose it. A set may add a "build": write a function the check calls on cases the
#: learner has not seen.
KINDS = ("predict", "design", "read", "build")
REQUIRED_KINDS = KINDS[:3]

EXERCISES: dict[str, Exercise] = {}
#: Exercise ids that no longer exist -> what replaced them (said by ``check``).
RETIRED: dict[str, str] = {}
_hints_shown: dict[str, int] = {}


def exercise(
    exercise_id: str,
    *,
    title: str,
    task: str,
    hints: list[str] | tuple[str, ...],
    solution: str,
    kind: str,
) -> Callable[[Checker], Checker]:
    """Register the decorated function as the checker of exercise ``exercise_id``."""

    def register(checker: Checker) -> Checker:
        if exercise_id in EXERCISES or exercise_id in RETIRED:
            raise ValueError(f"Exercise {exercise_id!r} is registered twice or was retired.")
        if not hints:
            raise ValueError(f"Exercise {exercise_id!r} needs at least one hint.")
        if kind not in KINDS:
            raise ValueError(f"Exercise {exercise_id!r}: kind must be one of {KINDS}.")
        EXERCISES[exercise_id] = Exercise(
            exercise_id, title, task, tuple(hints), solution.strip(), checker, kind
        )
        return checker

    return register


def retire(exercise_id: str, replaced_by: str) -> None:
    """Mark ``exercise_id`` as gone; ``check`` on it then says ``replaced_by``."""
    if exercise_id in EXERCISES:
        raise ValueError(f"Exercise {exercise_id!r} still exists; retire only removed ids.")
    RETIRED[exercise_id] = replaced_by


@functools.cache
def default_model() -> LoadedModel:
    """The course model, loaded on first use and shared by every check in this process."""
    return load_model(verbose=False)


def quietly(read: Callable[[], T]) -> T:
    """``read()`` without what it prints (the results store's "hit" lines), so a check that
    reads stored measurements still prints its one outcome line."""
    with contextlib.redirect_stdout(io.StringIO()):
        return read()


def answered(value: Any) -> bool:
    """False while ``value`` is still a stub's placeholder (``...`` or None).

    A notebook cell that uses a learner's answer outside ``check`` guards with it:
    ``if answered(prompt): print(generate(lm, prompt).text)``.
    """
    return value is not Ellipsis and value is not None


_TYPE_WORDS = {
    bool: "True or False",
    int: "a whole number (an int), like 12",
    float: "a number, like 0.5",
    str: 'a string (text in quotes), like "hello"',
    list: "a list, like [1, 2]",
    tuple: "a tuple, like (1, 2)",
    dict: 'a dict, like {"a": 1}',
}


def _is_instance(value: Any, kind: type) -> bool:
    if kind is int:  # numpy integers count; True and False do not
        return isinstance(value, numbers.Integral) and not isinstance(value, bool)
    if kind is float:
        return isinstance(value, numbers.Real) and not isinstance(value, bool)
    return isinstance(value, kind)


def require(value: Any, kinds: type | tuple[type, ...], what: str | None = None) -> None:
    """Raise NotYet, saying which type is expected, unless ``value`` is one of ``kinds``.

    ``int`` accepts any whole number but not a bool; ``float`` accepts any real number.
    ``what`` describes the expected value in words (default: from the type names).
    """
    kinds = kinds if isinstance(kinds, tuple) else (kinds,)
    if any(_is_instance(value, kind) for kind in kinds):
        return
    if what is None:
        what = " or ".join(_TYPE_WORDS.get(kind, f"a {kind.__name__}") for kind in kinds)
    shown = repr(value)
    shown = shown if len(shown) <= 40 else shown[:37] + "..."
    raise NotYet(f"expected {what}, but got a value of type {type(value).__name__}: {shown}.")


def _lookup(exercise_id: Any) -> Exercise | None:
    found = EXERCISES.get(str(exercise_id).strip())
    if found is None and str(exercise_id).strip() in RETIRED:
        print(
            f"Exercise {exercise_id!r} no longer exists: {RETIRED[str(exercise_id).strip()]} "
            "Your notebook is yours to keep; the new exercise notebooks are in exercises/."
        )
        return None
    if found is None:
        valid = ", ".join(sorted(EXERCISES)) or "none registered"
        print(f"Unknown exercise {exercise_id!r}. Valid ids: {valid}.")
    return found


def _run_checker(ex: Exercise, answer: Any) -> tuple[bool, str]:
    try:
        ok, message = ex.checker(answer)
        return bool(ok), str(message)
    except NotYet as exc:
        return False, str(exc)
    except Exception as exc:  # a check must never raise into the notebook
        return False, f"the check could not use your answer ({type(exc).__name__}: {exc})"


def check(exercise_id: str, answer: Any) -> None:
    """Check ``answer`` for exercise ``exercise_id`` and print the outcome on one line."""
    ex = _lookup(exercise_id)
    if ex is None:
        return
    if not answered(answer):
        print(f"{NOT_ATTEMPTED}: {ex.task}")
        return
    ok, message = _run_checker(ex, answer)
    _record(ex.id, ok, measured=ex.kind == "predict")
    print(f"{SOLVED if ok else NOT_YET}: {message}")


def hint(exercise_id: str) -> None:
    """Print the next hint of an exercise; after the last one, repeat the last one."""
    ex = _lookup(exercise_id)
    if ex is None:
        return
    shown = _hints_shown.get(ex.id, 0)
    number = min(shown, len(ex.hints) - 1)
    _hints_shown[ex.id] = shown + 1
    print(f"💡 Hint {number + 1} of {len(ex.hints)} for {ex.id}: {ex.hints[number]}")


def solution(exercise_id: str) -> None:
    """Print one solution of an exercise (any answer that passes the check is right)."""
    ex = _lookup(exercise_id)
    if ex is not None:
        print(f"💬 A solution to {ex.id} ({ex.title}):\n{ex.solution}")


# --- progress: a small JSON file, {exercise id: {"state", "attempts", "updated"}} ---


def progress_file() -> Path:
    """Where progress is kept: ``$PROMPT_VS_FINETUNE_PROGRESS``, else the course cache."""
    override = os.environ.get(PROGRESS_ENV_VAR)
    if override:
        return Path(override).expanduser()
    return cache_subdir("progress") / "progress.json"


def load_progress() -> dict[str, dict[str, Any]]:
    """The recorded progress; empty if there is none yet or the file is unreadable."""
    try:
        data = json.loads(progress_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {k: v for k, v in data.items() if isinstance(v, dict)} if isinstance(data, dict) else {}


def now() -> str:
    """The current UTC time as the progress file writes it."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _record(exercise_id: str, ok: bool, *, measured: bool = False) -> None:
    """Count an attempt; once solved, an exercise stays solved. ``measured``: note when a
    predict exercise was first checked against its prediction (later revisions show)."""
    data = load_progress()
    entry = data.get(exercise_id, {})
    solved = ok or entry.get("state") == "solved"
    if measured and "prediction" in entry:
        entry = {"measured_at": now(), **entry}
    data[exercise_id] = {
        **entry,
        "state": "solved" if solved else "attempted",
        "attempts": int(entry.get("attempts", 0)) + 1,
        "updated": now(),
    }
    save_progress(data)


def save_progress(data: dict[str, dict[str, Any]]) -> None:
    """Write the progress file whole (a failure to write is ignored: progress is a nicety)."""
    path = progress_file()
    try:  # write then rename, so a reader never sees half a file
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            "w", dir=path.parent, suffix=".tmp", delete=False, encoding="utf-8"
        ) as f:
            json.dump(data, f, indent=1, sort_keys=True)
        os.replace(f.name, path)
    except OSError:
        pass  # progress is a convenience: a read-only disk must not break a check


@dataclass(frozen=True)
class ProgressTable:
    """Every registered exercise with its state; text in a terminal, HTML in Jupyter."""

    rows: tuple[tuple[str, str, str], ...]  # (id, title, state)

    def summary(self) -> str:
        solved = sum(state == "solved" for *_, state in self.rows)
        return f"Solved {solved} of {len(self.rows)} exercises."

    def __str__(self) -> str:
        width = max([len("exercise")] + [len(f"{i} {t}") for i, t, _ in self.rows])
        lines = [f"{'exercise':<{width}}  state", "-" * (width + 15)]
        lines += [f"{f'{i} {t}':<{width}}  {s}" for i, t, s in self.rows]
        return "\n".join([*lines, self.summary()])

    def _repr_html_(self) -> str:
        icons = {"solved": "✅", "attempted": "❌", "not attempted": "⏳"}
        rows = [(i, t, f"{icons[s]} {s}") for i, t, s in self.rows]
        table = html_table(("exercise", "title", "state"), rows)
        return f"{table}<p>{html.escape(self.summary())}</p>"


def progress_table() -> ProgressTable:
    """The state of every registered exercise, in id order."""
    recorded = load_progress()
    rows = []
    for exercise_id in sorted(EXERCISES):
        state = recorded.get(exercise_id, {}).get("state")
        state = state if state in STATES else "not attempted"
        rows.append((exercise_id, EXERCISES[exercise_id].title, state))
    return ProgressTable(tuple(rows))


def progress() -> None:
    """Show which exercises are solved, attempted, or not attempted yet."""
    table = progress_table()
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:
        get_ipython = None
    if get_ipython is not None and get_ipython() is not None:
        display(table)
    else:
        print(table)
