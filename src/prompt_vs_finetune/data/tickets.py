"""Support tickets of Pebblewire, the fictional company of the course's running example.

Pebblewire sells home internet plans and a small family of smart-home devices. The tickets
(``tickets.jsonl`` next to this module) were written by ``tools/make_tickets.py`` and carry
fixed train/dev/test splits; see ``DATA_CARD.md`` for how they were made.

Each record has a category, a priority, an intent, the structured fields of
``TICKET_FIELDS`` (to extract as JSON) and an internal routing ``queue`` that follows
Pebblewire's own rules (``QUEUE_RULES`` / ``route_queue``): knowledge no base model can have.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from prompt_vs_finetune.data.task import SPLITS, Example, TaskData

COMPANY = "Pebblewire"

CATEGORIES: tuple[str, ...] = (
    "billing",
    "technical",
    "shipping",
    "account",
    "cancellation",
    "feature",
)
PRIORITIES: tuple[str, ...] = ("low", "medium", "high", "urgent")
INTENTS_BY_CATEGORY: dict[str, tuple[str, ...]] = {
    "billing": ("refund", "double_charge", "payment_failed", "invoice_question"),
    "technical": ("no_connection", "slow_speed", "device_fault", "setup_help"),
    "shipping": ("track_order", "damaged_item", "wrong_item", "return_item"),
    "account": ("login_problem", "update_details", "security_concern"),
    "cancellation": ("cancel_service", "cancel_order"),
    "feature": ("feature_request",),
}
INTENTS: tuple[str, ...] = tuple(i for c in CATEGORIES for i in INTENTS_BY_CATEGORY[c])

PLANS: tuple[str, ...] = ("Spark 100", "Flow 500", "Torrent Gig", "Harbor Business")
BUSINESS_PLAN = "Harbor Business"
PRODUCTS: tuple[str, ...] = (
    "PebbleHub",  # wifi router / gateway
    "MeshStone",  # mesh extender
    "GlowCam",  # indoor/outdoor camera
    "KnockBell",  # video doorbell
    "ThermoPebble",  # smart thermostat
    "StreamPebble",  # TV streaming box
)
CAMERA_PRODUCTS: tuple[str, ...] = ("GlowCam", "KnockBell")

QUEUES: tuple[str, ...] = (
    "LEDGER",
    "FERN-2",
    "OWL-3",
    "KESTREL",
    "DOCK-9",
    "VAULT",
    "EMBER",
    "SPROUT",
)

#: The extraction fields of a ticket (JSON keys); absent information is ``None`` (JSON null).
TICKET_FIELDS: tuple[str, ...] = (
    "customer_name",
    "email",
    "order_id",
    "product",
    "plan",
    "intent",
)
#: Task views ``load_tickets`` offers (the record field that becomes ``Example.label``).
TICKET_TARGETS: tuple[str, ...] = ("category", "priority", "queue", "intent")
#: Generation views: ``Example.label`` is a text to write, not a class, and ``labels`` is
#: empty. "fields": the ``TICKET_FIELDS`` as one JSON object (``fields_json``); "reply":
#: the reference reply in Pebblewire's voice (``data/voice.py``).
GENERATION_TARGETS: tuple[str, ...] = ("fields", "reply")

QUEUE_RULES = """\
Pebblewire routes every support ticket to one internal queue. Apply the first rule that matches:
1. Technical tickets about a GlowCam or KnockBell go to OWL-3 (home security team),
   whatever the plan.
2. Billing, technical and cancellation tickets from customers on the Harbor Business plan
   go to KESTREL (business care).
