"""Tone and style: the voice's rules, the reference replies, the prompt and the comparison."""

from __future__ import annotations

import pytest

from prompt_vs_finetune.data import load_tickets
from prompt_vs_finetune.data.voice import SIGN_OFF, STYLE_GUIDE, WORD_RANGE, first_name, greeting
from prompt_vs_finetune.prompting import style
from prompt_vs_finetune.prompting.style import (
    CHECKS,
    check_reply,
    checked,
    style_comparison,
    style_messages,
)

GOOD = (
    "Hi Maria,\n\nThanks for getting in touch. We will look at both payments today. If one "
    "is a duplicate, we refund it in full. You will get an email when it is done.\n\n"
    f"{SIGN_OFF}"
)


def test_greeting_uses_the_first_name_or_there():
    assert greeting("Maria Lopez") == "Hi Maria,"
    assert greeting("Maria") == "Hi Maria,"
    assert greeting(None) == greeting("  ") == "Hi there,"
    assert first_name(None) is None


def test_a_reply_in_the_voice_passes_every_check():
    assert check_reply(GOOD, "Maria Lopez") == dict.fromkeys(CHECKS, True)


@pytest.mark.parametrize(
    "reply, broken",
    [
        (GOOD.replace("Hi Maria,", "Dear customer,"), "greeting"),
        (GOOD.replace("Hi Maria,", "Hi there,"), "greeting"),  # the ticket gave a name
        (GOOD.replace(SIGN_OFF, "Best regards,\nSupport"), "sign_off"),
        (GOOD.replace("Thanks for", "Unfortunately, thanks for"), "no_forbidden"),
        (GOOD.replace("today.", "as per our policy today."), "no_forbidden"),
        ("Hi Maria, ok. " + SIGN_OFF, "length"),
        (GOOD.replace("today.", "today. " + "word " * 60), "length"),
    ],
)
def test_each_rule_fails_on_its_own(reply, broken):
    result = check_reply(reply, "Maria")
    assert result[broken] is False and result["all"] is False


def test_forbidden_phrases_match_whole_words_only():
    assert check_reply(GOOD.replace("today.", "today, as perhaps expected."), "Maria")[
        "no_forbidden"
    ]


def test_hard_words_in_long_sentences_fail_plain_language():
    heavy = (
        "Hi Maria, notwithstanding considerable organisational complexity, "
        "institutional reconciliation procedures necessitate comprehensive "
        "administrative verification of transactional irregularities, "
        "consequently postponing definitive remediation indefinitely. " + SIGN_OFF
    )
    assert style.reading_ease(heavy) < style.reading_ease(GOOD)
    assert check_reply(heavy, "Maria")["plain_language"] is False
    assert check_reply("", "Maria")["plain_language"] is False


def test_every_reference_reply_keeps_every_rule():
    task = load_tickets("reply")
    for ex in (*task.train, *task.dev, *task.test):
        assert ex.label == ex.fields["reply"]
        assert check_reply(ex.label, ex.fields["customer_name"])["all"], ex.id


def test_the_prompt_carries_the_guide_then_the_shots():
    shots = load_tickets("reply").train[:2]
    messages = style_messages("my wifi is down", shots)
    assert STYLE_GUIDE in messages[0]["content"] and messages[0]["role"] == "system"
    assert [m["role"] for m in messages[1:]] == ["user", "assistant"] * 2 + ["user"]
    assert messages[2]["content"] == shots[0].fields["reply"]
    assert messages[-1]["content"] == "my wifi is down"
    assert f"{WORD_RANGE[0]} and {WORD_RANGE[1]} words" in STYLE_GUIDE


def _replies(examples, texts, tokens):
    n = len(examples)
    return {"ids": [ex.id for ex in examples], "replies": texts, "tokens_in": [tokens] * n,
            "tokens_out": [40] * n, "seconds": [0.1] * n}  # fmt: skip


def test_comparison_pairs_the_checks_ticket_by_ticket():
    examples = load_tickets("reply").test[:6]
    refs = [ex.label for ex in examples]
    prompted = _replies(examples, ["Dear customer, we are on it."] * 6, 400)
    tuned = _replies(examples, refs, 90)
    flags = checked(tuned, examples)
    assert set(flags) == set(CHECKS) and all(v == [1] * 6 for v in flags.values())
    table = style_comparison(prompted, tuned, examples)
    rows = {row["property"]: row for row in table}
    assert list(rows) == list(CHECKS)
    assert rows["all"]["prompt"] == 0.0 and rows["all"]["fine-tune"] == 1.0
    assert rows["all"]["test"] == "McNemar exact" and rows["all"]["n"] == 6
    assert style.mean_tokens(prompted) == 400 and style.mean_tokens(tuned) == 90


def test_replies_for_other_tickets_are_refused():
    examples = load_tickets("reply").test[:3]
    replies = _replies(examples[::-1], ["x"] * 3, 10)
    with pytest.raises(ValueError, match="other tickets"):
        checked(replies, examples)


def test_replies_are_generated_once_and_kept(monkeypatch, tmp_cache, tiny_lm):
    calls = []

    def fake_batch(lm, prompts, **kwargs):
        calls.append((len(prompts), kwargs["chat"]))
        from prompt_vs_finetune.model.generation import Generation

        return [Generation(f"reply {i}", 50 + i, 30, 0.1) for i in range(len(prompts))]

    monkeypatch.setattr(style, "generate_batch", fake_batch)
    examples = load_tickets("reply").test[:3]
    first = style.prompted_replies(tiny_lm, examples, k=1)
    again = style.prompted_replies(tiny_lm, examples, k=1)
    tuned = style.tuned_replies(tiny_lm, examples)
    assert first["replies"] == again["replies"] == ["reply 0", "reply 1", "reply 2"]
    assert first["ids"] == tuned["ids"] == [ex.id for ex in examples]
    assert calls == [(3, True), (3, False)]  # the second prompted call came from the store
