"""Label scoring: the cached, batched engine must equal the naive loop, and fail clearly."""

from __future__ import annotations

import functools
import os

import numpy as np
import pytest
import torch
from transformers import LlamaConfig, LlamaForCausalLM

from prompt_vs_finetune.data.task import Example, TaskData
from prompt_vs_finetune.measure.label_batches import split_point
from prompt_vs_finetune.measure.scoring import (
    CONTENT_FREE,
    LabelScores,
    naive_score_labels,
    score_labels,
)
from prompt_vs_finetune.model.generation import PromptTooLongError
from prompt_vs_finetune.model.loading import LoadedModel
from prompt_vs_finetune.prompting.fewshot import build_prompt, prompt_tokens

# "account" starts "account closure" (end marker needed); "cancel order" and
# "cancel service" share their first token; "technical" is a single token.
LABELS = ("billing", "technical", "account", "account closure", "cancel order", "cancel service")
QUERIES = (
    "x",
    "My router keeps dropping the connection every evening, please help!",
    " leading space and trailing  ",
    "Line one\n\nline two: 42% off?",
    "I want to close my account now.",
)


def _examples(split: str, n: int) -> tuple[Example, ...]:
    return tuple(
        Example(f"{split}{i}", f"Ticket {i} about {label}, thanks.", label)
        for i in range(n)
        for label in LABELS
    )


