"""The results store: every measurement computed once, shared by all notebooks.

One JSON file, ``cache_dir()/results/results.json``, holds the results:
``cached(kind, inputs, compute)`` returns the stored result for the same kind and inputs,
or runs ``compute()`` and stores what it returns. Other parts of the library keep their
own named sections in the same file (``section``, ``put_entry``): the claims ledger keeps
its verdicts in "claims" (see ``prompt_vs_finetune.claims``).

Writes are atomic (temporary file + rename) and serialised with a file lock, so two
notebooks can share the store. A damaged file is set aside and the store starts empty:
it never stops a notebook.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from prompt_vs_finetune.store.cachefiles import exclusive
from prompt_vs_finetune.store.paths import cache_subdir
from prompt_vs_finetune.ui.tables import Table

try:  # POSIX; on Windows the store still works, without the cross-process lock
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None

__all__ = ["RESULTS_VERSION", "ResultsStore", "cached"]

FILE_NAME = "results.json"

#: Bump when a change alters what any measurement returns (a fixed bug, a new recipe, a new
#: field): every results key and checkpoint key carries it, so a learner's cache never
#: serves a number measured by older code. ``make doctor`` counts entries of other versions.
RESULTS_VERSION = 2

#: Names that moved to ``prompt_vs_finetune.claims``; an old import of one says where.
_MOVED_TO_CLAIMS = {
    "CLAIMS": "REGISTRY",
    "CLAIM_NOTEBOOKS": "REGISTRY",
    "VERDICTS": "STATUSES",
    "NOT_MEASURED": "NOT_MEASURED",
    "record_claim": "record",
    "claims": "ledger_table",
    "missing_claims": "missing_claims",
}


def __getattr__(name: str) -> Any:
    """An import of a claims name from here says where the name lives now."""
    if name in _MOVED_TO_CLAIMS:
        raise ImportError(
            f"{name} moved out of prompt_vs_finetune.store.results: use "
            f"prompt_vs_finetune.claims.{_MOVED_TO_CLAIMS[name]} (see ARCHITECTURE.md)."
        )
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def default_path() -> Path:
    """Where the shared store lives (follows ``$PROMPT_VS_FINETUNE_CACHE``)."""
    return cache_subdir("results") / FILE_NAME


def jsonable(value: Any) -> Any:
    """``value`` made of plain JSON types (numpy numbers and arrays, tuples, paths converted)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else value
        return [jsonable(v) for v in items]
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return jsonable(dataclasses.asdict(value))
    if hasattr(value, "tolist"):  # numpy arrays and scalars, torch tensors
        return jsonable(value.tolist())
    raise TypeError(
        f"The results store keeps JSON data; a {type(value).__name__} cannot be stored. "
        "Convert it to numbers, text, lists or dicts first."
    )


def make_key(kind: str, inputs: dict[str, Any]) -> str:
    """``kind`` plus a hash of the inputs and ``RESULTS_VERSION`` as canonical JSON."""
    versioned = {"results_version": RESULTS_VERSION, **jsonable(inputs)}
    canonical = json.dumps(versioned, sort_keys=True, separators=(",", ":"))
    return f"{kind}:{hashlib.sha256(canonical.encode()).hexdigest()[:20]}"


