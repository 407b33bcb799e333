"""A learner's labelled data (a CSV or JSONL file, or a pandas DataFrame) as a ``TaskData``.

``from_csv(path, text="review", label="rating")``: one example per row, see its docstring.
Problems raise ``DataError``, whose one-line message says what to change.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import random
import warnings
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, overload

from prompt_vs_finetune.data.task import SPLITS, Example, TaskData

#: Each label's shares of train / dev / test when the file has none (dev, test: at least 1).
SPLIT_SHARES: dict[str, float] = {"train": 0.60, "dev": 0.15, "test": 0.25}
#: Fewest examples a label may have (after duplicates are removed): 5 / 1 / 2 at the shares above.
MIN_PER_LABEL = 8
#: Longer texts are cut to this many characters (prompts and fine-tuning stay affordable).
MAX_TEXT_CHARS = 2_000
#: The column read as the split when ``split=`` is not given and the file has it.
SPLIT_COLUMN = "split"


_Item = tuple[Example, str | None]  # an example and its split from the file (None: to draw)


class DataError(ValueError):
    """A learner's data cannot be used as it is; the message says what to change."""


@dataclass(frozen=True)
class LoadSummary:
    """What ``from_csv`` did to the rows it read."""

    source: str
    rows: int
    splits_from: str
    sizes: dict[str, int]
    duplicates: int = 0
    conflicting: int = 0
    truncated: int = 0

    def __str__(self) -> str:
        sizes = " / ".join(f"{self.sizes[s]} {s}" for s in SPLITS)
        return (
            f"{self.source}: {self.rows} rows read; duplicate texts removed: {self.duplicates} "
            f"(first copy kept; with another label than it: {self.conflicting}); texts cut to "
            f"{MAX_TEXT_CHARS:,} characters: {self.truncated}; splits {self.splits_from}: {sizes}."
        )


@dataclass(frozen=True)
class _Table:
    """Rows read from one source, each with the number a learner finds it by."""

    prefix: str  # the task name's start: "csv/<stem>", "jsonl/<stem>" or "dataframe/<name>"
    source: str  # how messages name it
    unit: str  # "row" (CSV: as a spreadsheet numbers it, header = row 1) or "line" (JSONL)
    columns: tuple[str, ...]
    rows: tuple[tuple[int, dict[str, Any]], ...]


def _read_text(path: Path) -> str:
    """The file's text, with a one-line error for a missing, non-UTF-8 or empty file."""
    if not path.is_file():
        raise DataError(f"No file at {str(path)!r} (looked from {Path.cwd()}): check the path.")
    try:
        text = path.read_bytes().decode("utf-8-sig")  # -sig: accepts Excel's byte-order mark
    except UnicodeDecodeError as err:
        raise DataError(
            f"{path.name} is not UTF-8 (byte {err.object[err.start]:#04x} at position "
            f"{err.start}): re-save it as UTF-8 (in Excel: Save As > CSV UTF-8) and load it again."
        ) from None
    if not text.strip():
        raise DataError(f"{path.name} is empty: it needs a header row and one row per example.")
    return text


def _jsonl_rows(text: str, filename: str) -> tuple[tuple[int, dict[str, Any]], ...]:
    """Each non-blank line of a JSONL text as (line number, object)."""
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            record = None
        if not isinstance(record, dict):
            raise DataError(
                f"Line {number} of {filename} is not a JSON object: write one object per line, "
                'such as {"text": "...", "label": "..."}.'
            )
        rows.append((number, record))
    return tuple(rows)


def _read(source: Any, name: str | None) -> _Table:
    """A path to a CSV or JSONL file, or a pandas DataFrame, as a ``_Table``."""
    if hasattr(source, "to_dict") and hasattr(source, "columns"):  # a DataFrame
        records = source.to_dict(orient="records")
        rows = tuple((i, {str(k): v for k, v in rec.items()}) for i, rec in enumerate(records))
        columns = tuple(str(c) for c in source.columns)
        return _Table(f"dataframe/{name or 'dataframe'}", "the DataFrame", "row", columns, rows)
    path = Path(source)
    text = _read_text(path)
    if path.suffix.lower() in (".jsonl", ".ndjson"):
        rows = _jsonl_rows(text, path.name)
        columns = tuple(dict.fromkeys(key for _, rec in rows for key in rec))
        return _Table(f"jsonl/{name or path.stem}", path.name, "line", columns, rows)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    records = tuple((number, row) for number, row in enumerate(reader, start=2))
    columns = tuple(reader.fieldnames or ())
    return _Table(f"csv/{name or path.stem}", path.name, "row", columns, records)


