"""Exercise notebooks are generated from the solution notebooks, and CI checks they agree.

``solutions/NN_name.ipynb`` is the single source; ``make exercises`` writes
``exercises/NN_name.ipynb`` from it, and ``make test`` fails when the two drift.
The ``exercises/`` folder is generated as a whole: never edit it by hand.

How an author marks a solution notebook (cell tags: View > Cell toolbar > Tags):

- A cell tagged ``solution`` is left out of the exercise notebook (a worked
  explanation, a takeaway that would give the answer away).
- A cell tagged ``exercise`` is kept, with every solution block replaced by its stub.
  A block runs from a ``# BEGIN SOLUTION`` line to a ``# END SOLUTION`` line; its
  ``# STUB:`` lines give the stub, and the rest is the solution::

      sentence = "Prompting changes the input; fine-tuning changes the weights."
      # BEGIN SOLUTION
      # STUB: n_tokens = ...  # your code here
      n_tokens = count_tokens(lm, sentence)
      # END SOLUTION
      check("00.1", n_tokens)

  becomes, in the exercise notebook::

      sentence = "Prompting changes the input; fine-tuning changes the weights."
      n_tokens = ...  # your code here
      check("00.1", n_tokens)

  A stub line is the text after ``# STUB: `` at the indentation of its comment (one
  space after the colon is dropped, any more is kept, for indented stub lines). A
  block with no ``# STUB:`` line becomes ``answer = ...``. The stub must leave the
  placeholder ``...`` (or None): the check then prints "not attempted yet", so the
  unsolved notebook runs top to bottom.
- Every other cell is copied unchanged. Solution markers outside an ``exercise``
  cell, an ``exercise`` cell without a block, or an unclosed block are errors.

Generated notebooks have no outputs or execution counts, keep only the notebook's
kernelspec and language name and each cell's tags, start with a note saying they
are generated, and are written as nbformat's stable JSON (indent 1, sorted keys).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable
from pathlib import Path

import nbformat
from nbformat import ValidationError
from nbstripout import MetadataError, strip_output

SOLUTIONS, EXERCISES = "solutions", "exercises"
NOTEBOOK_NAME = re.compile(r"\d\d_.+\.ipynb")
BEGIN, END, STUB = "# BEGIN SOLUTION", "# END SOLUTION", "# STUB:"
DEFAULT_STUB = "answer = ..."
SOLUTION_TAG, EXERCISE_TAG = "solution", "exercise"
NOTE_ID = "generated-note"


class ExerciseFormatError(ValueError):
    """A solution notebook breaks the authoring convention; the message says where."""


def course_root(start: Path | None = None) -> Path:
    """The course folder: ``start`` (default: the current folder) or the nearest parent
    holding ``pyproject.toml`` and ``solutions/``; ``start`` itself if there is none."""
    start = Path.cwd() if start is None else Path(start)
    for folder in (start, *start.parents):
        if (folder / "pyproject.toml").is_file() and (folder / SOLUTIONS).is_dir():
            return folder
    return start


def stub_source(source: str, where: str = "cell") -> str:
    """Replace each solution block of an exercise cell's source by its stub."""
    out: list[str] = []
    block: list[str] | None = None  # stub lines of the open block
    indent = ""
    for line in source.split("\n"):
        stripped = line.strip()
        if stripped == BEGIN:
            if block is not None:
                raise ExerciseFormatError(f"{where}: {BEGIN} inside another solution block.")
            block, indent = [], line[: len(line) - len(line.lstrip())]
        elif stripped == END:
            if block is None:
                raise ExerciseFormatError(f"{where}: {END} without {BEGIN}.")
            out.extend(block or [indent + DEFAULT_STUB])
            block = None
        elif stripped.startswith(STUB):
            if block is None:
                raise ExerciseFormatError(f"{where}: {STUB} line outside a solution block.")
            text = stripped[len(STUB) :]
            block.append(line[: len(line) - len(line.lstrip())] + text.removeprefix(" "))
        elif block is None:
            out.append(line)
    if block is not None:
        raise ExerciseFormatError(f"{where}: {BEGIN} without {END}.")
    return "\n".join(out)


