"""Prompt variants (lesson 01, C1): grading replies, filling templates."""

from __future__ import annotations

import pytest

from prompt_vs_finetune.data import load_tickets
from prompt_vs_finetune.prompting.variants import (
    C1_VARIANTS,
    PromptVariant,
    answer_label,
    is_valid_format,
    run_variant,
)

LABELS = ["billing", "technical", "shipping", "account", "cancellation", "feature"]


@pytest.mark.parametrize(
    ("reply", "valid"),
    [
        ("billing", True),
        (" Billing. ", True),
        ("'shipping'", True),
        ("billing, shipping", False),
        ("It is billing", False),
        ("", False),
        ("bill", False),
    ],
)
def test_is_valid_format(reply, valid):
    assert is_valid_format(reply, LABELS) is valid


def test_invalid_type_is_not_valid():
    assert is_valid_format(None, LABELS) is False  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("reply", "label"),
    [
        ("billing", "billing"),
        ("This is a Technical issue.", "technical"),
        ("billing, technical, shipping", None),  # several labels: no choice made
        ("Something about my router", None),
        ("billings", None),  # whole words only
        ("", None),
    ],
)
def test_answer_label(reply, label):
    assert answer_label(reply, LABELS) == label


def test_fill_is_safe_with_braces():
    v = PromptVariant("t", "{ticket} | {labels} | {summary}")
    text = v.fill(v.template, " my {weird} ticket ", ["a", "b"], "sum")
    assert text == "my {weird} ticket | a, b | sum"


def test_options_placeholder():
    v = PromptVariant("t", "{options}")
    assert v.fill(v.template, "x", ["a", "b"]) == "- a\n- b"


def test_chat_text_has_system_and_cue(real_tokenizer):
    class LM:
        tokenizer = real_tokenizer

    v = PromptVariant("t", "{ticket}", system="SYS", answer_cue="Category:")
    text = v.chat_text(LM(), "hello")
    assert "SYS" in text and text.endswith("<|im_start|>assistant\nCategory:")


def test_keys_differ_between_variants():
    keys = {v.key() for v in C1_VARIANTS}
    assert len(keys) == len(C1_VARIANTS)
    assert C1_VARIANTS[0].key() == C1_VARIANTS[0].key()


def test_variant_set_has_the_lesson_techniques():
    names = [v.name for v in C1_VARIANTS]
    assert len(names) >= 3 and "bare question" in names and "step by step" in names
    step = next(v for v in C1_VARIANTS if v.name == "step by step")
    assert step.first_step is not None and "{summary}" in step.template


def test_run_variant_on_tiny_model(tiny_lm):
    task = load_tickets("category")
    examples = task.subset("test", 2, seed=0)
    step = next(v for v in C1_VARIANTS if v.first_step)
    out = run_variant(tiny_lm, step, examples, task.labels)
    assert out["n"] == 2 and len(out["replies"]) == 2 and len(out["first_steps"]) == 2
    assert 0 <= out["accuracy"] <= 1 and 0 <= out["format_validity"] <= 1
    assert out["tokens_in"] > 0
    with pytest.raises(ValueError):
        run_variant(tiny_lm, step, [], task.labels)


def test_shots_become_earlier_turns(real_tokenizer):
    class LM:
        tokenizer = real_tokenizer

    v = PromptVariant("t", "T: {ticket}", answer_cue="Category:", shots=(("pay", "billing"),))
    text = v.chat_text(LM(), "T: my router", ["billing"])
    assert "T: pay<|im_end|>" in text and "Category: billing<|im_end|>" in text
    assert text.endswith("T: my router<|im_end|>\n<|im_start|>assistant\nCategory:")


def test_playground_runs_and_rejects_a_template_without_ticket(tiny_lm):
    from prompt_vs_finetune.prompting.variants import playground

    task = load_tickets("category")
    pg = playground(tiny_lm, task.test[:2], task.labels)
    assert pg.result["n"] == 2 and "format validity" in pg.text.value
    pg.set(template="no placeholder here")
    assert pg.error and "{ticket}" in pg.error
    r = pg.compute(template="{ticket} Category?", answer_cue="")
    assert len(r["replies"]) == 2
