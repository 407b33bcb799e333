"""Atomic, self-checking cache folders (converted models, checkpoints).

A folder is published by building it in a temporary sibling and renaming it into
place, so a reader never sees a half-written folder. Each folder carries a
``manifest.json`` with every file's size and a fingerprint; a folder whose files
no longer match (truncated, edited, partly deleted) is treated as missing.
``exclusive`` makes two processes that want the same entry build it once.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from filelock import FileLock

MANIFEST = "manifest.json"
BUILD_LOG = ".builds.jsonl"
_SMALL = 4 * 2**20  # files up to this size are hashed whole
_CHUNK = 2**20


def fingerprint(path: Path) -> str:
    """sha256 of a small file, or of the start, middle and end of a large one (fast)."""
    size = path.stat().st_size
    digest = hashlib.sha256(str(size).encode())
    with path.open("rb") as f:
        if size <= _SMALL:
            digest.update(f.read())
        else:
            for offset in (0, size // 2, size - _CHUNK):
                f.seek(offset)
                digest.update(f.read(_CHUNK))
    return digest.hexdigest()


def write_manifest(folder: Path, info: dict[str, Any] | None = None) -> None:
    """Record every file of ``folder`` (recursively) in its manifest."""
    files = {
        str(p.relative_to(folder)): {"size": p.stat().st_size, "fingerprint": fingerprint(p)}
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != MANIFEST
    }
    payload = {"files": files, "info": info or {}}
    (folder / MANIFEST).write_text(json.dumps(payload, indent=1, sort_keys=True))


def read_manifest(folder: Path) -> dict[str, Any] | None:
    """Return the manifest of a valid folder, or None if it is missing or damaged."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
        for name, entry in manifest["files"].items():
            path = folder / name
            if path.stat().st_size != entry["size"] or fingerprint(path) != entry["fingerprint"]:
                return None
        return manifest
    except (OSError, ValueError, KeyError, TypeError):
        return None


def is_valid(folder: Path) -> bool:
    """True if ``folder`` holds a complete, unmodified published cache entry."""
    return read_manifest(folder) is not None


def _discard(folder: Path) -> None:
    """Move a damaged folder out of the way, then delete it."""
    trash = folder.with_name(f".{folder.name}.trash-{uuid.uuid4().hex[:8]}")
    try:
        os.rename(folder, trash)
    except FileNotFoundError:
        return
    shutil.rmtree(trash, ignore_errors=True)


def build_atomically(
    final: Path, build: Callable[[Path], None], info: dict[str, Any] | None = None
) -> Path:
    """Return ``final``, building it with ``build(tmp_dir)`` first if it is missing or damaged.

    Two processes that want the same entry at once build it once: the second waits for
    the first (``exclusive``) and finds the folder in place.
    """
    if is_valid(final):
        return final
    final.parent.mkdir(parents=True, exist_ok=True)
    with exclusive(final.parent, final.name):
        if is_valid(final):
            return final
        tmp = Path(tempfile.mkdtemp(dir=final.parent, prefix=f".{final.name}.tmp-"))
        started = time.time()
        try:
            build(tmp)
            write_manifest(tmp, info)
            if final.exists():
                _discard(final)
            os.rename(tmp, final)
        finally:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)
        _log_build(final, started)
    return final


def _log_build(final: Path, started: float) -> None:
    """Append the build to ``.builds.jsonl`` beside it (read by the time ledger)."""
    entry = {"name": final.name, "at": started, "seconds": round(time.time() - started, 1)}
    with open(final.parent / BUILD_LOG, "a", encoding="utf-8") as log:
        log.write(json.dumps(entry) + "\n")


def builds_since(folder: Path, since: float) -> list[dict[str, Any]]:
    """The builds logged in ``folder`` that started at or after ``since`` (a time.time())."""
    path = folder / BUILD_LOG
    if not path.exists():
        return []
    entries = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    return [e for e in entries if e["at"] >= since]


@contextmanager
def exclusive(folder: Path, name: str) -> Iterator[None]:
    """Hold a lock named ``name`` in ``folder`` for as long as the block runs.

    Wraps each build of a cached entry (a stored result, a fine-tune), so that two
    processes asking for the same entry at once (two notebooks, two test workers) build it
    once: the second waits, then finds the entry built."""
    locks = folder / ".locks"
    try:
        locks.mkdir(parents=True, exist_ok=True)
    except OSError:  # an unwritable cache: no lock, and the write itself will say so
        yield
        return
    with FileLock(locks / (name.replace(":", "-") + ".lock")):
        yield
