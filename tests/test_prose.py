"""Markdown never states a measured outcome: a verdict or an accuracy is printed by code.

A sentence in a markdown cell goes stale the day a number moves; a line printed from the
measurement cannot. The test reads every markdown cell of ``course/`` and ``solutions/`` and
fails on the verdict words of ``claims.verdict.STATUSES`` (and phrasings such as "held
here") and on accuracy figures (0.71, .71, 71%, "14 of 24 right", "scored 14/24", "3
points"). What passes: a target the learner must reach ("at least 10 of the 16 tickets
right", "by 0.02 or more"), an interval's level ("a 95% interval"), a verdict word being
defined ('"inconclusive" means ...'), text in code spans, and the few cells of
``ALLOWED``, each with its reason. Run one notebook with ``pytest tests/test_prose.py -k 06``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from prompt_vs_finetune.claims.verdict import STATUSES

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "course").glob("*.ipynb")) + sorted((ROOT / "solutions").glob("*.ipynb"))

#: (notebook, a fragment of the cell's prose, why it may stay in markdown)
ALLOWED: tuple[tuple[str, str, str], ...] = (
    (
        "course/08_learning_curve.ipynb",
        "here 2 points of accuracy",
        "the plateau threshold: a setting of the method, not a measurement",
    ),
    (
        "course/08_learning_curve.ipynb",
        "one ticket is 1.7 points",
        "the resolution of a 60-ticket sample: arithmetic of the design",
    ),
)

_VERDICT = "|".join(re.escape(status) for status in STATUSES)
VERDICT_PATTERNS = {
    "verdict": re.compile(rf"\b(?:{_VERDICT}|refuted|confirmed)\b", re.IGNORECASE),
    "retired verdict": re.compile(r"[\"“*']partly[\"”*']", re.IGNORECASE),
    "stale phrasing": re.compile(
        r"\b(?:held|holds|hold|did not hold|does not hold|failed|fails) here\b", re.IGNORECASE
    ),
}
_COUNT_NOUN = r"(?:test|dev|train|tickets?|items?|examples?|prompts?|tweets?|questions?|times)"
FIGURE_PATTERNS = {
    "decimal": re.compile(r"(?<![\w.$=/,])0?\.\d+\b"),
    "percentage": re.compile(
        r"\b\d+(?:\.\d+)?\s?(?:%|percent\b)(?!\s*(?:confidence|interval|CI\b|Wilson|bootstrap))",
        re.IGNORECASE,
    ),
    "count right": re.compile(
        r"\b\d+\s+(?:out\s+)?of\s+(?:the\s+|these\s+|those\s+|its\s+|their\s+)?\d+"
        r"(?:\s+[A-Za-z-]+){0,2}?\s+(?:right|correct|wrong|solved|passed)\b",
        re.IGNORECASE,
    ),
    "points": re.compile(r"\b\d+(?:\.\d+)?\s+(?:percentage\s+)?points?\b", re.IGNORECASE),
    "score": re.compile(
        r"\b(?:scor(?:ed|es|ing)|accuracy(?:\s+(?:of|was|is|=|:))?)\s+"
        r"(?:about\s+|only\s+|just\s+|around\s+|roughly\s+)?"
        rf"(?:\d+\s*/\s*\d+|\d+(?:\.\d+)?\b(?!\s*(?:{_COUNT_NOUN}\b|-shot|/)))",
        re.IGNORECASE,
    ),
}
#: A figure right after one of these is a target or a bar, not an outcome.
_THRESHOLD_BEFORE = re.compile(
    r"(?:at least|at most|more than|less than|fewer than|under|below|up to|[<>≤≥]=?)\s*$",
    re.IGNORECASE,
)
_THRESHOLD_AFTER = re.compile(r"^\s*or (?:more|less|higher|lower|better|worse)\b", re.IGNORECASE)
#: A verdict word followed by these is being defined or explained as a rule.
_DEFINED_AFTER = re.compile(r"^[\"”*']?\s*(?:means\b|when\b|if\b|unless\b)", re.IGNORECASE)
_QUOTED_THEN_PAREN = re.compile(r"^[\"”*']\s*\(")


def prose(source: str) -> str:
    """The cell's text as a reader meets it: code left out, bold marks gone, one line."""
    text = re.sub(r"```.*?```", " ", source, flags=re.DOTALL)
    text = re.sub(r"`[^`]*`", " ", text)
    text = text.replace("**", "")
    return re.sub(r"\s+", " ", text)


def _is_threshold(text: str, match: re.Match) -> bool:
    before = text[max(0, match.start() - 30) : match.start()]
    return bool(_THRESHOLD_BEFORE.search(before) or _THRESHOLD_AFTER.match(text[match.end() :]))


