"""A general-ability probe: the regression suite of a fine-tune.

Fine-tuning on tickets can make a model worse at everything else ("catastrophic
forgetting"). A prompt change cannot: the weights stay as they were. So a fine-tuned
model needs what any software change needs - a regression suite - and this is a tiny
one: 30 general questions (capitals, opposites, colours, science, small sums), six per
family. Each question is answered by scoring the answers of its family as choices with
``score_labels`` (exact label log-probabilities, the same engine as the ticket task), so
a probe is fast and deterministic.

The questions use a plain question/answer layout with three worked examples, the
classic way to test what a language model knows (SmolLM2-135M answers the chat layout
less reliably). They were kept where the base SmolLM2-135M-Instruct answers right, as a
real regression suite holds what works today: any drop after a fine-tune is a regression.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from prompt_vs_finetune.data import Example
from prompt_vs_finetune.measure.metrics import accuracy
from prompt_vs_finetune.measure.scoring import score_labels
from prompt_vs_finetune.model.loading import LoadedModel
from prompt_vs_finetune.prompting.fewshot import FewShotPrompt
from prompt_vs_finetune.ui.tables import Table

__all__ = [
    "PROBE_INSTRUCTION",
    "PROBE_ITEMS",
    "PROBE_SHOTS",
    "ProbeResult",
    "compare_probes",
    "forgotten",
    "probe_prompt",
    "run_probe",
]

PROBE_INSTRUCTION = "Answer the question with one word."
#: Worked examples shown before every question (none of them is a probe question).
PROBE_SHOTS: tuple[Example, ...] = (
    Example("shot-1", "What is the boiling point of water in Celsius?", "100"),
    Example("shot-2", "What is the colour of the sea?", "blue"),
    Example("shot-3", "Which animal lays eggs and clucks?", "chicken"),
)

#: (family, question, answer). The answers of a family are its choices.
PROBE_ITEMS: tuple[tuple[str, str, str], ...] = (
    ("capitals", "What is the capital of France?", "Paris"),
    ("capitals", "What is the capital of the United Kingdom?", "London"),
    ("capitals", "What is the capital of Italy?", "Rome"),
    ("capitals", "What is the capital of Japan?", "Tokyo"),
    ("capitals", "What is the capital of Spain?", "Madrid"),
    ("capitals", "What is the capital of Egypt?", "Cairo"),
    ("opposites", "What is the opposite of hot?", "cold"),
    ("opposites", "What is the opposite of day?", "night"),
    ("opposites", "What is the opposite of big?", "small"),
    ("opposites", "What is the opposite of fast?", "slow"),
    ("opposites", "What is the opposite of open?", "closed"),
    ("opposites", "What is the opposite of old?", "young"),
    ("colours", "What colour is the sky on a clear day?", "blue"),
    ("colours", "What colour is grass?", "green"),
    ("colours", "What colour is snow?", "white"),
    ("colours", "What colour is coal?", "black"),
    ("colours", "What colour is a ripe strawberry?", "red"),
    ("colours", "What colour are most leaves in summer?", "green"),
    ("science", "Which planet do we live on?", "Earth"),
    ("science", "Which planet is known as the red planet?", "Mars"),
    ("science", "What is the largest planet in the solar system?", "Jupiter"),
    ("science", "What do bees make?", "honey"),
    ("science", "What gas do humans need to breathe?", "oxygen"),
    ("science", "What is frozen water called?", "ice"),
    ("sums", "What is 1 + 1?", "2"),
    ("sums", "What is 2 + 2?", "4"),
    ("sums", "What is 5 + 5?", "10"),
    ("sums", "What is 10 + 10?", "20"),
    ("sums", "What is 3 + 3?", "6"),
    ("sums", "What is 100 + 100?", "200"),
)


def probe_prompt(choices: list[str]) -> FewShotPrompt:
    """The prompt one probe family is scored with: instruction, three examples, question."""
    return FewShotPrompt(
        instruction=PROBE_INSTRUCTION,
        examples=PROBE_SHOTS,
        template="plain",
        labels=tuple(choices),
        input_name="Question",
        output_name="Answer",
    )


@dataclass
class ProbeResult:
    """One probe run: a row per question (``records``), overall ``accuracy``, ``seconds``.

    Each record has the model's answer, whether it is right, and ``p_gold``: the
    probability of the right answer among the family's choices (it erodes before answers
    flip, so it shows damage earlier than accuracy does).
    """

    model: str
    records: Table
    accuracy: float
    seconds: float

    def __repr__(self) -> str:
        right = sum(r["correct"] for r in self.records)
        return (
            f"ProbeResult({self.model!r}: {right}/{len(self.records)} right, "
            f"accuracy {self.accuracy:.2f}, {self.seconds:.1f} s)"
        )

    def _repr_html_(self) -> str:
        return f"<p>{self!r}</p>" + self.records._repr_html_()


def _families(items) -> dict[str, list[tuple[str, str]]]:
    families: dict[str, list[tuple[str, str]]] = {}
    for family, question, answer in items:
        families.setdefault(family, []).append((question, answer))
    return families


def run_probe(lm: LoadedModel, items=PROBE_ITEMS) -> ProbeResult:
    """Ask every probe question; each family's answers are the choices."""
    start = time.perf_counter()
    records = []
    for family, pairs in _families(items).items():
        choices = list(dict.fromkeys(answer for _, answer in pairs))
        scores = score_labels(lm, probe_prompt(choices), [q for q, _ in pairs], progress=False)
        probabilities = scores.probabilities
        for i, ((question, answer), predicted) in enumerate(
            zip(pairs, scores.predictions, strict=True)
        ):
            records.append(
                {
                    "family": family,
                    "question": question,
                    "gold": answer,
                    "predicted": predicted,
                    "correct": predicted == answer,
                    "p_gold": float(probabilities[i, choices.index(answer)]),
                }
            )
    acc = accuracy([r["gold"] for r in records], [r["predicted"] for r in records])
    return ProbeResult(lm.name, Table(records), float(acc), time.perf_counter() - start)


def compare_probes(before: ProbeResult, after: ProbeResult) -> Table:
    """Side by side, question by question: what was kept, forgotten or newly learned."""
    rows = []
    for b, a in zip(before.records, after.records, strict=True):
        if b["question"] != a["question"]:
            raise ValueError("the two probe results come from different question sets")
        status = {
            (True, True): "kept",
            (True, False): "FORGOTTEN",
            (False, True): "learned",
            (False, False): "still wrong",
        }[(b["correct"], a["correct"])]
        rows.append(
            {
                "question": b["question"],
                "gold": b["gold"],
                "before": b["predicted"],
                "after": a["predicted"],
                "p_gold_before": b["p_gold"],
                "p_gold_after": a["p_gold"],
                "status": status,
            }
        )
    return Table(rows)


def forgotten(before: ProbeResult, after: ProbeResult) -> list[str]:
    """Questions the model answered right before and wrong after."""
    return [
        row["question"] for row in compare_probes(before, after) if row["status"] == "FORGOTTEN"
    ]
