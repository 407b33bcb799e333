"""A learner's own data: from_csv on CSV, JSONL and DataFrames, and its one-line errors."""

from __future__ import annotations

import csv
import json
from collections import Counter

import pytest

from prompt_vs_finetune.data import DataError, TaskData, from_csv
from prompt_vs_finetune.data.files import MAX_TEXT_CHARS, MIN_PER_LABEL, SPLIT_SHARES

WORDS = {"1": "awful", "2": "fine", "10": "superb"}


def rows(n: int = 20, labels: tuple[str, ...] = ("1", "2", "10")) -> list[dict[str, str]]:
    """``n`` distinct reviews per label, labels interleaved."""
    return [
        {"review": f"{WORDS.get(label, label)} product, order {i}", "rating": label}
        for i in range(n)
        for label in labels
    ]


def write_csv(path, records: list[dict[str, str]]):
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(records[0]))
        writer.writeheader()
        writer.writerows(records)
    return path


def load(path, **options) -> TaskData:
    return from_csv(path, text="review", label="rating", **options)


def split_of(task: TaskData) -> dict[str, str]:
    return {ex.id: name for name in ("train", "dev", "test") for ex in task.split(name)}


def test_seeded_stratified_splits_and_default_instruction(tmp_path):
    task = load(write_csv(tmp_path / "reviews.csv", rows(20)))
    assert task.labels == ("1", "2", "10")  # whole numbers in numeric order
    assert task.instruction == "Classify the review into exactly one rating: 1, 2 or 10."
    assert task.name.startswith("csv/reviews-")
    for name, share in SPLIT_SHARES.items():
        assert task.label_counts(name) == dict.fromkeys(task.labels, round(20 * share))
    assert split_of(load(tmp_path / "reviews.csv")) == split_of(task)  # same seed, same splits
    other = load(tmp_path / "reviews.csv", seed=1)
    assert split_of(other) != split_of(task) and other.name != task.name


def test_smallest_label_still_reaches_every_split(tmp_path):
    task = load(write_csv(tmp_path / "r.csv", rows(MIN_PER_LABEL, ("a", "b"))))
    for name in ("train", "dev", "test"):
        assert min(task.label_counts(name).values()) >= 1


def test_the_files_split_column_is_kept(tmp_path):
    records = rows(10)
    for i, rec in enumerate(records):
        rec["split"] = ("Train", "dev", "test")[i % 3]
    task, summary = load(write_csv(tmp_path / "r.csv", records), return_summary=True)
    assert {ex.id: ex.fields["split"].lower() for ex in task.train + task.dev + task.test} == (
        split_of(task)
    )
    assert summary.splits_from == "from column 'split'"


def test_ids_are_row_numbers_or_the_id_column(tmp_path):
    records = rows(10)
    task = load(write_csv(tmp_path / "r.csv", records))
    first = next(ex for ex in task.train + task.dev + task.test if ex.text == records[0]["review"])
    assert first.id == "r2" and first.fields == {"rating": records[0]["rating"], "row": 2}
    for i, rec in enumerate(records):
        rec["ref"] = f"T-{i}"
    task = load(write_csv(tmp_path / "r.csv", records), id="ref")
    assert {ex.id for ex in task.train + task.dev + task.test} == {r["ref"] for r in records}


def test_duplicates_removed_and_long_texts_cut_are_counted(tmp_path):
    records = rows(10)
    records += [dict(records[0]), {"review": records[1]["review"], "rating": "10"}]
    records.append({"review": "x" * (MAX_TEXT_CHARS + 500), "rating": "1"})
    with pytest.warns(UserWarning, match=r"1 of 33 texts were longer than 2,000 characters"):
        task, summary = load(write_csv(tmp_path / "r.csv", records), return_summary=True)
    counted = (summary.rows, summary.duplicates, summary.conflicting, summary.truncated)
    assert counted == (33, 2, 1, 1)
    assert sum(summary.sizes.values()) == 31 == sum(len(task.split(s)) for s in SPLIT_SHARES)
    assert max(len(ex.text) for ex in task.train + task.dev + task.test) == MAX_TEXT_CHARS
    print(summary)
    assert "duplicate texts removed: 2" in str(summary)
    assert "with another label than it: 1" in str(summary)


def test_a_changed_file_gets_another_task_name(tmp_path):
    records = rows(10)
    name = load(write_csv(tmp_path / "r.csv", records)).name
    assert load(tmp_path / "r.csv").name == name
    records[3]["review"] += "!"
    assert load(write_csv(tmp_path / "r.csv", records)).name != name


