"""The learner's workspace: a copy of the exercise notebooks that no command overwrites.

``make workspace`` copies every ``exercises/*.ipynb`` into ``workspace/`` (ignored by
git). A notebook already there is never touched, so rerunning it after new exercise
sets arrive only adds the new ones. To start an exercise set afresh, delete or rename
your copy first.
"""

from __future__ import annotations

from pathlib import Path

from prompt_vs_finetune.cli.exercise_builder import EXERCISES, course_root

WORKSPACE = "workspace"


def copy_exercises(source: Path, target: Path) -> tuple[list[Path], list[Path]]:
    """Copy each notebook of ``source`` into ``target`` unless one of that name is there.

    Returns (copied, skipped) as paths in ``target``.
    """
    target.mkdir(parents=True, exist_ok=True)
    copied, skipped = [], []
    for notebook in sorted(source.glob("*.ipynb")):
        destination = target / notebook.name
        try:
            with destination.open("xb") as f:  # "x": fails rather than overwrite
                f.write(notebook.read_bytes())
        except FileExistsError:
            skipped.append(destination)
        else:
            copied.append(destination)
    return copied, skipped


def main(root: Path | None = None) -> int:
    """Copy the exercise notebooks into ./workspace/, print what was done; an exit code."""
    root = course_root(root)
    source, target = root / EXERCISES, root / WORKSPACE
    if not any(source.glob("*.ipynb")):
        print(f"No exercise notebooks in {source}: run `make exercises` first.")
        return 1
    copied, skipped = copy_exercises(source, target)
    for path in copied:
        print(f"copied   {WORKSPACE}/{path.name}")
    for path in skipped:
        print(f"skipped  {WORKSPACE}/{path.name} (already there; your copy is kept as it is)")
    print(
        f"{len(copied)} copied, {len(skipped)} kept. Open your copies with "
        f"`.venv/bin/jupyter lab {WORKSPACE}/`."
    )
    return 0