def _has_marker(source: str, markers: tuple[str, ...] = (BEGIN, END, STUB)) -> bool:
    return any(line.strip().startswith(markers) for line in source.split("\n"))


def build_exercise(solution: nbformat.NotebookNode, source_name: str) -> nbformat.NotebookNode:
    """The exercise notebook for a solution notebook (``source_name`` names it in messages)."""
    note = (
        f"> **Generated notebook.** `make exercises` writes this file from "
        f"`{SOLUTIONS}/{source_name}` and overwrites it: authors edit that notebook instead. "
        f"Learners: run `make workspace` once and work in your own copy in `workspace/`, "
        f"which no command overwrites."
    )
    cells = [nbformat.v4.new_markdown_cell(note, id=NOTE_ID)]
    for index, cell in enumerate(solution.cells):
        tags = list(cell.get("metadata", {}).get("tags", []))
        where = f"{SOLUTIONS}/{source_name}, cell {index}"
        if SOLUTION_TAG in tags:
            continue
        source = cell.source
        if EXERCISE_TAG in tags:
            if not _has_marker(source, (BEGIN,)):
                raise ExerciseFormatError(f"{where}: tagged {EXERCISE_TAG!r} but has no {BEGIN}.")
            source = stub_source(source, where)
        elif _has_marker(source):
            raise ExerciseFormatError(
                f"{where}: has solution markers but is not tagged {EXERCISE_TAG!r}."
            )
        metadata = {"tags": tags} if tags else {}
        cell_id = cell.get("id") or f"cell-{index}"
        if cell.cell_type == "code":
            new = nbformat.v4.new_code_cell(source, id=cell_id, metadata=metadata)
        elif cell.cell_type == "markdown":
            new = nbformat.v4.new_markdown_cell(source, id=cell_id, metadata=metadata)
            if cell.get("attachments"):
                new.attachments = cell.attachments
        else:
            new = nbformat.v4.new_raw_cell(source, id=cell_id, metadata=metadata)
        cells.append(new)
    metadata = {}
    if "kernelspec" in solution.metadata:
        metadata["kernelspec"] = solution.metadata.kernelspec
    metadata["language_info"] = {
        "name": solution.metadata.get("language_info", {}).get("name", "python")
    }
    notebook = nbformat.v4.new_notebook(cells=cells, metadata=metadata)
    nbformat.validate(notebook)
    return notebook


def render(notebook: nbformat.NotebookNode) -> str:
    """Stable text of a notebook: nbformat's JSON (indent 1, sorted keys) and a final newline."""
    return nbformat.writes(notebook, version=4).rstrip("\n") + "\n"


def expected_exercises(root: Path) -> dict[Path, str]:
    """Path and text of every exercise notebook that ``root/solutions`` generates."""
    expected = {}
    for path in sorted((root / SOLUTIONS).glob("*.ipynb")):
        if NOTEBOOK_NAME.fullmatch(path.name):
            solution = nbformat.read(path, as_version=4)
            text = render(build_exercise(solution, path.name))
            expected[root / EXERCISES / path.name] = text
    return expected


def _existing_exercises(root: Path) -> set[Path]:
    return {p for p in (root / EXERCISES).glob("*.ipynb") if NOTEBOOK_NAME.fullmatch(p.name)}


def _same_notebook(text_a: str, text_b: str) -> bool:
    """Whether two notebook texts hold the same notebook, whatever their JSON layout."""
    try:
        return nbformat.reads(text_a, as_version=4) == nbformat.reads(text_b, as_version=4)
    except Exception:  # unreadable on disk: not the same
        return False