def test_jsonl_gives_the_same_examples_as_csv(tmp_path):
    records = rows(10)
    path = tmp_path / "reviews.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n\n", encoding="utf-8")
    task = load(path)
    assert task.name.startswith("jsonl/reviews-")
    assert task.train[0].id.startswith("r") and "line" in task.train[0].fields
    as_csv = load(write_csv(tmp_path / "reviews.csv", records))
    assert Counter(ex.text for ex in task.dev) == Counter(ex.text for ex in as_csv.dev)


def test_a_pandas_dataframe(tmp_path):
    pd = pytest.importorskip("pandas")
    records = rows(10)
    records[0]["rating"] = 1  # a number in an object column is read as its text
    task = load(pd.DataFrame(records), name="shop")
    assert task.name.startswith("dataframe/shop-") and task.labels == ("1", "2", "10")


class Frame:
    """The two parts of a pandas DataFrame that from_csv reads, for machines without pandas."""

    def __init__(self, records: list[dict]):
        self.records, self.columns = records, list(records[0])

    def to_dict(self, orient: str) -> list[dict]:
        assert orient == "records"
        return self.records


def test_a_dataframe_like_table_with_missing_cells():
    records = rows(10)
    records[4]["review"] = float("nan")  # how pandas shows an empty cell
    with pytest.raises(DataError, match=r"^Row 4 of the DataFrame has an empty text"):
        load(Frame(records))
    records[4]["review"] = "fixed"
    assert load(Frame(records)).name.startswith("dataframe/dataframe-")


def bad(tmp_path, name: str) -> tuple[object, dict]:
    """A file (or path) with one problem, and the options that meet it."""
    good = rows(10)
    path = tmp_path / "reviews.csv"
    if name == "missing column":
        return write_csv(path, good), {"text": "body"}
    if name == "one label":
        return write_csv(path, rows(10, ("1",))), {}
    if name == "small label":
        return write_csv(path, rows(10, ("1", "2")) + rows(5, ("10",))), {}
    if name == "not utf-8":
        path.write_bytes("review,rating\ncaf\xe9 au lait,1\n".encode("latin-1"))
        return path, {}
    if name in ("empty text", "empty label"):
        good[3]["review" if name == "empty text" else "rating"] = "  "
        return write_csv(path, good), {}
    if name == "empty file":
        path.write_text("\n", encoding="utf-8")
        return path, {}
    if name == "header only":
        path.write_text("review,rating\n", encoding="utf-8")
        return path, {}
    if name == "no file":
        return tmp_path / "nowhere.csv", {}
    if name in ("bad split", "no dev rows"):
        for i, rec in enumerate(good):
            rec["split"] = ("train", "test", "validation" if name == "bad split" else "test")[i % 3]
        return write_csv(path, good), {}
    if name == "repeated id":
        for i, rec in enumerate(good):
            rec["ref"] = str(i % 29)
        return write_csv(path, good), {"id": "ref"}
    path = tmp_path / "reviews.jsonl"  # "broken jsonl"
    path.write_text(json.dumps(good[0]) + "\n{review: 'x'}\n", encoding="utf-8")
    return path, {}


@pytest.mark.parametrize(
    ("problem", "message"),
    [
        ("missing column", "reviews.csv has no column 'body' (given as text=); its columns are "
         "'review', 'rating': pass text= one of them."),
        ("one label", "reviews.csv has only one label ('1') in column 'rating': a classification "
         "task needs at least 2"),
        ("small label", "Every label needs at least 8 examples (duplicates removed) in "
         "reviews.csv, but '10' has 5: add examples, or merge or drop that label."),
        ("not utf-8", "reviews.csv is not UTF-8 (byte 0xe9 at position 17): re-save it as UTF-8"),
        ("empty text", "Row 5 of reviews.csv has an empty text (column 'review'): fill it in or "
         "delete that row."),
        ("empty label", "Row 5 of reviews.csv has an empty label (column 'rating')"),
        ("empty file", "reviews.csv is empty: it needs a header row and one row per example."),
        ("header only", "reviews.csv has no rows: add one row per example."),
        ("no file", "No file at '"),
        ("bad split", "Row 4 of reviews.csv has split='validation'; the split column may hold "
         "only train, dev or test: rename that value."),
        ("no dev rows", "Column 'split' of reviews.csv has no dev rows: every split needs "
         "examples"),
        ("repeated id", "reviews.csv has the id '0' twice (rows 2 and 31): ids must be unique"),
        ("broken jsonl", "Line 2 of reviews.jsonl is not a JSON object: write one object per "
         "line"),
    ],
)  # fmt: skip
def test_each_bad_input_gets_one_line_saying_what_to_do(tmp_path, problem, message):
    source, options = bad(tmp_path, problem)
    with pytest.raises(DataError) as caught:
        from_csv(source, **{"text": "review", "label": "rating", **options})
    print(caught.value)
    text = str(caught.value)
    assert isinstance(caught.value, ValueError) and "\n" not in text
    assert message in text