def _require(table: _Table, wanted: dict[str, str | None]) -> None:
    """A one-line error naming the file's columns when an asked-for column is missing."""
    for arg, column in wanted.items():
        if column is not None and column not in table.columns:
            raise DataError(
                f"{table.source} has no column {column!r} (given as {arg}=); its columns are "
                f"{', '.join(map(repr, table.columns))}: pass {arg}= one of them."
            )


def _value(raw: Any) -> str:
    """A cell as stripped text; a missing cell (None, NaN) is empty."""
    if raw is None or (isinstance(raw, float) and math.isnan(raw)):
        return ""
    return str(raw).strip()


def _cell(table: _Table, number: int, row: dict[str, Any], column: str, what: str) -> str:
    """The cell's text, or a one-line error saying which row has it empty."""
    value = _value(row.get(column))
    if not value:
        raise DataError(
            f"{table.unit.capitalize()} {number} of {table.source} has an empty {what} (column "
            f"{column!r}): fill it in or delete that {table.unit}."
        )
    return value


def _examples(
    table: _Table, text: str, label: str, id_column: str | None, split: str | None
) -> tuple[list[_Item], Counter[str]]:
    """The rows as examples with their split (None: to draw); counts of texts "truncated",
    later copies of a text dropped ("duplicates") and those with another label ("conflicting")."""
    kept: dict[str, _Item] = {}
    seen_ids: dict[str, int] = {}
    counts: Counter[str] = Counter()
    for number, row in table.rows:
        body = _cell(table, number, row, text, "text")
        if len(body) > MAX_TEXT_CHARS:
            body = body[:MAX_TEXT_CHARS]
            counts["truncated"] += 1
        ex_id = f"r{number}" if id_column is None else _cell(table, number, row, id_column, "id")
        if ex_id in seen_ids:
            raise DataError(
                f"{table.source} has the id {ex_id!r} twice ({table.unit}s {seen_ids[ex_id]} and "
                f"{number}): ids must be unique; fix them or leave out id=."
            )
        seen_ids[ex_id] = number
        part = None if split is None else _value(row.get(split)).lower()
        if part is not None and part not in SPLITS:
            raise DataError(
                f"{table.unit.capitalize()} {number} of {table.source} has {split}="
                f"{row.get(split)!r}; the split column may hold only train, dev or test: rename "
                "that value."
            )
        fields = {k: v for k, v in row.items() if k != text} | {table.unit: number}
        gold = _cell(table, number, row, label, "label")
        if body in kept:
            counts["duplicates"] += 1
            counts["conflicting"] += kept[body][0].label != gold
        else:
            kept[body] = (Example(ex_id, body, gold, fields), part)
    return list(kept.values()), counts


def _labels(items: list[_Item], table: _Table, label: str) -> tuple[str, ...]:
    """The label set, checked: at least two labels, each with ``MIN_PER_LABEL`` examples."""
    counts = Counter(ex.label for ex, _ in items)
    if len(counts) < 2:
        raise DataError(
            f"{table.source} has only one label ({next(iter(counts))!r}) in column {label!r}: "
            "a classification task needs at least 2; check that label= names the right column."
        )
    few = sorted((n, name) for name, n in counts.items() if n < MIN_PER_LABEL)
    if few:
        named = ", ".join(f"{name!r} has {n}" for n, name in few)
        raise DataError(
            f"Every label needs at least {MIN_PER_LABEL} examples (duplicates removed) in "
            f"{table.source}, but {named}: add examples, or merge or drop that label."
        )
    # whole numbers in numeric order first, then the other labels alphabetically
    return tuple(sorted(counts, key=lambda s: (not s.isdigit(), len(s) * s.isdigit(), s)))


