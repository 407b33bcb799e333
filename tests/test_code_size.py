"""Size limits for the library: no module over 400 lines, no function over 60 lines."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
SRC = Path(__file__).resolve().parents[1] / "src" / "prompt_vs_finetune"


def _modules() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


def _name(path: Path) -> str:
    return str(path.relative_to(SRC.parent)) if path.is_relative_to(SRC) else str(path)


def long_functions(path: Path, limit: int = MAX_FUNCTION_LINES) -> list[str]:
    """``file:line name (n lines)`` for each function or method in ``path`` over ``limit``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = node.end_lineno - node.lineno + 1
            if length > limit:
                found.append(f"{_name(path)}:{node.lineno} {node.name} ({length} lines)")
    return found


def test_no_module_is_too_long():
    too_long = []
    for path in _modules():
        n = len(path.read_text(encoding="utf-8").splitlines())
        if n > MAX_MODULE_LINES:
            too_long.append(f"{_name(path)} ({n} lines)")
    if too_long:
        pytest.fail(f"modules over {MAX_MODULE_LINES} lines:\n" + "\n".join(too_long))


def test_no_function_is_too_long():
    too_long = [entry for path in _modules() for entry in long_functions(path)]
    if too_long:
        pytest.fail(f"functions over {MAX_FUNCTION_LINES} lines:\n" + "\n".join(too_long))


def test_long_functions_are_found(tmp_path):
    sample = tmp_path / "sample.py"
    body = "\n".join(f"    x{i} = {i}" for i in range(60))
    sample.write_text(f"def short():\n    return 1\n\n\ndef long():\n{body}\n")
    assert long_functions(sample, limit=60) == [f"{sample}:5 long (61 lines)"]
