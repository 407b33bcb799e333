"""A labelled file to try the study on before using your own: BBC News headlines by topic.

``example_csv()`` writes a seeded sample of the BBC News headlines (``data.bbc_news``: three
topics, the same number of headlines each) as a CSV into the course cache, once, and returns
its path: the shape of file ``data.from_csv`` and the ``compare`` command read (columns
``file``, ``headline`` and ``topic``).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from prompt_vs_finetune.data.bbc_news import LABEL_COLUMN, TEXT_COLUMN, write_bbc_news_csv
from prompt_vs_finetune.store.paths import cache_subdir

__all__ = ["COLUMNS", "example_csv"]

#: The example file's text and label columns.
COLUMNS = {"text": TEXT_COLUMN, "label": LABEL_COLUMN}


def example_csv(per_topic: int = 134, seed: int = 0, folder: str | Path | None = None) -> Path:
    """The path of a CSV of ``per_topic`` headlines of each default topic (written if missing).

    ``folder`` defaults to ``own_task`` in the course cache. The file has no split column,
    so ``from_csv`` draws seeded per-label splits.
    """
    folder = cache_subdir("own_task") if folder is None else Path(folder)
    path = folder / f"bbc-news-{per_topic}-per-topic-seed{seed}.csv"
    if path.is_file():
        return path
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, suffix=".csv.tmp")
    os.close(fd)
    write_bbc_news_csv(tmp, per_topic=per_topic, seed=seed)
    os.replace(tmp, path)  # whole or not at all: a reader never sees half a file
    return path