def _split(items: list[_Item], labels: tuple[str, ...], seed: int) -> dict[str, list[Example]]:
    """Seeded, per-label train / dev / test in the shares of ``SPLIT_SHARES``."""
    rng = random.Random(seed)
    parts: dict[str, list[Example]] = {name: [] for name in SPLITS}
    for name in labels:
        pool = [ex for ex, _ in items if ex.label == name]
        rng.shuffle(pool)
        n_dev = max(1, round(len(pool) * SPLIT_SHARES["dev"]))
        n_test = max(1, round(len(pool) * SPLIT_SHARES["test"]))
        parts["dev"] += pool[:n_dev]
        parts["test"] += pool[n_dev : n_dev + n_test]
        parts["train"] += pool[n_dev + n_test :]
    for examples in parts.values():
        rng.shuffle(examples)
    return parts


def _kept_splits(items: list[_Item], table: _Table, split: str) -> dict[str, list[Example]]:
    """The file's own splits, each of which must have examples."""
    parts: dict[str, list[Example]] = {name: [] for name in SPLITS}
    for ex, part in items:
        parts[str(part)].append(ex)
    for name, examples in parts.items():
        if not examples:
            raise DataError(
                f"Column {split!r} of {table.source} has no {name} rows: every split needs "
                "examples; mark some as that split, or drop the column for seeded splits."
            )
    return parts


def default_instruction(text: str, label: str, labels: tuple[str, ...]) -> str:
    """The course's instruction shape, from the column names and the label names."""
    listed = ", ".join(labels[:-1]) + " or " + labels[-1]
    thing, kind = (name.replace("_", " ").strip() for name in (text, label))
    return f"Classify the {thing} into exactly one {kind}: {listed}."


@overload
def from_csv(
    source: Any, text: str, label: str, *, return_summary: Literal[False] = ..., **options: Any
) -> TaskData: ...
@overload
def from_csv(
    source: Any, text: str, label: str, *, return_summary: Literal[True], **options: Any
) -> tuple[TaskData, LoadSummary]: ...
def from_csv(
    source: Any, text: str, label: str, *, split: str | None = None, id: str | None = None,
    seed: int = 0, name: str | None = None, instruction: str | None = None,
    return_summary: bool = False,
) -> TaskData | tuple[TaskData, LoadSummary]:  # fmt: skip
    """A ``TaskData`` from a CSV or JSONL file (by suffix: ``.jsonl``/``.ndjson``) or a DataFrame.

    ``text`` and ``label`` name the columns; ``split`` a train/dev/test column (default: a
    column called "split" when there is one, else seeded splits drawn with ``seed``); ``id``
    a column of unique ids (default: the row or line number). The task is named
    ``"<csv|jsonl|dataframe>/<name or file stem>-<fingerprint of its examples>"``, so results
    of two data sets, or of two versions of one file, never mix. ``instruction`` defaults to
    ``default_instruction``. With ``return_summary=True`` it returns ``(task, LoadSummary)``.
    """
    table = _read(source, name)
    if not table.rows:
        raise DataError(f"{table.source} has no rows: add one row per example.")
    if split is None and SPLIT_COLUMN in table.columns:
        split = SPLIT_COLUMN
    _require(table, {"text": text, "label": label, "split": split, "id": id})
    kept, counts = _examples(table, text, label, id, split)
    if cut := counts["truncated"]:
        longer = f"{cut} of {len(table.rows)} texts were longer than {MAX_TEXT_CHARS:,} characters"
        warnings.warn(f"{table.source}: {longer} and were cut to that length.", stacklevel=2)
    labels = _labels(kept, table, label)
    parts = _split(kept, labels, seed) if split is None else _kept_splits(kept, table, split)
    instruction = default_instruction(text, label, labels) if instruction is None else instruction
    content = [instruction, [[s, ex.id, ex.text, ex.label] for s in SPLITS for ex in parts[s]]]
    digest = hashlib.sha256(json.dumps(content).encode()).hexdigest()[:8]
    task = TaskData(
        name=f"{table.prefix}-{digest}", labels=labels, instruction=instruction,
        **{s: tuple(parts[s]) for s in SPLITS},
    )  # fmt: skip
    if not return_summary:
        return task
    drawn = f"drawn per label with seed={seed}" if split is None else f"from column {split!r}"
    sizes = {s: len(parts[s]) for s in SPLITS}
    return task, LoadSummary(table.source, len(table.rows), drawn, sizes, **counts)
