"""Choosing the k examples of a few-shot prompt and the order they are shown in.

``select`` picks examples from a pool by strategy (balanced, random, nearest by tf-idf
cosine); ``arrange`` lays the chosen ones out (shuffled, grouped, interleaved). Every
random choice comes from the ``random.Random`` passed in, so a seed fixes the prompt.
"""

from __future__ import annotations

import math
import random
import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

__all__ = ["arrange", "select"]

_WORD = re.compile(r"[a-z0-9]+")


def _bag(text: str) -> Counter:
    return Counter(_WORD.findall(text.lower()))


def _tfidf(pool: Sequence[Any]) -> tuple[list[dict[str, float]], dict[str, float]]:
    """Unit-length tf-idf vectors of the pool's texts, and the idf table."""
    bags = [_bag(ex.text) for ex in pool]
    df = Counter(word for bag in bags for word in bag)
    idf = {w: math.log((1 + len(bags)) / (1 + n)) + 1.0 for w, n in df.items()}
    return [_unit(bag, idf) for bag in bags], idf


def _unit(bag: Counter, idf: dict[str, float]) -> dict[str, float]:
    vec = {w: c * idf.get(w, 1.0) for w, c in bag.items()}
    norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
    return {w: v / norm for w, v in vec.items()}


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(w, 0.0) for w, v in a.items())


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
    # nearest: tf-idf cosine similarity, ties broken by a seeded random key
    vectors, idf = _tfidf(pool)
    tiebreak = [rng.random() for _ in pool]
    if query is not None:
        target = _unit(_bag(query), idf)
        ranked = sorted(range(len(pool)), key=lambda i: (-_cosine(vectors[i], target), tiebreak[i]))
        return [pool[i] for i in ranked[:k]]
    groups_idx: dict[str, list[int]] = {}
    for i, ex in enumerate(pool):
        groups_idx.setdefault(ex.label, []).append(i)
    ranked_groups: dict[str, list[Any]] = {}
    for label in [lab for lab in labels if lab in groups_idx] + [
        lab for lab in groups_idx if lab not in labels
    ]:
        idx = groups_idx[label]
        centroid: Counter = Counter()
        for i in idx:
            centroid.update(vectors[i])
        centre = _unit(centroid, {})
        idx = sorted(idx, key=lambda i: (-_cosine(vectors[i], centre), tiebreak[i]))
        ranked_groups[label] = [pool[i] for i in idx]
    return _round_robin(ranked_groups, k)


def arrange(chosen: list[Any], labels: Sequence[str], order: str, rng: random.Random) -> list[Any]:
    """The chosen examples in the layout ``order`` asks for (see ``build_prompt``)."""
    if order == "shuffled":
        chosen = list(chosen)
        rng.shuffle(chosen)
        return chosen
    groups = _by_label(chosen, labels)
    if order == "grouped":
        return [ex for items in groups.values() for ex in items]
    return _round_robin(groups, len(chosen))  # interleaved
