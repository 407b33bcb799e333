"""Few-shot prompt building: strategies, orders, templates, determinism and errors."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from prompt_vs_finetune.data.task import Example, TaskData
from prompt_vs_finetune.model.loading import LoadedModel
from prompt_vs_finetune.prompting.fewshot import (
    ORDERS,
    STRATEGIES,
    TEMPLATES,
    FewShotPrompt,
    build_prompt,
    prompt_tokens,
    show_prompt,
)

LABELS = ("billing", "technical", "account", "account closure")
WORDS = {
    "billing": ["charged twice", "refund my invoice", "payment failed", "bill is wrong"],
    "technical": ["router keeps dropping", "wifi is slow", "camera offline", "no connection"],
    "account": ["reset my password", "change my email", "cannot log in", "update my address"],
    "account closure": ["close my account", "delete my account", "end my contract", "leave now"],
}


def make_task(n_per_label: int = 6) -> TaskData:
    def examples(split: str, n: int) -> tuple[Example, ...]:
        out = []
        for label in LABELS:
            for i in range(n):
                phrase = WORDS[label][i % len(WORDS[label])]
                out.append(Example(f"{split}-{label}-{i}", f"Hello, {phrase} ({i}).", label))
        return tuple(out)

    return TaskData(
        name="tickets/category",
        labels=LABELS,
        instruction="Classify the ticket into one category.",
        train=examples("train", n_per_label),
        dev=examples("dev", 2),
        test=examples("test", 2),
    )


@pytest.fixture(scope="module")
def task() -> TaskData:
    return make_task()


def test_balanced_covers_every_label_evenly(task):
    for k in (4, 6, 8, 11):
        prompt = build_prompt(task, k, strategy="balanced", seed=3)
        counts = Counter(ex.label for ex in prompt.examples)
        assert len(prompt.examples) == k
        assert set(counts) == set(LABELS)
        assert max(counts.values()) - min(counts.values()) <= 1


def test_same_seed_same_prompt_and_other_seed_differs(task):
    for strategy in STRATEGIES:
        a = build_prompt(task, 6, strategy=strategy, seed=1)
        b = build_prompt(task, 6, strategy=strategy, seed=1)
        assert a == b and a.key() == b.key()
    keys = {build_prompt(task, 6, seed=s).key() for s in range(5)}
    assert len(keys) > 1


def test_random_strategy_draws_from_the_pool(task):
    prompt = build_prompt(task, 7, strategy="random", seed=0)
    assert len(set(prompt.examples)) == 7
    assert set(prompt.examples) <= set(task.train)
    dev = build_prompt(task, 3, strategy="random", pool="dev")
    assert set(dev.examples) <= set(task.dev)


def test_nearest_without_query_takes_typical_examples_per_label(task):
    prompt = build_prompt(task, 4, strategy="nearest")
    assert Counter(ex.label for ex in prompt.examples) == Counter(LABELS)


def test_nearest_with_query_takes_the_most_similar(task):
    query = task.train[5].text
    prompt = build_prompt(task, 3, strategy="nearest", query=query, order="grouped")
    assert task.train[5] in prompt.examples
    with pytest.raises(ValueError, match="nearest"):
        build_prompt(task, 3, query=query)


def test_orders_arrange_the_same_selection(task):
    grouped = build_prompt(task, 8, order="grouped", seed=2)
    shuffled = build_prompt(task, 8, order="shuffled", seed=2)
    inter = build_prompt(task, 8, order="interleaved", seed=2)
    assert set(grouped.examples) == set(shuffled.examples) == set(inter.examples)
    labels = [ex.label for ex in grouped.examples]
    assert labels == sorted(labels, key=LABELS.index)  # each label's examples together
    assert [ex.label for ex in inter.examples] == list(LABELS) * 2


@pytest.mark.parametrize("template", TEMPLATES)
def test_render_is_prefix_query_and_cue(task, template):
    prompt = build_prompt(task, 4, template=template, context="Rule: be kind.")
    text = "My router is broken"
    full = prompt.render(text)
    assert full.startswith(prompt.prefix)
    assert full.endswith(text + prompt.after_query)
    assert full.endswith("Category:")
    assert prompt.answer("billing", end=False) == " billing"
    assert prompt.answer("billing") == " billing" + prompt.end
    # the examples read exactly like an answer to the query does
    for ex in prompt.examples:
        assert f"Category: {ex.label}" in prompt.prefix
    # instruction, then context, then the examples
    assert prompt.prefix.index(task.instruction) < prompt.prefix.index("Rule: be kind.")
    assert prompt.prefix.index("Rule: be kind.") < prompt.prefix.index(prompt.examples[0].text)


@pytest.mark.parametrize("template", ["chat", "chat_single"])
def test_chat_render_matches_the_tokenizer_chat_template(real_tokenizer, task, template):
    prompt = build_prompt(task, 3, template=template)
    text = "Where is my order?"
    expected = real_tokenizer.apply_chat_template(
        prompt.messages(text), add_generation_prompt=True, tokenize=False
    )
    assert prompt.render(text) == expected + "Category:"


def test_plain_template_has_no_chat_markup(task):
    prompt = build_prompt(task, 2, template="plain")
    assert "<|im_start|>" not in prompt.render("hi")
    assert prompt.prefix.endswith("Ticket: ")
    with pytest.raises(ValueError, match="plain"):
        prompt.messages("hi")


def test_k0_is_instruction_only(task):
    for template in TEMPLATES:
        prompt = build_prompt(task, 0, template=template)
        assert prompt.k == 0 and prompt.examples == ()
        assert task.instruction in prompt.prefix
        assert "Category: " not in prompt.prefix
        assert prompt.render("hi").endswith("hi" + prompt.after_query)


def test_key_is_stable_hash_of_content(task):
    a = build_prompt(task, 4)
    assert re.fullmatch(r"[0-9a-f]{64}", a.key())
    same_content = FewShotPrompt(
        a.instruction, a.examples, a.template, a.labels, a.context, "Ticket", "Category",
        strategy="random", order="grouped", seed=99,
    )  # fmt: skip
    assert same_content.key() == a.key()
    assert build_prompt(task, 4, context="x").key() != a.key()
    assert build_prompt(task, 4, template="plain").key() != a.key()
    assert build_prompt(task, 4, instruction="Other.").key() != a.key()


def test_default_instruction_and_names(task):
    prompt = build_prompt(task, 2)
    assert prompt.instruction == task.instruction
    assert (prompt.input_name, prompt.output_name) == ("Ticket", "Category")
    assert build_prompt(task, 2, instruction="Sort it.").instruction == "Sort it."
    assert "k=2" in repr(prompt)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"k": 25}, ValueError, "more than the 24"),
        ({"k": -1}, ValueError, "k must be"),
        ({"k": 2.0}, ValueError, "k must be"),
        ({"k": True}, ValueError, "k must be"),
        ({"strategy": "best"}, ValueError, "unknown strategy"),
        ({"order": "alphabetical"}, ValueError, "unknown order"),
        ({"template": "json"}, ValueError, "unknown template"),
        ({"pool": "test"}, ValueError, "leak"),
        ({"instruction": 3}, TypeError, "instruction"),
        ({"context": ["rules"]}, TypeError, "context"),
        ({"seed": "0"}, TypeError, "seed"),
    ],
)
def test_bad_arguments_have_clear_errors(task, kwargs, error, match):
    with pytest.raises(error, match=match):
        build_prompt(task, **{"k": 2, **kwargs})


def test_wrong_task_type_and_render_type(task):
    with pytest.raises(TypeError, match="TaskData"):
        build_prompt(["not", "a", "task"], 2)
    with pytest.raises(TypeError, match="render"):
        build_prompt(task, 1).render(None)
    with pytest.raises(ValueError, match="template"):
        FewShotPrompt("x", template="html")


def test_every_strategy_and_order_builds(task):
    for strategy in STRATEGIES:
        for order in ORDERS:
            assert build_prompt(task, 5, strategy=strategy, order=order).k == 5


def test_prompt_tokens_and_show_prompt(real_tokenizer, task, capsys):
    lm = LoadedModel(model=None, tokenizer=real_tokenizer, name="tok-only", source="test")
    prompt = build_prompt(task, 2)
    counts = prompt_tokens(lm, prompt, task.test[:3])
    expected = [
        len(real_tokenizer(prompt.render(ex.text), add_special_tokens=False)["input_ids"])
        for ex in task.test[:3]
    ]
    assert counts == expected
    show_prompt(lm, prompt, task.test[0])
    out = capsys.readouterr().out
    assert task.test[0].text in out and f"{expected[0]} tokens" in out
    show_prompt(lm, prompt)
    assert "shared prefix" in capsys.readouterr().out
    with pytest.raises(TypeError, match="FewShotPrompt"):
        show_prompt(lm, "a prompt")


def test_real_ticket_task_if_available():
    datasets = pytest.importorskip("prompt_vs_finetune.data")
    if not hasattr(datasets, "load_tickets"):
        pytest.skip("datasets.load_tickets not available yet")
    task = datasets.load_tickets("category")
    prompt = build_prompt(task, 8)
    assert {ex.label for ex in prompt.examples} == set(task.labels)
    assert prompt.render("x").endswith("<|im_start|>assistant\nCategory:")
