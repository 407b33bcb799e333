"""Over the notebooks' source: each claim is recorded by its owner lesson and no other."""

from __future__ import annotations

import ast
import json
from pathlib import Path

from prompt_vs_finetune.claims import REGISTRY

ROOT = Path(__file__).resolve().parents[1]


def code_of(path: Path) -> str:
    """The notebook's code cells as one Python source (IPython magics left out)."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    lines = [
        line
        for cell in cells
        if cell["cell_type"] == "code"
        for line in "".join(cell["source"]).splitlines()
        if not line.lstrip().startswith(("%", "!"))
    ]
    return "\n".join(lines)


def recorded_claims(path: Path) -> list[tuple[str, str | None]]:
    """(claim id, notebook= argument) of every ``record("C..", ...)`` call in a notebook."""
    found = []
    for node in ast.walk(ast.parse(code_of(path))):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", getattr(node.func, "attr", None))
        if name != "record" or not node.args or not isinstance(node.args[0], ast.Constant):
            continue
        notebook = next((k.value for k in node.keywords if k.arg == "notebook"), None)
        found.append((node.args[0].value, getattr(notebook, "value", None)))
    return found


def test_every_claim_is_recorded_by_exactly_its_owner():
    lessons = sorted((ROOT / "course").glob("[0-9][0-9]_*.ipynb"))
    by_claim: dict[str, list[str]] = {}
    for path in lessons:
        assert "record_claim" not in code_of(path), f"{path.name} uses the old record_claim"
        for claim, notebook in recorded_claims(path):
            assert notebook == path.name[:2], f"{path.name} records {claim} as {notebook!r}"
            by_claim.setdefault(claim, []).append(path.name[:2])
    assert set(by_claim) == set(REGISTRY), "claims no lesson records"
    for claim, recorders in by_claim.items():
        assert recorders == [REGISTRY[claim].owner], f"{claim} is recorded by {recorders}"


def test_exercises_and_solutions_record_no_claim():
    for folder in ("solutions", "exercises"):
        for path in sorted((ROOT / folder).glob("*.ipynb")):
            assert recorded_claims(path) == [], path.name