3. All other billing tickets go to LEDGER.
4. All other technical tickets go to FERN-2.
5. All other cancellation tickets go to EMBER (retention team).
6. Shipping tickets go to DOCK-9.
7. Account tickets go to VAULT.
8. Feature requests go to SPROUT."""

_INSTRUCTIONS = {
    "category": (
        "Classify the customer support ticket into exactly one category: billing, technical, "
        "shipping, account, cancellation or feature."
    ),
    "priority": (
        "Rate how urgent the customer support ticket is with exactly one priority: low, medium, "
        "high or urgent."
    ),
    "queue": (
        "Route the customer support ticket to exactly one Pebblewire internal queue: "
        + ", ".join(QUEUES[:-1])
        + " or "
        + QUEUES[-1]
        + "."
    ),
    "intent": (
        "Name the customer's main intent in the support ticket with exactly one of: "
        + ", ".join(INTENTS[:-1])
        + " or "
        + INTENTS[-1]
        + "."
    ),
    "fields": (
        "Extract " + ", ".join(TICKET_FIELDS) + " from the customer support ticket as one JSON "
        "object. Use null for anything the ticket does not say."
    ),
    "reply": "Write Pebblewire's reply to the customer support ticket.",
}
_LABELS = {
    "category": CATEGORIES,
    "priority": PRIORITIES,
    "queue": QUEUES,
    "intent": INTENTS,
}


def route_queue(category: str, plan: str | None, product: str | None) -> str:
    """The internal queue of a ticket under Pebblewire's routing rules (``QUEUE_RULES``)."""
    if category not in CATEGORIES:
        raise ValueError(f"unknown category {category!r}; expected one of {', '.join(CATEGORIES)}")
    if category == "technical" and product in CAMERA_PRODUCTS:
        return "OWL-3"
    if plan == BUSINESS_PLAN and category in ("billing", "technical", "cancellation"):
        return "KESTREL"
    return {
        "billing": "LEDGER",
        "technical": "FERN-2",
        "cancellation": "EMBER",
        "shipping": "DOCK-9",
        "account": "VAULT",
        "feature": "SPROUT",
    }[category]


def fields_json(fields: Mapping[str, Any], names: Sequence[str] = TICKET_FIELDS) -> str:
    """The gold answer of the JSON task: ``names`` from ``fields``, in order (absent: null)."""
    return json.dumps({name: fields.get(name) for name in names}, ensure_ascii=False)


@lru_cache(maxsize=1)
def load_ticket_records() -> tuple[dict[str, Any], ...]:
    """All ticket records as stored (dicts with ``id``, ``split``, ``text`` and gold fields)."""
    path = resources.files(__package__).joinpath("tickets.jsonl")
    with path.open("r", encoding="utf-8") as fh:
        return tuple(json.loads(line) for line in fh if line.strip())


@cache
def load_tickets(target: str = "category") -> TaskData:
    """The Pebblewire tickets as a task: ``Example.label`` is the record's ``target`` field.

    ``target`` is one of ``TICKET_TARGETS`` ("category", "priority", "queue" or "intent")
    or of ``GENERATION_TARGETS`` ("fields": the JSON of ``TICKET_FIELDS``; "reply": the
    reference reply), whose label is a text to write and whose ``labels`` are empty.
    The splits are fixed in the data file; ``Example.fields`` holds every gold field.
    """
    if target not in TICKET_TARGETS + GENERATION_TARGETS:
        known = ", ".join(TICKET_TARGETS + GENERATION_TARGETS)
        raise ValueError(f"unknown ticket target {target!r}; expected one of {known}")
    splits: dict[str, list[Example]] = {s: [] for s in SPLITS}
    for rec in load_ticket_records():
        fields = {k: v for k, v in rec.items() if k not in ("id", "text", "split")}
        label = fields_json(fields) if target == "fields" else rec[target]
        splits[rec["split"]].append(
            Example(id=rec["id"], text=rec["text"], label=label, fields=fields)
        )
    return TaskData(
        name=f"tickets/{target}",
        labels=_LABELS.get(target, ()),
        instruction=_INSTRUCTIONS[target],
        train=tuple(splits["train"]),
        dev=tuple(splits["dev"]),
        test=tuple(splits["test"]),
    )
