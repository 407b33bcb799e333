"""The one evaluation path: one result type, one store kind, one key per measurement."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pytest

import prompt_vs_finetune
from prompt_vs_finetune.data import QUEUE_RULES, load_tickets
from prompt_vs_finetune.measure import evaluate as evaluate_module
from prompt_vs_finetune.measure.evaluate import (
    KIND,
    Evaluation,
    evaluate,
    examples_for,
    score_examples,
    with_account,
)
from prompt_vs_finetune.measure.metrics import accuracy, macro_f1
from prompt_vs_finetune.measure.scoring import score_labels
from prompt_vs_finetune.prompting.fewshot import build_prompt
from prompt_vs_finetune.prompting.versions import TICKET_VERSIONS
from prompt_vs_finetune.store.results import ResultsStore


def stored_inputs() -> list[dict]:
    return [row["inputs"] for row in ResultsStore(verbose=False).entries(KIND)]


@pytest.fixture
def task():
    return load_tickets("category")


def test_result_equals_the_engine_and_is_cached(tiny_lm, tmp_cache, task):
    prompt = build_prompt(task, k=2)
    first = evaluate(tiny_lm, task, prompt, n=6)
    assert isinstance(first, Evaluation) and first.cached is False
    examples = examples_for(task, "test", 6)
    engine = score_labels(tiny_lm, prompt, examples, progress=False)
    gold = [ex.label for ex in examples]
    assert first.ids == [ex.id for ex in examples] and first.gold == gold
    assert first.predictions == engine.predictions
    assert first.accuracy == accuracy(gold, engine.predictions)
    assert first.macro_f1 == macro_f1(gold, engine.predictions, labels=list(task.labels))
    assert first.logprobs == np.asarray(engine.logprobs).round(5).tolist()
    assert first.tokens_per_request == engine.tokens_per_request
    assert first.mean_tokens == pytest.approx(np.mean(engine.tokens_per_request))
    assert first.correct == round(first.accuracy * 6) and first.examples_per_second > 0
    assert (first.k, first.n, first.split, first.seed, first.task) == (2, 6, "test", 0, task.name)
    again = evaluate(tiny_lm, task, prompt, n=6)
    assert again.cached is True and again == Evaluation(**{**vars(first), "cached": True})
    assert len(stored_inputs()) == 1 and "accuracy" in repr(again)


def test_one_key_for_the_same_measurement(tiny_lm, tmp_cache, task):
    evaluate(tiny_lm, task, k=0, split="dev")
    # The same prompt built by the caller, and a seed that chooses nothing: no new entry.
    assert evaluate(tiny_lm, task, build_prompt(task, k=0), split="dev").cached
    assert evaluate(tiny_lm, task, build_prompt(task, k=0), split="dev", seed=3).cached
    assert len(stored_inputs()) == 1
    # Anything that changes the result is a new entry.
    assert not evaluate(tiny_lm, task, k=0, split="dev", n=6).cached
    assert not evaluate(tiny_lm, task, k=0, split="dev", n=6, seed=1).cached
    assert not evaluate(tiny_lm, task, k=0, split="dev", calibrate=True).cached
    assert not evaluate(tiny_lm, task, k=1, split="dev").cached
    keys = {tuple(sorted(i)) for i in stored_inputs()}
    assert keys == {
        ("calibrate", "examples", "instance", "model", "n", "prompt", "seed", "split", "task")
    }
    assert len(stored_inputs()) == 5


def test_explicit_examples(tiny_lm, tmp_cache, task):
    prompt = build_prompt(task, k=0)
    tickets = task.dev[:3]
    r = evaluate(tiny_lm, task, prompt, examples=tickets)
    assert r.ids == [ex.id for ex in tickets] and (r.split, r.seed, r.n) == (None, None, 3)
    assert stored_inputs()[0]["examples"] == r.ids
    assert not evaluate(tiny_lm, task, prompt, examples=task.dev[1:4]).cached
    with pytest.raises(ValueError, match="either"):
        evaluate(tiny_lm, task, prompt, examples=tickets, n=3)
    with pytest.raises(TypeError, match="Example"):
        evaluate(tiny_lm, task, prompt, examples=["a ticket"])


def test_prompt_versions_bring_their_calibration(tiny_lm, tmp_cache, task):
    calibrated = TICKET_VERSIONS[2]
    assert calibrated.calibrate
    r = evaluate(tiny_lm, task, calibrated, split="dev", n=6)
    assert r.calibrated and r.prompt_key == calibrated.build(task).key()
    assert not evaluate(tiny_lm, task, calibrated, split="dev", n=6, calibrate=False).calibrated
    assert evaluate(tiny_lm, task, calibrated.build(task), split="dev", n=6, calibrate=True).cached
    with pytest.raises(TypeError, match="FewShotPrompt"):
        evaluate(tiny_lm, task, "Classify the ticket.")


def test_instance_context_changes_the_request(tiny_lm, tmp_cache):
    queues = load_tickets("queue")
    prompt = build_prompt(queues, k=0, context=QUEUE_RULES)
    plain = evaluate(tiny_lm, queues, prompt, n=4)
    account = evaluate(tiny_lm, queues, prompt, n=4, instance="account")
    assert account.cached is False and account.instance == "account"
    assert all(
        a > p for a, p in zip(account.tokens_per_request, plain.tokens_per_request, strict=True)
    )
    with pytest.raises(ValueError, match="instance"):
        evaluate(tiny_lm, queues, prompt, n=4, instance="crm")


def test_with_account_states_plan_and_device():
    task = load_tickets("queue")
    ex = next(e for e in task.train if e.fields.get("plan") and e.fields.get("product"))
    text = with_account(ex)
    assert text.startswith(ex.text.strip())
    assert ex.fields["plan"] in text and ex.fields["product"] in text
    bare = next(e for e in task.train if not e.fields.get("plan"))
    assert "plan not known" in with_account(bare)


def test_score_examples_keeps_nothing(tiny_lm, tmp_cache, task):
    prompt = build_prompt(task, k=1)
    fresh = score_examples(tiny_lm, prompt, task.dev[:4])
    assert stored_inputs() == [] and fresh.task is None and fresh.cached is False
    stored = evaluate(tiny_lm, task, prompt, examples=task.dev[:4])
    for name in evaluate_module.MEASURED:
        if name != "seconds":
            assert getattr(fresh, name) == getattr(stored, name), name


def test_store_is_read_without_the_model(tmp_cache, task, monkeypatch):
    """A stored evaluation answers without running the engine (a fake model name is enough)."""

    class NamedOnly:
        name = "fake-model"

    def engine(lm, prompt, queries, **kwargs):
        from prompt_vs_finetune.measure.scoring import LabelScores

        labels = list(prompt.labels)
        logprobs = np.zeros((len(queries), len(labels)))
        return LabelScores(labels, logprobs, [labels[0]] * len(queries), 0.5,
                           [10] * len(queries), [0.1] * len(queries))  # fmt: skip

    monkeypatch.setattr(evaluate_module, "score_labels", engine)
    first = evaluate(NamedOnly(), task, k=0, n=6)
    assert first.accuracy == pytest.approx(1 / 6) and first.mean_tokens == 10
    monkeypatch.setattr(evaluate_module, "score_labels", None)  # must not be called again
    assert evaluate(NamedOnly(), task, k=0, n=6).cached


def _imports(tree: ast.Module, module: str) -> set[str]:
    names = set()
    package = module.rsplit(".", 1)[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolve against this module's package
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def test_only_measure_imports_the_scoring_engine():
    root = Path(prompt_vs_finetune.__file__).parent
    engine = "prompt_vs_finetune.measure.scoring"
    offenders = []
    for path in sorted(root.rglob("*.py")):
        module = "prompt_vs_finetune." + ".".join(path.relative_to(root).with_suffix("").parts)
        if module.startswith("prompt_vs_finetune.measure."):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if any(name == engine or name.startswith(engine + ".") for name in _imports(tree, module)):
            offenders.append(str(path.relative_to(root)))
    assert offenders == [], f"import measure.evaluate instead of the engine in {offenders}"