@pytest.fixture(scope="module", autouse=True)
def one_thread():
    """Tiny matrices: one thread is faster, and immune to a busy machine's scheduling."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture(scope="module")
def task() -> TaskData:
    return TaskData(
        name="tickets/category",
        labels=LABELS,
        instruction="Classify the ticket.",
        train=_examples("train", 3),
        dev=_examples("dev", 1),
        test=tuple(Example(f"q{i}", q, LABELS[i % 6]) for i, q in enumerate(QUERIES)),
    )


@pytest.fixture(scope="module")
def lm(real_tokenizer) -> LoadedModel:
    """A seeded 2-layer Llama with the real vocabulary and large weights (peaked outputs)."""
    torch.manual_seed(0)
    config = LlamaConfig(
        vocab_size=len(real_tokenizer),
        hidden_size=32,
        intermediate_size=64,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=2,
        max_position_embeddings=1024,
        tie_word_embeddings=True,
        initializer_range=0.3,  # far from uniform attention: a wrong mask would show
    )
    model = LlamaForCausalLM(config).eval()
    return LoadedModel(model, real_tokenizer, "tiny-llama", "config")


@pytest.mark.parametrize("template", ["chat", "chat_single", "plain"])
@pytest.mark.parametrize("k", [0, 3])
def test_engine_equals_naive(lm, task, template, k):
    prompt = build_prompt(task, k, template=template)
    naive = naive_score_labels(lm, prompt, task.test, progress=False)
    cached = score_labels(lm, prompt, task.test, batch_size=2, progress=False)
    assert cached.info["end_marker"] and naive.info["end_marker"]  # "account" is a prefix
    assert cached.info["cached_prefix_tokens"] > 0
    np.testing.assert_allclose(cached.logprobs, naive.logprobs, atol=1e-4, rtol=0)
    assert cached.predictions == naive.predictions
    assert cached.tokens_per_request == naive.tokens_per_request
    assert np.isfinite(cached.logprobs).all() and (cached.logprobs < 0).all()


def test_batch_sizes_agree(lm, task):
    prompt = build_prompt(task, 4, seed=1)
    one = score_labels(lm, prompt, task.test, batch_size=1, progress=False)
    three = score_labels(lm, prompt, task.test, batch_size=3, progress=False)
    many = score_labels(lm, prompt, task.test, batch_size=64, progress=False)
    np.testing.assert_allclose(one.logprobs, three.logprobs, atol=1e-4, rtol=0)
    np.testing.assert_allclose(one.logprobs, many.logprobs, atol=1e-4, rtol=0)


def test_labels_without_shared_prefix_skip_the_end_marker(lm, task):
    labels = ["billing", "technical", "cancel order", "cancel service"]
    prompt = build_prompt(task, 2)
    naive = naive_score_labels(lm, prompt, task.test, labels, progress=False)
    cached = score_labels(lm, prompt, task.test, labels, progress=False)
    assert not cached.info["end_marker"]
    assert cached.info["fed_label_tokens"] == 2  # "cancel" fed once per two-token label
    np.testing.assert_allclose(cached.logprobs, naive.logprobs, atol=1e-4, rtol=0)
    single = score_labels(lm, prompt, task.test, ["billing", "technical"], progress=False)
    assert single.info["fed_label_tokens"] == 0  # read at the query's last position


def test_logprob_is_sum_over_label_tokens(lm, task):
    """Direct check of one multi-token label against a hand-written computation."""
    prompt = build_prompt(task, 1, template="plain")
    text = task.test[1].text
    scores = score_labels(lm, prompt, [text], progress=False)
    j = scores.labels.index("cancel service")
    tok = lm.tokenizer
    ids = tok(prompt.render(text), add_special_tokens=False)["input_ids"]
    answer = tok(prompt.answer("cancel service", end=True), add_special_tokens=False)["input_ids"]
    assert len(answer) >= 3
    with torch.inference_mode():
        logits = lm.model(torch.tensor([ids + answer])).logits[0]
    lp = torch.log_softmax(logits, -1)
    expected = sum(lp[len(ids) - 1 + m, t].item() for m, t in enumerate(answer))
    assert scores.logprobs[0, j] == pytest.approx(expected, abs=1e-4)


@pytest.mark.parametrize("template", ["chat", "chat_single", "plain"])
def test_prefix_tokens_are_a_stable_start_of_every_prompt(real_tokenizer, task, template):
    """Tokenizing prefix and query separately gives the tokens of the whole text."""
    prompt = build_prompt(task, 3, template=template)

    def enc(text):
        return real_tokenizer(text, add_special_tokens=False)["input_ids"]

    prefix = enc(prompt.prefix)
    full = [enc(prompt.render(q)) for q in QUERIES + CONTENT_FREE]
    n = split_point(prefix, full)
    assert n >= len(prefix) - 1  # at most the last prefix token is recomputed per query
    for q, ids in zip(QUERIES + CONTENT_FREE, full, strict=True):
        assert ids[:n] == prefix[:n]
        assert prefix[:n] + enc(prompt.render(q))[n:] == ids
    for label in LABELS:  # the answer tokenizes the same alone and after the prompt
        answer = enc(prompt.answer(label, end=True))
        assert enc(prompt.render(QUERIES[1]) + prompt.answer(label, end=True)) == full[1] + answer


def test_split_point_backs_off_when_tokens_merge():
    assert split_point([1, 2, 3], [[1, 2, 3, 4], [1, 2, 9, 4]]) == 2
    assert split_point([1, 2, 3], [[1, 2, 3]]) == 2  # leave at least one token per query
    assert split_point([5], [[1, 2]]) == 0


def test_calibration(lm, task):
    prompt = build_prompt(task, 2)
    plain = score_labels(lm, prompt, task.test, progress=False)
    cal = score_labels(lm, prompt, task.test, calibrate=True, progress=False)
    ref = naive_score_labels(lm, prompt, task.test, calibrate=True, progress=False)
    np.testing.assert_allclose(cal.logprobs, plain.logprobs, atol=1e-4, rtol=0)
    assert cal.baseline.shape == (len(LABELS),) and plain.baseline is None
    np.testing.assert_allclose(cal.baseline, ref.baseline, atol=1e-4, rtol=0)
    assert cal.predictions == [LABELS[j] for j in (cal.logprobs - cal.baseline).argmax(1)]
    assert cal.predictions == ref.predictions
    assert len(cal.predictions) == len(task.test) == len(cal.latencies)
    np.testing.assert_allclose(cal.probabilities.sum(1), 1.0)
    assert ((cal.confidence > 0) & (cal.confidence <= 1)).all()


def test_label_scores_fields(lm, task):
    prompt = build_prompt(task, 2)
    s = score_labels(lm, prompt, task.test, progress=False)
    assert isinstance(s, LabelScores) and s.method == "cached"
    assert s.labels == list(LABELS)
    assert s.logprobs.shape == (len(task.test), len(LABELS))
    assert s.predictions == [LABELS[j] for j in s.logprobs.argmax(1)]
    assert s.tokens_per_request == prompt_tokens(lm, prompt, task.test)
    assert len(s.latencies) == len(task.test) and all(t > 0 for t in s.latencies)
    assert s.seconds > 0 and s.examples_per_second > 0 and "ex/s" in repr(s)
    strings = score_labels(lm, prompt, [ex.text for ex in task.test], progress=False)
    np.testing.assert_allclose(strings.logprobs, s.logprobs, atol=1e-5)


def test_model_mode_is_restored(lm, task):
    prompt = build_prompt(task, 1)
    lm.model.train()
    try:
        score_labels(lm, prompt, task.test[:2], progress=False)
        assert lm.model.training
    finally:
        lm.model.eval()


def test_shared_key_value_heads_only_while_scoring(lm, task, monkeypatch):
    """The engine asks transformers for grouped-query attention, then puts the setting back."""
    name = "TRANSFORMERS_SDPA_FORCE_GQA"
    monkeypatch.delenv(name, raising=False)
    seen = []
    forward = lm.model.forward

    @functools.wraps(forward)  # same signature: the engine picks the same arguments
    def spy(*args, **kwargs):
        seen.append(os.environ.get(name))
        return forward(*args, **kwargs)

    monkeypatch.setattr(lm.model, "forward", spy)
    score_labels(lm, build_prompt(task, 1), task.test[:2], progress=False)
    assert seen and set(seen) == {"1"} and name not in os.environ
    monkeypatch.setenv(name, "0")
    score_labels(lm, build_prompt(task, 1), task.test[:2], progress=False)
    assert os.environ[name] == "0"


def test_errors(lm, task):
    prompt = build_prompt(task, 1)
    with pytest.raises(ValueError, match="empty"):
        score_labels(lm, prompt, [])
    with pytest.raises(ValueError, match="no labels"):
        score_labels(lm, build_prompt(task, 0).__class__("x"), task.test)
    with pytest.raises(ValueError, match="distinct"):
        score_labels(lm, prompt, task.test, ["billing", "billing"])
    with pytest.raises(TypeError, match="list of strings"):
        score_labels(lm, prompt, task.test, "billing")
    with pytest.raises(ValueError, match="batch_size"):
        score_labels(lm, prompt, task.test, batch_size=0)
    with pytest.raises(TypeError, match="FewShotPrompt"):
        score_labels(lm, "Classify:", task.test)
    with pytest.raises(TypeError, match="LoadedModel"):
        naive_score_labels(lm.model, prompt, task.test)
    with pytest.raises(TypeError, match="examples"):
        score_labels(lm, prompt, "one ticket")
    with pytest.raises(PromptTooLongError):
        score_labels(lm, prompt, ["word " * 1200])
