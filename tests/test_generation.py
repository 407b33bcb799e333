"""Generation helper and token counting."""

from __future__ import annotations

import pytest

from prompt_vs_finetune.model.generation import (
    PromptTooLongError,
    count_tokens,
    encode,
    generate,
    generate_batch,
    show_tokens,
)
from prompt_vs_finetune.model.sampling import sample_answers


def test_generate_returns_text_and_token_counts(tiny_lm):
    out = generate(tiny_lm, "Hello there", max_new_tokens=5)
    assert out.tokens_in == len(encode(tiny_lm, "Hello there"))
    assert 1 <= out.tokens_out <= 5
    assert isinstance(out.text, str) and out.seconds > 0
    assert str(out) == out.text


def test_greedy_is_repeatable_and_sampling_is_seeded(tiny_lm):
    a = generate(tiny_lm, "Hello", max_new_tokens=6)
    b = generate(tiny_lm, "Hello", max_new_tokens=6)
    assert a.text == b.text
    s1 = generate(tiny_lm, "Hello", max_new_tokens=8, temperature=1.0, seed=3)
    s2 = generate(tiny_lm, "Hello", max_new_tokens=8, temperature=1.0, seed=3)
    assert s1.text == s2.text


def test_plain_and_chat_prompts_differ(tiny_lm):
    chat_ids = encode(tiny_lm, "Hi", chat=True)
    plain_ids = encode(tiny_lm, "Hi", chat=False)
    assert len(chat_ids) > len(plain_ids)
    messages = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}]
    with_system = tiny_lm.tokenizer.decode(encode(tiny_lm, messages))
    assert "Be brief." in with_system and with_system.count("<|im_start|>system") == 1


def test_count_and_show_tokens_agree(tiny_lm):
    text = "Tokenization splits words into pieces."
    pieces = show_tokens(tiny_lm, text)
    assert count_tokens(tiny_lm, text) == len(pieces)
    assert "".join(piece for piece, _ in pieces) == text


def test_prompt_longer_than_context_is_explained(tiny_lm):
    long_text = "word " * 600  # the tiny model's context is 512 tokens
    with pytest.raises(PromptTooLongError, match="fewer or shorter examples"):
        generate(tiny_lm, long_text, max_new_tokens=4)


@pytest.mark.parametrize("bad", [42, [{"role": "user"}], None])
def test_wrong_prompt_type_is_explained(tiny_lm, bad):
    with pytest.raises(TypeError, match="A prompt is a string"):
        generate(tiny_lm, bad)


def test_bad_options_are_explained(tiny_lm):
    with pytest.raises(ValueError, match="max_new_tokens"):
        generate(tiny_lm, "Hi", max_new_tokens=0)
    with pytest.raises(ValueError, match="temperature"):
        generate(tiny_lm, "Hi", temperature=-1)


def test_batched_answers_match_one_at_a_time(tiny_lm):
    prompts = ["Hello there", "Hi", "A much longer prompt with many more words in it", "Ok"]
    single = [generate(tiny_lm, p, max_new_tokens=6) for p in prompts]
    batched = generate_batch(tiny_lm, prompts, max_new_tokens=6, batch_size=3)
    assert [g.text for g in batched] == [g.text for g in single]  # left padding changes nothing
    assert [g.tokens_in for g in batched] == [g.tokens_in for g in single]
    assert [g.tokens_out for g in batched] == [g.tokens_out for g in single]
    assert all(g.seconds >= 0 for g in batched)


def test_batched_answers_stop_per_row(tiny_lm):
    full = generate_batch(tiny_lm, ["Hello", "Hi"], max_new_tokens=8)
    seen = []

    def two_chars(text):
        seen.append(text)
        return len(text) >= 2

    short = generate_batch(tiny_lm, ["Hello", "Hi"], max_new_tokens=8, stop_when=two_chars)
    for whole, cut in zip(full, short, strict=True):
        assert cut.tokens_out <= whole.tokens_out
        assert whole.text.startswith(cut.text) or len(whole.text) < 2
    assert seen  # the rule was asked after each new token
    prefilled = generate_batch(tiny_lm, ["Hello"], max_new_tokens=2, prefill="Sure:")
    assert prefilled[0].text.startswith("Sure:")


def test_batched_bad_arguments_are_explained(tiny_lm):
    with pytest.raises(TypeError, match="list of prompts"):
        generate_batch(tiny_lm, "Hi")
    with pytest.raises(ValueError, match="max_new_tokens"):
        generate_batch(tiny_lm, ["Hi"], max_new_tokens=0)
    with pytest.raises(ValueError, match="batch_size"):
        generate_batch(tiny_lm, ["Hi"], batch_size=0)
    with pytest.raises(PromptTooLongError):
        generate_batch(tiny_lm, ["word " * 5000], max_new_tokens=4)


@pytest.mark.parametrize("temperature", [0.7, 1.0, 3.0])
def test_samples_side_by_side_equal_one_seed_at_a_time(tiny_lm, temperature):
    one_by_one = [
        generate(tiny_lm, "Hello", max_new_tokens=5, temperature=temperature, seed=4 + j)
        for j in range(4)
    ]
    together = sample_answers(
        tiny_lm, "Hello", 4, temperature=temperature, seed=4, max_new_tokens=5
    )
    assert [g.text for g in together] == [g.text for g in one_by_one]
    assert [g.tokens_out for g in together] == [g.tokens_out for g in one_by_one]
    assert len({g.text for g in together}) > 1  # they really are different samples


def test_sampling_bad_arguments_are_explained(tiny_lm):
    with pytest.raises(ValueError, match="temperature"):
        sample_answers(tiny_lm, "Hi", 2, temperature=0)
    with pytest.raises(ValueError, match="n_samples"):
        sample_answers(tiny_lm, "Hi", 0, temperature=1.0)
    with pytest.raises(ValueError, match="max_new_tokens"):
        sample_answers(tiny_lm, "Hi", 2, temperature=1.0, max_new_tokens=0)


def test_shared_prefix_length_leaves_each_row_a_token_of_its_own():
    from prompt_vs_finetune.model.generation import shared_prefix_length

    assert shared_prefix_length([[1, 2, 3, 4], [1, 2, 5]]) == 2
    assert shared_prefix_length([[1, 2, 3], [1, 2, 3]]) == 2
    assert shared_prefix_length([[7], [7, 8]]) == 0
    assert shared_prefix_length([[1, 2], [3, 2]]) == 0


def test_reading_the_shared_prefix_once_gives_the_same_answers(tiny_lm, monkeypatch):
    from prompt_vs_finetune.model import generation

    shots = "Sort each ticket into billing, bug or account. " * 4
    rows = [generation.encode(tiny_lm, shots + f"Ticket {i}: " + "please help " * i)
            for i in range(5)]  # fmt: skip
    pad, stop = tiny_lm.tokenizer.pad_token_id, generation.stop_token_ids(tiny_lm)
    assert generation.shared_prefix_length(rows) >= generation.MIN_SHARED_PREFIX
    shared, _ = generation._generate_rows(tiny_lm, rows, 10, pad, stop, "", None)
    monkeypatch.setattr(generation, "MIN_SHARED_PREFIX", 10**6)  # every row read whole
    whole, _ = generation._generate_rows(tiny_lm, rows, 10, pad, stop, "", None)
    assert shared == whole and all(len(answer) == 10 for answer in whole)