def main_build(root: Path | None = None) -> int:
    """Regenerate every exercises/NN_*.ipynb from solutions/NN_*.ipynb; return an exit code."""
    root = course_root(root)
    try:
        expected = expected_exercises(root)
    except ExerciseFormatError as exc:
        print(f"Cannot build the exercises: {exc}")
        return 1
    (root / EXERCISES).mkdir(exist_ok=True)
    for path, text in expected.items():
        old = path.read_text(encoding="utf-8") if path.exists() else None
        if old != text:
            path.write_text(text, encoding="utf-8", newline="\n")
            print(f"wrote {path.relative_to(root)}")
    for path in sorted(_existing_exercises(root) - set(expected)):
        path.unlink()
        print(f"removed {path.relative_to(root)} (no {SOLUTIONS}/{path.name})")
    print(f"{len(expected)} exercise notebook(s) up to date.")
    return 0


def main_check(root: Path | None = None) -> int:
    """Exit code 1, naming each stale, missing or extra exercise notebook; 0 if none."""
    root = course_root(root)
    try:
        expected = expected_exercises(root)
    except ExerciseFormatError as exc:
        print(f"Cannot build the exercises: {exc}")
        return 1
    problems = []
    for path, text in expected.items():
        name = path.relative_to(root)
        if not path.exists():
            problems.append(f"missing: {name}")
        elif not _same_notebook(path.read_text(encoding="utf-8"), text):
            problems.append(f"stale: {name} differs from what {SOLUTIONS}/{path.name} generates")
    for path in sorted(_existing_exercises(root) - set(expected)):
        problems.append(f"extra: {path.relative_to(root)} has no {SOLUTIONS}/{path.name}")
    if not problems:
        print(f"{len(expected)} exercise notebook(s) match their solutions.")
        return 0
    print("The exercise notebooks do not match the solution notebooks:")
    print("\n".join(f"  {problem}" for problem in problems))
    print(
        f"Edit {SOLUTIONS}/, never {EXERCISES}/, then run `make exercises` and commit the result."
    )
    return 1


def _notebooks(root: Path, paths: Iterable[str | Path]) -> list[Path]:
    found: list[Path] = []
    for entry in paths:
        path = root / entry
        if path.is_dir():
            found += sorted(p for p in path.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
        elif path.suffix == ".ipynb" and path.is_file():
            found.append(path)
    return found


#: What reading a file that is not a notebook raises.
UNREADABLE = (OSError, ValueError, TypeError, AttributeError, MetadataError, ValidationError)


def unstripped_cells(path: Path) -> tuple[int, int]:
    """(cells with outputs, cells with an execution count) that nbstripout would strip."""
    notebook = nbformat.read(path, as_version=4)
    stripped = strip_output(
        copy.deepcopy(notebook), keep_output=False, keep_count=False, keep_id=True
    )
    pairs = list(zip(notebook.cells, stripped.cells, strict=True))
    with_outputs = sum(a.get("outputs") != b.get("outputs") for a, b in pairs)
    with_counts = sum(a.get("execution_count") != b.get("execution_count") for a, b in pairs)
    return with_outputs, with_counts


def main_check_stripped(
    paths: Iterable[str | Path] = ("course", SOLUTIONS, EXERCISES), root: Path | None = None
) -> int:
    """Exit code 1, naming each notebook under ``paths`` that has outputs or execution counts."""
    root = course_root(root)
    notebooks = _notebooks(root, paths)
    problems = []
    for path in notebooks:
        name = path.relative_to(root) if path.is_relative_to(root) else path
        try:
            outputs, counts = unstripped_cells(path)
        except UNREADABLE as exc:
            problems.append(f"  {name}: not a readable notebook ({exc})")
            continue
        if outputs or counts:
            problems.append(
                f"  {name}: {outputs} cell(s) with outputs, {counts} with execution counts"
            )
    if not problems:
        print(f"{len(notebooks)} notebook(s) have no outputs.")
        return 0
    print("Committed notebooks must have no outputs or execution counts:")
    print("\n".join(problems))
    print(
        "Strip them with `.venv/bin/nbstripout <notebook>...` (or run "
        "`.venv/bin/nbstripout --install` once so git strips them at every commit)."
    )
    return 1
