"""Pebblewire's voice: the style guide its support replies follow.

Every ticket in ``tickets.jsonl`` carries a reference ``reply`` that
``tools/make_tickets.py`` wrote to this guide, and ``prompting.style`` checks any reply
against it (lesson 05, tone and style). The guide is company convention, not knowledge:
a greeting by first name, a fixed sign-off, phrases the company never uses, a length
range and plain, short sentences (a reading-ease floor).
"""

from __future__ import annotations

__all__ = [
    "FORBIDDEN_PHRASES",
    "MIN_READING_EASE",
    "SIGN_OFF",
    "STYLE_GUIDE",
    "WORD_RANGE",
    "first_name",
    "greeting",
]

#: The sign-off every reply ends with.
SIGN_OFF = "Warm wishes,\nThe Pebblewire team"
#: Phrases Pebblewire never writes to a customer (compared ignoring case).
FORBIDDEN_PHRASES: tuple[str, ...] = (
    "unfortunately",
    "as per",
    "inconvenience",
    "do not hesitate",
    "kindly",
)
#: Words in a reply, greeting and sign-off included (both ends allowed).
WORD_RANGE: tuple[int, int] = (25, 70)
#: The lowest Flesch reading ease a reply may have (60 and above reads as plain English).
MIN_READING_EASE = 60.0

STYLE_GUIDE = f"""\
Write the reply in Pebblewire's voice:
1. Start with "Hi", the customer's first name and a comma, for example "Hi Maria,". \
If the ticket gives no name, start with "Hi there,".
2. Write short, plain sentences. Say what happens next and when.
3. Keep the reply between {WORD_RANGE[0]} and {WORD_RANGE[1]} words.
4. Never write {", ".join(f'"{p}"' for p in FORBIDDEN_PHRASES)}.
5. End with exactly this sign-off:
{SIGN_OFF}"""


def first_name(customer_name: str | None) -> str | None:
    """The first word of the name the customer wrote (None when the ticket gives none)."""
    if not customer_name or not customer_name.strip():
        return None
    return customer_name.split()[0]


def greeting(customer_name: str | None) -> str:
    """How a reply opens: ``"Hi Maria,"``, or ``"Hi there,"`` without a name."""
    return f"Hi {first_name(customer_name) or 'there'},"
