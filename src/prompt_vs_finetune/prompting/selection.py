"""Choosing the k examples of a few-shot prompt and the order they are shown in.

``select`` picks examples from a pool by strategy (balanced, random, nearest by TF-IDF
cosine similarity, with scikit-learn's ``TfidfVectorizer``); ``arrange`` lays the chosen
ones out (shuffled, grouped, interleaved, or ranked: the order of the selection itself).
Every random choice comes from the ``random.Random`` passed in, so a seed fixes the prompt.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = ["arrange", "select", "similarities"]


@functools.lru_cache(maxsize=8)
def _fitted(texts: tuple[str, ...]) -> tuple[Any, Any]:
    """A TF-IDF vectorizer fitted on ``texts`` and their unit-length vectors (rows)."""
    from sklearn.feature_extraction.text import TfidfVectorizer  # slow import: only when used

    vectorizer = TfidfVectorizer(lowercase=True, token_pattern=r"[a-z0-9]+")
    return vectorizer, vectorizer.fit_transform(texts)


def similarities(pool: Sequence[Any], query: str) -> np.ndarray:
    """Cosine similarity of ``query`` to each pool example's text, by TF-IDF on the pool."""
    vectorizer, vectors = _fitted(tuple(ex.text for ex in pool))
    return np.asarray((vectors @ vectorizer.transform([query]).T).todense()).ravel()


def _typical_first(pool: Sequence[Any], idx: list[int], tiebreak: list[float]) -> list[Any]:
    """The pool examples ``idx`` (one label), closest to their TF-IDF centroid first."""
    _, vectors = _fitted(tuple(ex.text for ex in pool))
    rows = vectors[idx]
    centre = np.asarray(rows.mean(axis=0)).ravel()
    centre /= np.linalg.norm(centre) or 1.0
    closeness = rows @ centre
    ranked = sorted(range(len(idx)), key=lambda i: (-closeness[i], tiebreak[idx[i]]))
    return [pool[idx[i]] for i in ranked]


def _round_robin(groups: dict[str, list[Any]], k: int) -> list[Any]:
    """Take one example per label in turn (labels in dict order) until k are taken."""
    chosen: list[Any] = []
    depth = 0
    while len(chosen) < k:
        took = False
        for items in groups.values():
            if depth < len(items) and len(chosen) < k:
                chosen.append(items[depth])
                took = True
        if not took:
            break
        depth += 1
    return chosen


def _by_label(pool: Sequence[Any], labels: Sequence[str]) -> dict[str, list[Any]]:
    groups: dict[str, list[Any]] = {label: [] for label in labels}
    for ex in pool:
        groups.setdefault(ex.label, []).append(ex)
    return {label: items for label, items in groups.items() if items}


def select(
    pool: Sequence[Any],
    labels: Sequence[str],
    k: int,
    strategy: str,
    rng: random.Random,
    query: str | None,
) -> list[Any]:
    """``k`` examples of ``pool`` chosen by ``strategy`` (see ``build_prompt``)."""
    if k == 0:
        return []
    if strategy == "random":
        return rng.sample(list(pool), k)
    if strategy == "balanced":
        groups = _by_label(pool, labels)
        for items in groups.values():
            rng.shuffle(items)
        order = list(groups)
        rng.shuffle(order)  # which labels come first (they get one more when k is uneven)
        return _round_robin({label: groups[label] for label in order}, k)
    # nearest: TF-IDF cosine similarity, ties broken by a seeded random key
    tiebreak = [rng.random() for _ in pool]
    if query is not None:
        close = similarities(pool, query)
        ranked = sorted(range(len(pool)), key=lambda i: (-close[i], tiebreak[i]))
        return [pool[i] for i in reversed(ranked[:k])]  # the most similar last
    groups_idx: dict[str, list[int]] = {}
    for i, ex in enumerate(pool):
        groups_idx.setdefault(ex.label, []).append(i)
    ordered = [lab for lab in labels if lab in groups_idx]
    ordered += [lab for lab in groups_idx if lab not in labels]
    ranked_groups = {lab: _typical_first(pool, groups_idx[lab], tiebreak) for lab in ordered}
    return _round_robin(ranked_groups, k)


def arrange(chosen: list[Any], labels: Sequence[str], order: str, rng: random.Random) -> list[Any]:
    """The chosen examples in the layout ``order`` asks for (see ``build_prompt``)."""
    if order == "ranked":
        return list(chosen)
    if order == "shuffled":
        chosen = list(chosen)
        rng.shuffle(chosen)
        return chosen
    groups = _by_label(chosen, labels)
    if order == "grouped":
        return [ex for items in groups.values() for ex in items]
    return _round_robin(groups, len(chosen))  # interleaved
