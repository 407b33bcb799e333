"""The results store: every measurement computed once, shared by all notebooks.

One JSON file, ``cache_dir()/results/results.json``, holds

- results: ``cached(kind, inputs, compute)`` returns the stored result for the same
  kind and inputs, or runs ``compute()`` and stores what it returns;
- the claims ledger: ``record_claim("C8", "supported", "JSON valid in 95% ...")`` and
  ``claims()`` shows the verdict on every claim of the guide.

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

from prompt_vs_finetune.store.paths import cache_subdir
from prompt_vs_finetune.ui.tables import Table

try:  # POSIX; on Windows the store still works, without the cross-process lock
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None

__all__ = [
    "CLAIMS",
    "CLAIM_NOTEBOOKS",
    "VERDICTS",
    "ResultsStore",
    "cached",
    "claims",
    "missing_claims",
    "record_claim",
]

FILE_NAME = "results.json"

#: Bump when a change alters what any measurement returns (a fixed bug, a new recipe, a new
#: field): every results key and checkpoint key carries it, so a learner's cache never
#: serves a number measured by older code. ``make doctor`` counts entries of other versions.
RESULTS_VERSION = 2
VERDICTS = ("supported", "partly", "not at this scale")
NOT_MEASURED = "not measured yet"

# The guide's claims, in our words (ledger of the course design), and where each is measured.
CLAIMS: dict[str, str] = {
    "C1": "Wording changes the output; explicit format rules and step-by-step steps help",
    "C2": "Fine-tuning changes the model's weights; prompting leaves them untouched",
    "C3": "Richer prompts (more examples) cost more tokens on every call",
    "C4": "Fine-tuning costs up front; whether it pays back depends on volume",
    "C5": "A bad prompt is undone at once; a bad fine-tune can break the model",
    "C6": "A fine-tuned model needs regression tests for abilities it may lose",
    "C7": "Prompting needs gentler skills than diagnosing a training run",
    "C8": "Structured output such as JSON is reachable by prompting alone",
    "C9": "Few-shot prompting can rival fine-tuning on classification and extraction",
    "C10": "Fine-tuning teaches domain knowledge the base model lacks",
    "C11": "Fine-tuned models answer more consistently when sampled",
    "C12": "Fine-tuned models need shorter inputs, so they answer faster",
    "C13": "Fine-tune for the domain plus prompt for the case beats either alone",
    "C14": "A compressed prompt keeps quality with fewer tokens",
    "C15": "A cascade: the cheap path takes most cases and escalates the rest",
    "C16": "Prompt iteration pays off fast, then plateaus",
    "C17": "Prompt cost grows with volume; one fine-tune per use case scales poorly",
    "C18": "Prompt ROI comes fast but plateaus; fine-tune ROI starts negative, wins at volume",
    "C19": "Start with prompting; fine-tune when prompting is exhausted and volume justifies it",
}
CLAIM_NOTEBOOKS: dict[str, str] = {
    "C1": "01", "C2": "01", "C3": "02", "C4": "02", "C5": "03", "C6": "03", "C7": "04",
    "C8": "05", "C9": "05, 06", "C10": "06", "C11": "06", "C12": "06", "C13": "07",
    "C14": "07", "C15": "07", "C16": "08", "C17": "09", "C18": "10", "C19": "11",
}  # fmt: skip


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


def _claim_id(claim_id: str) -> str:
    key = str(claim_id).strip().upper()
    if key not in CLAIMS:
        raise ValueError(f"Unknown claim {claim_id!r}; claims are C1 to C{len(CLAIMS)}.")
    return key


class ResultsStore:
    """A JSON file of computed results and claim verdicts, safe for concurrent notebooks."""

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
        empty: dict[str, Any] = {"version": 1, "results": {}, "claims": {}}
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return empty
        try:
            data = json.loads(text)
            if not all(isinstance(data.get(part), dict) for part in ("results", "claims")):
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
            return {"version": 1, "results": {}, "claims": {}}

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
        """Forget stored results (all, or of one kind); claim verdicts stay."""

        def change(data: dict[str, Any]) -> None:
            data["results"] = {
                k: e for k, e in data["results"].items() if kind is not None and e["kind"] != kind
            }

        self._update(change)

    # ---- claims ledger ------------------------------------------------------------
    def record_claim(
        self,
        claim_id: str,
        verdict: str,
        measured: str,
        detail: dict[str, Any] | None = None,
        notebook: str | None = None,
    ) -> dict[str, Any]:
        """Record the measured verdict on one claim of the guide (replaces an older one)."""
        key = _claim_id(claim_id)
        if verdict not in VERDICTS:
            raise ValueError(f"verdict must be one of {list(VERDICTS)}, not {verdict!r}.")
        if not isinstance(measured, str) or not measured.strip():
            raise ValueError("measured must say, in a short sentence, what was measured.")
        entry = {
            "verdict": verdict,
            "measured": measured.strip(),
            "detail": jsonable(detail or {}),
            "notebook": notebook if notebook is not None else CLAIM_NOTEBOOKS[key],
            "saved_at": time.strftime("%Y-%m-%d %H:%M:%S"),
        }
        self._update(lambda data: data["claims"].__setitem__(key, entry))
        return entry

    def claims(self) -> Table:
        """Every claim of the guide with its verdict, in claim order."""
        recorded = self._read()["claims"]
        rows = []
        for key, statement in sorted(CLAIMS.items(), key=lambda kv: int(kv[0][1:])):
            entry = recorded.get(key, {})
            rows.append(
                {
                    "claim": key,
                    "statement": statement,
                    "verdict": entry.get("verdict", NOT_MEASURED),
                    "measured": entry.get("measured", ""),
                    "notebook": entry.get("notebook", CLAIM_NOTEBOOKS[key]),
                }
            )
        return Table(rows)

    def claim(self, claim_id: str) -> dict[str, Any] | None:
        """The recorded entry of one claim (verdict, measured, detail, notebook), or None."""
        return self._read()["claims"].get(_claim_id(claim_id))

    def missing_claims(self) -> list[str]:
        """Claim ids with no recorded verdict yet, in claim order."""
        recorded = self._read()["claims"]
        return [key for key in sorted(CLAIMS, key=lambda k: int(k[1:])) if key not in recorded]


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


def record_claim(
    claim_id: str,
    verdict: str,
    measured: str,
    detail: dict[str, Any] | None = None,
    notebook: str | None = None,
) -> dict[str, Any]:
    """Record a claim's verdict in the shared store."""
    return ResultsStore().record_claim(claim_id, verdict, measured, detail, notebook)


def claims() -> Table:
    """The claims ledger of the shared store."""
    return ResultsStore().claims()


def missing_claims() -> list[str]:
    """Claims of the shared store with no verdict yet."""
    return ResultsStore().missing_claims()