def _is_definition(text: str, match: re.Match) -> bool:
    after = text[match.end() :]
    quoted = match.start() > 0 and text[match.start() - 1] in "\"“*'"
    return bool(_DEFINED_AFTER.match(after) or (quoted and _QUOTED_THEN_PAREN.match(after)))


def findings(source: str) -> list[tuple[str, str, tuple[int, int]]]:
    """(kind, matched text, span in ``prose(source)``) of every outcome the cell states."""
    text = prose(source)
    found = []
    for kind, pattern in VERDICT_PATTERNS.items():
        for match in pattern.finditer(text):
            if not _is_definition(text, match):
                found.append((kind, match.group(), match.span()))
    for kind, pattern in FIGURE_PATTERNS.items():
        for match in pattern.finditer(text):
            if not _is_threshold(text, match):
                found.append((kind, match.group(), match.span()))
    return sorted(found, key=lambda item: item[2])


def _allowed_spans(notebook: str, text: str) -> list[tuple[int, int]]:
    spans = []
    for name, fragment, _ in ALLOWED:
        if name == notebook:
            spans += [(m.start(), m.end()) for m in re.finditer(re.escape(fragment), text)]
    return spans


def offenders(path: Path) -> list[tuple[int, str, str, str]]:
    """(cell index, kind, matched text, start of the cell) for each outcome in markdown."""
    notebook = str(path.relative_to(ROOT))
    rows = []
    for index, cell in enumerate(json.loads(path.read_text(encoding="utf-8"))["cells"]):
        if cell["cell_type"] != "markdown":
            continue
        source = "".join(cell["source"])
        text = prose(source)
        allowed = _allowed_spans(notebook, text)
        for kind, matched, (start, end) in findings(source):
            if not any(a <= start and end <= b for a, b in allowed):
                rows.append((index, kind, matched, text[:80]))
    return rows


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_markdown_states_no_measured_outcome(path):
    rows = offenders(path)
    lines = [f"cell {i} ({kind}): {matched!r}  in: {start!r}" for i, kind, matched, start in rows]
    assert not rows, (
        f"{path.relative_to(ROOT)}: markdown states a measured outcome; print it from the "
        "measurement in a code cell instead (cell indices count from 0):\n" + "\n".join(lines)
    )


@pytest.mark.parametrize("notebook, fragment, reason", ALLOWED)
def test_every_allowance_is_still_needed(notebook, fragment, reason):
    cells = json.loads((ROOT / notebook).read_text(encoding="utf-8"))["cells"]
    texts = [prose("".join(c["source"])) for c in cells if c["cell_type"] == "markdown"]
    text = next((t for t in texts if fragment in t), None)
    assert text is not None, f"{notebook}: no markdown cell says {fragment!r} any more ({reason})"
    start = text.index(fragment)
    inside = [f for f in findings(text) if start <= f[2][0] and f[2][1] <= start + len(fragment)]
    assert inside, f"{notebook}: {fragment!r} is no longer flagged; drop it from ALLOWED"


@pytest.mark.parametrize(
    "sentence, flagged",
    [
        ("With k=8 the prompt scored 0.26 on the test split.", "0.26"),
        ("It reached .71 after 40 steps.", ".71"),
        ("Calibration lifts it to 59%.", "59%"),
        ("The fine-tune got 14 of the 24 tickets right.", "14 of the 24 tickets right"),
        ("The best prompt scored 14/24.", "scored 14/24"),
        ("It gained 12 points over the base model.", "12 points"),
        ("So the claim held here.", "held here"),
        ("C9 is supported on this model.", "supported"),
        ('The rule grants at most "partly".', '"partly"'),
        ("Not at this scale: the model is too small.", "Not at this scale"),
    ],
)
def test_an_outcome_is_caught(sentence, flagged):
    assert flagged in [matched for _, matched, _ in findings(sentence)]


@pytest.mark.parametrize(
    "sentence",
    [
        "Every accuracy comes with a 95% interval.",
        "We score k = 0, 1, 2, 4 and 8, and k=8 sends the most tokens.",
        "Set `better` to a prompt that gets at least 10 of the 16 tickets right.",
        "No version raised the best accuracy by 0.02 or more.",
        "It must be at most **0.05** less accurate and send under 10% of the tokens.",
        '"inconclusive" means the interval straddles zero.',
        "*supported* (the interval lies on the claimed side)",
        "A claim is contradicted when the interval lies on the other side.",
        "Each setting is scored on 60 test tickets; `accuracy=0.71` is code.",
        "Temperature T = 1.0 and a ratio of 1.5x.",
    ],
)
def test_a_method_or_a_target_is_not_caught(sentence):
    assert findings(sentence) == []
