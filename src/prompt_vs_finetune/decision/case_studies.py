"""Short case studies for the decision lesson (all organisations are invented).

Each case has a story, the answers to the decision questions (``DecisionInputs``), the
choice we expect and why. ``recommend(case.inputs).choice`` must equal
``case.expected`` for every case (the tests check it), so the cases are worked examples
of each rule of ``decision.advice``. They were written with those rules in mind, so the
tool's agreement with them is no evidence that the rules are right; ``decision.evidence``
judges the tool against measured winners instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from prompt_vs_finetune.decision.advice import DecisionInputs, recommend
from prompt_vs_finetune.ui.tables import Table

__all__ = ["CASE_STUDIES", "CaseStudy", "case_study", "case_table"]


@dataclass(frozen=True)
class CaseStudy:
    name: str
    organisation: str
    story: str
    inputs: DecisionInputs
    expected: str
    why: str

    def __str__(self) -> str:
        return (
            f"{self.name}: {self.organisation}\n{self.story}\n"
            f"Expected: {self.expected}. Why: {self.why}"
        )


CASE_STUDIES: tuple[CaseStudy, ...] = (
    CaseStudy(
        name="lettings-replies",
        organisation="Lumen Lettings, a property agency with 14 offices",
        story=(
            "Agents answer about 3,000 tenant emails a month and want draft replies that "
            "always use the agency's greeting, a three-part structure and a friendly but "
            "firm tone. The facts come from the email itself; the model only has to write "
            "them up the house way."
        ),
        inputs=DecisionInputs(
            monthly_requests=3_000,
            requirement_changes="sometimes",
            format_only=True,
            labelled_examples=40,
            upfront_budget="low",
        ),
        expected="prompting",
        why=(
            "Tone and layout are controlled by instructions and two or three example "
            "replies; nothing needs to be learned, and the volume is small anyway."
        ),
    ),
    CaseStudy(
        name="council-faq",
        organisation="Brightwater Borough Council",
        story=(
            "A residents' help bot answers about 40,000 questions a month on bins, parking "
            "permits and grants. Policies are revised almost weekly after council meetings, "
            "and the digital team has web developers but no machine-learning specialists."
        ),
        inputs=DecisionInputs(
            monthly_requests=40_000,
            requirement_changes="often",
            per_request_context=True,
            ml_skills=False,
            labelled_examples=300,
            upfront_budget="low",
        ),
        expected="prompting",
        why=(
            "Weekly rule changes would mean weekly retraining, and there is no one to do "
            "it; the current policy text can simply travel in the prompt."
        ),
    ),
    CaseStudy(
        name="publisher-glossary",
        organisation="Quillfeather Press, an academic publisher",
        story=(
            "Editors want manuscripts tagged with the press's own subject codes, which no "
            "public model knows. A data scientist is on staff and 2,000 tagged manuscripts "
            "exist, but only about 20,000 requests a month are expected. The cost model, "
            "fed with measured token counts, puts the break-even at 150,000 a month."
        ),
        inputs=DecisionInputs(
            monthly_requests=20_000,
            requirement_changes="rarely",
            needs_domain_knowledge=True,
            ml_skills=True,
            labelled_examples=2_000,
            upfront_budget="medium",
            break_even_volume=150_000,
        ),
        expected="prompting",
        why=(
            "Knowledge is missing, but the volume is far below the measured break-even: "
            "putting the code list in the prompt costs less than training and hosting a "
            "model for so few calls."
        ),
    ),
    CaseStudy(
        name="shipping-triage-too-early",
        organisation="Tidewater Logistics",
        story=(
            "A freight company routes five million shipment queries a month into twelve "
            "queues. It has an ML platform team, plenty of labelled history and budget, and "
            "is keen to fine-tune. The team has tried one zero-shot prompt so far."
        ),
        inputs=DecisionInputs(
            monthly_requests=5_000_000,
            requirement_changes="rarely",
            ml_skills=True,
            labelled_examples=80_000,
            upfront_budget="high",
            prompting_exhausted=False,
        ),
        expected="prompting",
        why=(
            "Everything needed for fine-tuning is there except the evidence that it is "
            "needed: a better prompt with examples may already be good enough, and trying "
            "it costs days, not months."
        ),
    ),
    CaseStudy(
        name="clinic-codes-no-team",
        organisation="Pebblebrook Clinics, a regional network of GP practices",
        story=(
            "Two million visit notes a month must be mapped to the network's internal "
            "billing codes. The codes are not public, so a base model gets many wrong. The "
            "IT department runs the clinics' systems but has nobody who has trained a model."
        ),
        inputs=DecisionInputs(
            monthly_requests=2_000_000,
            requirement_changes="rarely",
            needs_domain_knowledge=True,
            ml_skills=False,
            labelled_examples=10_000,
            upfront_budget="medium",
            prompting_exhausted=True,
        ),
        expected="prompting",
        why=(
            "On paper this is a fine-tuning case, but without ML engineers a training "
            "project is likely to fail; prompting with the code table (or hiring first) is "
            "the realistic path."
        ),
    ),
    CaseStudy(
        name="dispute-classifier",
        organisation="Northwind Payments",
        story=(
            "Eight million card-dispute messages a month are sorted into the reason codes "
            "card schemes require. The categories have not changed in years, auditors "
            "expect the same message to always land in the same code, and months of prompt "
            "tuning have stalled two points short of the target."
        ),
        inputs=DecisionInputs(
            monthly_requests=8_000_000,
            requirement_changes="rarely",
            needs_strict_consistency=True,
            ml_skills=True,
            labelled_examples=50_000,
            upfront_budget="high",
            prompting_exhausted=True,
        ),
        expected="fine-tuning",
        why=(
            "Huge, steady volume, a consistency requirement, stable categories, a capable "
            "team and a prompt that has stopped improving: every condition for fine-tuning "
            "holds."
        ),
    ),
    CaseStudy(
        name="voice-intents",
        organisation="Kestrel Voice, a smart-speaker maker",
        story=(
            "Every spoken command (twenty million a month) is mapped to one of 60 intents "
            "before the device answers, and users notice any delay. The few-shot prompt that "
            "works well is 1,500 tokens long. The company has an ML team and a large "
            "labelled set of commands."
        ),
        inputs=DecisionInputs(
            monthly_requests=20_000_000,
            requirement_changes="rarely",
            latency_sensitive=True,
            ml_skills=True,
            labelled_examples=200_000,
            upfront_budget="medium",
        ),
        expected="fine-tuning",
        why=(
            "Latency is a hard need: a tuned model drops the long example block from every "
            "call, which speeds up and cheapens each request at a volume that repays "
            "training quickly."
        ),
    ),
    CaseStudy(
        name="lab-equipment-support",
        organisation="Helix Instruments, a maker of laboratory analysers",
        story=(
            "Support engineers receive two million tickets a month full of internal part "
            "numbers and error codes. Each ticket also carries the customer's own device "
            "log and service history. An ML team and 30,000 resolved tickets are available."
        ),
        inputs=DecisionInputs(
            monthly_requests=2_000_000,
            requirement_changes="rarely",
            needs_domain_knowledge=True,
            per_request_context=True,
            ml_skills=True,
            labelled_examples=30_000,
            upfront_budget="high",
            prompting_exhausted=True,
        ),
        expected="hybrid",
        why=(
            "The part numbers and error codes are stable knowledge worth training in; the "
            "device log differs for every ticket and belongs in the prompt."
        ),
    ),
    CaseStudy(
        name="telecom-cascade",
        organisation="Orchard Telecom",
        story=(
            "Fifteen million chat messages a month arrive at customer care. Roughly four "
            "in five are routine (balance, bill date, roaming on/off) and a small prompted "
            "model handles them well; the rest are tangled complaints where it struggles "
            "even after many prompt revisions. The company has an ML group and data."
        ),
        inputs=DecisionInputs(
            monthly_requests=15_000_000,
            requirement_changes="sometimes",
            ml_skills=True,
            labelled_examples=100_000,
            upfront_budget="medium",
            prompting_exhausted=True,
            mixed_difficulty=True,
        ),
        expected="hybrid",
        why=(
            "A cascade fits: the cheap prompted model keeps the easy majority and only the "
            "unsure cases go to a fine-tuned model, so the expensive path is paid for only "
            "where it helps."
        ),
    ),
    CaseStudy(
        name="insurance-triage",
        organisation="Marlow Mutual, an insurer",
        story=(
            "Three million claim notes a month are triaged; regulators require that similar "
            "claims be treated alike. New products and cover rules are launched almost every "
            "month. The insurer has a data-science team and years of labelled claims."
        ),
        inputs=DecisionInputs(
            monthly_requests=3_000_000,
            requirement_changes="often",
            needs_strict_consistency=True,
            ml_skills=True,
            labelled_examples=40_000,
            upfront_budget="high",
            prompting_exhausted=True,
        ),
        expected="hybrid",
        why=(
            "Consistent triage is a stable core worth training, while the product rules "
            "move monthly; keeping those rules in the prompt avoids retraining for each "
            "launch."
        ),
    ),
)


def case_study(name: str) -> CaseStudy:
    """Look a case up by its short name."""
    for case in CASE_STUDIES:
        if case.name == name:
            return case
    names = ", ".join(c.name for c in CASE_STUDIES)
    raise KeyError(f"No case study {name!r}; the cases are: {names}.")


def case_table() -> Table:
    """All cases with the expected and the recommended choice side by side."""
    rows = []
    for case in CASE_STUDIES:
        rec = recommend(case.inputs)
        rows.append(
            {
                "case": case.name,
                "organisation": case.organisation,
                "expected": case.expected,
                "recommended": rec.choice,
                "agrees": rec.choice == case.expected,
            }
        )
    return Table(rows)
