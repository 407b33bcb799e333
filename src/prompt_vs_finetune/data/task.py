"""Shared containers for the course's data sets: one labelled example and one task view."""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

SPLITS: tuple[str, ...] = ("train", "dev", "test")


@dataclass(frozen=True)
class Example:
    """One labelled input.

    ``label`` is the gold answer for the task view the example came from (for instance the
    category of a ticket); ``fields`` holds every gold field of the underlying record, so the
    same example can be used for extraction or for another view. Treat ``fields`` as read-only.
    ``fields`` takes part in equality but not in the hash, so examples can live in sets.
    """

    id: str
    text: str
    label: str
    fields: Mapping[str, Any] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class TaskData:
    """A task view of a data set: label set, default instruction and fixed splits."""

    name: str
    labels: tuple[str, ...]
    instruction: str
    train: tuple[Example, ...]
    dev: tuple[Example, ...]
    test: tuple[Example, ...]

    def __repr__(self) -> str:  # the default repr would print every example
        return (
            f"TaskData(name={self.name!r}, labels={self.labels!r}, train={len(self.train)}, "
            f"dev={len(self.dev)}, test={len(self.test)})"
        )

    def split(self, name: str) -> tuple[Example, ...]:
        """The examples of split ``name`` ("train", "dev" or "test")."""
        if name not in SPLITS:
            raise ValueError(f"unknown split {name!r}; expected one of {', '.join(SPLITS)}")
        return getattr(self, name)

    def label_counts(self, split: str) -> dict[str, int]:
        """Number of examples per label in ``split``, in the order of ``labels`` (zeros kept)."""
        counts = dict.fromkeys(self.labels, 0)
        for ex in self.split(split):
            counts[ex.label] = counts.get(ex.label, 0) + 1
        return counts

    def without(self, label: str) -> TaskData:
        """The task as it was before ``label`` existed: its examples gone from every split,
        the label gone from ``labels`` and from the instruction's list of labels.

        The name gains a qualifier (``"tickets/category/without-feature"``), so stored
        results and checkpoints of the two tasks never mix. The instruction must list the
        labels the way the course's instructions do ("a, b or c"), else ValueError.
        """
        if label not in self.labels:
            raise ValueError(f"{label!r} is not one of the labels {', '.join(self.labels)}")
        if len(self.labels) < 3:
            raise ValueError("a task without one of its labels needs two labels left")
        kept = tuple(x for x in self.labels if x != label)
        listed, before = _listed(self.labels), _listed(kept)
        if listed not in self.instruction:
            raise ValueError(f"the instruction does not list the labels as {listed!r}")
        return TaskData(
            name=f"{self.name}/without-{label}",
            labels=kept,
            instruction=self.instruction.replace(listed, before),
            **{s: tuple(ex for ex in self.split(s) if ex.label != label) for s in SPLITS},
        )

    def subset(
        self, split: str, n: int, seed: int = 0, balanced: bool = True
    ) -> tuple[Example, ...]:
        """``n`` examples drawn from ``split``, deterministically for a given ``seed``.

        With ``balanced=True`` labels are taken in turn (each label's examples in a seeded
        shuffled order), so every label gets ``n // len(labels)`` or one more example (which
        labels get one more is seeded too) while it has examples left; labels that run out
        leave their share to the others. The chosen examples come back in a seeded shuffled
        order, so labels do not repeat in a fixed cycle (useful for few-shot prompts).
        With ``balanced=False`` it is a plain seeded sample of the split.
        """
        pool = self.split(split)
        if not isinstance(n, int) or isinstance(n, bool) or n < 0:
            raise ValueError(f"n must be a non-negative integer, got {n!r}")
        if n > len(pool):
            raise ValueError(f"asked for {n} examples but split {split!r} has only {len(pool)}")
        rng = random.Random(seed)
        if not balanced:
            return tuple(rng.sample(pool, n))
        by_label: dict[str, list[Example]] = {label: [] for label in self.labels}
        for ex in pool:
            by_label.setdefault(ex.label, []).append(ex)
        for items in by_label.values():
            rng.shuffle(items)
        turns = list(by_label.values())
        rng.shuffle(turns)  # which labels get the leftover when n is not a multiple
        chosen: list[Example] = []
        depth = 0
        while len(chosen) < n:
            for items in turns:
                if depth < len(items) and len(chosen) < n:
                    chosen.append(items[depth])
            depth += 1
        rng.shuffle(chosen)
        return tuple(chosen)


def _listed(labels: tuple[str, ...]) -> str:
    """Labels as an instruction lists them: "billing, technical or feature"."""
    return f"{', '.join(labels[:-1])} or {labels[-1]}"