class ResultsStore:
    """A JSON file of computed results (and named sections), safe for concurrent notebooks."""

    def __init__(self, path: str | os.PathLike | None = None, *, verbose: bool = True):
        self.path = Path(path) if path is not None else default_path()
        self.verbose = verbose

    def __repr__(self) -> str:
        return f"ResultsStore({str(self.path)!r})"

    # ---- file handling ------------------------------------------------------------
    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """Hold an exclusive lock on ``<file>.lock`` (no-op where fcntl is missing)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if fcntl is None:  # pragma: no cover
            yield
            return
        with open(self.path.with_name(self.path.name + ".lock"), "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _load(self) -> dict[str, Any]:
        """The file's content; a damaged file is renamed ``.corrupt-<time>`` and ignored."""
        empty: dict[str, Any] = {"version": 1, "results": {}}
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return empty
        try:
            data = json.loads(text)
            if not isinstance(data.get("results"), dict):
                raise ValueError("unexpected layout")
            return data
        except (ValueError, AttributeError) as exc:
            stamp = time.strftime("%Y%m%d-%H%M%S")
            aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
            os.replace(self.path, aside)
            warnings.warn(
                f"The results store {self.path} was damaged ({exc}); it was moved to {aside.name} "
                "and a fresh store was started. Results will be recomputed as needed.",
                stacklevel=3,
            )
            return empty

    def _save(self, data: dict[str, Any]) -> None:
        """Write atomically: a temporary file in the same folder, then rename over the store."""
        folder, name = self.path.parent, self.path.name
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(data, f, indent=1, sort_keys=True)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, self.path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)

    def _read(self) -> dict[str, Any]:
        try:
            with self._locked():
                return self._load()
        except OSError as exc:
            warnings.warn(f"Cannot read the results store {self.path}: {exc}", stacklevel=3)
            return {"version": 1, "results": {}}

    def _update(self, change: Callable[[dict[str, Any]], None]) -> bool:
        """Read-modify-write under the lock; False (with a warning) if the disk refuses."""
        try:
            with self._locked():
                data = self._load()
                change(data)
                self._save(data)
            return True
        except OSError as exc:
            warnings.warn(f"Could not save to the results store {self.path}: {exc}", stacklevel=3)
            return False

    # ---- results ------------------------------------------------------------------
    def get(self, kind: str, inputs: dict[str, Any]) -> dict[str, Any] | None:
        """The stored result for ``kind`` and ``inputs``, or None."""
        entry = self._read()["results"].get(make_key(kind, inputs))
        return None if entry is None else entry["result"]

    def put(self, kind: str, inputs: dict[str, Any], result: dict[str, Any]) -> dict[str, Any]:
        """Store ``result`` (with its inputs and the time); return it as stored (plain JSON)."""
        if not isinstance(result, dict):
            raise TypeError(f"A stored result must be a dict, not {type(result).__name__}.")
        clean = jsonable(result)
        entry = {
            "kind": kind,
            "inputs": jsonable(inputs),
            "result": clean,
            "results_version": RESULTS_VERSION,
            "saved_at": time.strftime("%Y-%m-%d %H:%M:%S"),
        }
        key = make_key(kind, inputs)
        self._update(lambda data: data["results"].__setitem__(key, entry))
        return clean

    def cached(
        self,
        kind: str,
        inputs: dict[str, Any],
        compute: Callable[[], dict[str, Any]],
        *,
        refresh: bool = False,
    ) -> dict[str, Any]:
        """Return the stored result for (kind, inputs), computing and storing it if missing.

        ``inputs`` must name everything the result depends on (model, split, prompt
        key, seed, ...). The returned dict has ``"_cached"``: True when it came from
        the store. ``refresh=True`` recomputes and overwrites.
        """
        if not isinstance(inputs, dict):
            raise TypeError("inputs must be a dict of everything the result depends on.")
        if not refresh:
            stored = self.get(kind, inputs)
            if stored is not None:
                if self.verbose:
                    print(f"results store: hit {kind}")
                return {**stored, "_cached": True}
        with exclusive(self.path.parent, make_key(kind, inputs)):
            stored = None if refresh else self.get(kind, inputs)  # built while we waited?
            if stored is not None:
                return {**stored, "_cached": True}
            result = self.put(kind, inputs, compute())
        return {**result, "_cached": False}

    def entries(self, kind: str | None = None) -> Table:
        """Stored results (optionally of one kind): kind, saved_at, inputs."""
        rows = [
            {"kind": e["kind"], "saved_at": e["saved_at"], "inputs": e["inputs"]}
            for e in self._read()["results"].values()
            if kind is None or e["kind"] == kind
        ]
        return Table(sorted(rows, key=lambda r: (r["kind"], r["saved_at"])))

    def stale_count(self) -> int:
        """How many stored results were measured under another ``RESULTS_VERSION``."""
        results = self._read()["results"].values()
        return sum(e.get("results_version") != RESULTS_VERSION for e in results)

    def clear(self, kind: str | None = None) -> None:
        """Forget stored results (all, or of one kind); other sections (claims) stay."""

        def change(data: dict[str, Any]) -> None:
            data["results"] = {
                k: e for k, e in data["results"].items() if kind is not None and e["kind"] != kind
            }

        self._update(change)

    # ---- named sections besides the results ---------------------------------------
    def section(self, name: str) -> dict[str, Any]:
        """The entries of section ``name`` (for example "claims"); empty if it has none."""
        part = self._read().get(name)
        return part if isinstance(part, dict) else {}

    def put_entry(self, section: str, key: str, entry: dict[str, Any]) -> dict[str, Any]:
        """Store ``entry`` under ``key`` in ``section`` (replacing it); return it as stored."""
        if section in ("results", "version"):
            raise ValueError(f"{section!r} is not a section for entries; use cached/put.")
        clean = jsonable(entry)

        def change(data: dict[str, Any]) -> None:
            if not isinstance(data.get(section), dict):
                data[section] = {}
            data[section][key] = clean

        self._update(change)
        return clean


# ---- module-level shortcuts on the default store (follows the cache folder setting) -------
def cached(
    kind: str,
    inputs: dict[str, Any],
    compute: Callable[[], dict[str, Any]],
    *,
    refresh: bool = False,
) -> dict[str, Any]:
    """``ResultsStore().cached(...)`` on the course's shared store."""
    return ResultsStore().cached(kind, inputs, compute, refresh=refresh)
