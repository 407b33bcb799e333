"""The study on a learner's own task: the report shows the JSON's numbers, the store resumes.

Fast tests run the real steps on the tiny random model (``conftest.make_tiny_lm``) with a
stand-in for the fine-tune, in a temporary course cache; the slow one runs the command end
to end on BBC News headlines with the tiny model saved to a folder, training included.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import pytest
import torch

from prompt_vs_finetune.cli import main as cli
from prompt_vs_finetune.data import from_csv
from prompt_vs_finetune.measure import evaluate as evaluate_module
from prompt_vs_finetune.own_task import StudySettings, run_study, steps, study
from prompt_vs_finetune.own_task.report import (
    FORMATS,
    JSON_NAME,
    REPORT_NAME,
    report_folder,
    show,
    to_html,
)
from prompt_vs_finetune.own_task.sample import COLUMNS, example_csv
from prompt_vs_finetune.prompting.best_prompt import Technique
from prompt_vs_finetune.store.results import ResultsStore
from tests.conftest import make_tiny_lm

TINY = StudySettings(
    techniques=(Technique("plain", (1, 2), "labels take turns", draws=2),),
    dev_n=6, steps=4, eval_every=2, patience=1, n_dev=6, latency_n=3,
)  # fmt: skip
WORDS = {"bad": "awful broken late", "ok": "fine average plain", "good": "great lovely fast"}


def write_reviews(path: Path, per_label: int = 12) -> Path:
    """A small 3-label CSV with unique texts."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["review", "rating"])
        for label, words in WORDS.items():
            for i in range(per_label):
                writer.writerow([f"order {i}: {words.split()[i % 3]} item, {words}", label])
    return path


@pytest.fixture
def task(tmp_path):
    return from_csv(write_reviews(tmp_path / "reviews.csv"), text="review", label="rating")


@pytest.fixture
def counts(monkeypatch, tmp_cache, tiny_lm):
    """Counters of real measurements (the scoring engine's runs), fine-tunes and timings;
    the fine-tune is a stand-in that returns another tiny model."""
    seen = {"measure": 0, "fine_tune": 0, "latency": 0}
    measure, latency = evaluate_module._measure, steps.latency_study

    def counted_measure(*args, **kwargs):
        seen["measure"] += 1
        return measure(*args, **kwargs)

    def fake_fine_tune(task, *, base, **options):
        seen["fine_tune"] += 1
        tuned = make_tiny_lm(base.tokenizer, seed=1, name="tiny-llama+lora-fake")
        return SimpleNamespace(lm=tuned, losses=[1.2, 0.9, 0.8], dev_curve=[(0, 0.3), (2, 0.5)],
                               best_step=2, steps_run=3, seconds=4.5, dev_accuracy=0.5,
                               key="fake")  # fmt: skip

    def counted_latency(*args, **kwargs):
        seen["latency"] += 1
        return latency(*args, **kwargs)

    monkeypatch.setattr(evaluate_module, "_measure", counted_measure)
    monkeypatch.setattr(steps, "fine_tune", fake_fine_tune)
    monkeypatch.setattr(steps, "latency_study", counted_latency)
    return seen


def tiny_study(task, lm):
    return run_study(task, lm=lm, settings=TINY, progress=False)


class _Text(HTMLParser):
    """The page's visible text, and every tagged number (path, kind, text)."""

    def __init__(self):
        super().__init__()
        self.text, self.tagged, self._skip, self._span = [], [], False, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self._skip = tag in ("style", "title")
        if tag == "span" and "data-path" in attrs:
            self._span = [attrs["data-path"], attrs["data-kind"], ""]

    def handle_endtag(self, tag):
        self._skip = False
        if tag == "span" and self._span:
            self.tagged.append(tuple(self._span))
            self._span = None

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)
            if self._span:
                self._span[2] += data


NUMBER = re.compile(r"(?<![\w.$])[-+]?\$?\d[\d,]*(?:\.\d+)?(?:e[-+]?\d+)?%?(?![\w])")


def leaves(value):
    """Every number and every string in a JSON value."""
    if isinstance(value, dict):
        for v in value.values():
            yield from leaves(v)
    elif isinstance(value, list):
        for v in value:
            yield from leaves(v)
    else:
        yield value


def allowed_numbers(data) -> set[str]:
    """Each JSON number in every format of the page, and the numbers inside JSON strings."""
    allowed = set()
    for value in leaves(data):
        if isinstance(value, str):
            allowed |= set(NUMBER.findall(value))
        elif isinstance(value, int | float) and not isinstance(value, bool):
            allowed |= {fmt(value) for fmt in FORMATS.values()}
    return allowed


def lookup(data, path):
    for part in path.split("."):
        data = data[int(part)] if isinstance(data, list) else data[part]
    return data


def test_every_number_in_the_report_is_the_jsons(task, tiny_lm, counts):
    data = tiny_study(task, tiny_lm).to_json()
    page = to_html(data)
    parsed = _Text()
    parsed.feed(page)
    assert len(parsed.tagged) > 30
    for path, kind, text in parsed.tagged:  # a number in a sentence names its JSON value
        assert text == show(lookup(data, path), kind, path.rsplit(".", 1)[-1]), path
    found = NUMBER.findall(" ".join(parsed.text))
    assert found and set(found) <= allowed_numbers(data), set(found) - allowed_numbers(data)
    assert "http" not in page.replace("http-equiv", "") and "<script" not in page
    assert page.count("data:image/png;base64,") == 3


def test_the_report_changes_when_a_stored_value_changes(task, tiny_lm, counts):
    before = tiny_study(task, tiny_lm).to_json()
    store = ResultsStore(verbose=False)
    entry = next(e for e in store.entries(study.KIND) if e["inputs"]["step"] == "zero_shot")
    stored = store.get(study.KIND, entry["inputs"])
    gold = stored["eval"]["gold"]
    wrong = [next(label for label in task.labels if label != g) for g in gold]
    store.put(study.KIND, entry["inputs"], {**stored, "eval": {**stored["eval"],
                                                               "predictions": wrong}})
    after = tiny_study(task, tiny_lm).to_json()
    assert after["accuracy"]["zero_shot"]["value"] == 0.0 != before["accuracy"]["zero_shot"]
    assert to_html(after) != to_html(before)
    path = 'data-path="accuracy.zero_shot.value" data-kind="rate">0.000<'
    assert path not in to_html(before) and f'<td>{FORMATS["rate"](0.0)}</td>' in to_html(after)


def test_a_rerun_reads_the_store_and_measures_nothing(task, tiny_lm, counts):
    first = tiny_study(task, tiny_lm)
    assert counts["measure"] > 0 and counts["fine_tune"] >= 1 and counts["latency"] == 1
    assert not any(t["from_store"] for t in first.timing.values())
    done = dict(counts)
    second = tiny_study(task, tiny_lm)
    assert counts == done
    assert all(t["from_store"] for t in second.timing.values())
    assert second.to_json()["accuracy"] == first.to_json()["accuracy"]


@pytest.mark.parametrize("finished", [1, 3])
def test_an_interrupted_study_resumes_where_it_stopped(task, tiny_lm, counts, monkeypatch,
                                                        finished):  # fmt: skip
    def stop(ctx):
        raise KeyboardInterrupt

    cut = list(steps.STEPS)
    cut[finished] = dataclasses.replace(cut[finished], measure=stop)
    monkeypatch.setattr(study, "STEPS", tuple(cut))
    with pytest.raises(KeyboardInterrupt):
        tiny_study(task, tiny_lm)
    monkeypatch.setattr(study, "STEPS", steps.STEPS)
    resumed = tiny_study(task, tiny_lm)
    from_store = [t["from_store"] for t in resumed.timing.values()]
    assert from_store == [True] * finished + [False] * (len(steps.STEPS) - finished)


def test_the_plan_estimates_every_step_before_it_runs(task, tiny_lm, counts, capsys):
    run_study(task, lm=tiny_lm, settings=TINY, progress=True)
    out = capsys.readouterr().out
    assert all(step.name in out for step in steps.STEPS) and "estimated time" in out
    assert all(row["state"] == "in the store" for row in study.plan(task, model=tiny_lm.name,
                                                                     settings=TINY))


# ---- the command ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("rows", "options", "says"),
    [
        ([["review", "rating"], ["fine", "good"]], ["--text", "text"], "has no column 'text'"),
        ([["review", "rating"], *[[f"r{i}", "good"] for i in range(9)]], [], "only one label"),
        ([["review", "rating"], ["", "good"]], [], "has an empty text"),
    ],
)
def test_the_command_on_bad_data_prints_one_line_and_exits_2(tmp_path, capsys, rows, options,
                                                             says):  # fmt: skip
    data = tmp_path / "bad.csv"
    with data.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    argv = ["compare", str(data), "--text", "review", "--label", "rating", *options]
    assert cli.main(argv) == 2
    captured = capsys.readouterr()
    assert says in captured.err and len(captured.err.strip().splitlines()) == 1
    assert "Traceback" not in captured.err + captured.out
    assert not (tmp_path / "bad-compare").exists()


def test_the_command_never_replaces_a_file_it_did_not_write(task, tiny_lm, counts, tmp_path):
    data = tiny_study(task, tiny_lm).to_json()
    from prompt_vs_finetune.own_task.report import write_report

    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / REPORT_NAME).write_text("my own notes")
    with pytest.raises(FileExistsError, match="not written by this command"):
        write_report(data, folder)
    assert (folder / REPORT_NAME).read_text() == "my own notes"
    assert not (folder / JSON_NAME).exists()
    other = tmp_path / "ours"
    write_report(data, other)
    write_report(data, other)  # its own files are replaced
    assert json.loads((other / JSON_NAME).read_text())["task"] == data["task"]


def test_compare_end_to_end_on_the_tiny_model(tmp_path, tmp_cache, real_tokenizer, capsys,
                                               monkeypatch):  # fmt: skip
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    model = tmp_path / "tiny"
    tiny = make_tiny_lm(real_tokenizer)
    tiny.model.save_pretrained(model)
    tiny.tokenizer.save_pretrained(model)
    data = example_csv(per_topic=12, folder=tmp_path)  # BBC News headlines: nobody here wrote them
    argv = ["compare", str(data), "--text", COLUMNS["text"], "--label", COLUMNS["label"],
            "--quick", "--model", str(model)]  # fmt: skip
    assert cli.main(argv) == 0
    assert "PROMPT_VS_FINETUNE_MODEL" not in os.environ  # --model is this command's setting only
    out = report_folder(data)
    first = json.loads((out / JSON_NAME).read_text())
    assert (out / REPORT_NAME).read_text().startswith("<!DOCTYPE html>")
    assert not any(t["from_store"] for t in first["steps"].values())
    assert cli.main(argv) == 0
    second = json.loads((out / JSON_NAME).read_text())
    assert all(t["from_store"] for t in second["steps"].values())
    assert second["accuracy"] == first["accuracy"]


def test_the_form_reads_the_columns_and_says_what_is_wrong(tmp_path, capsys):
    from prompt_vs_finetune.ui.widgets.own_task import study_launcher

    data = write_reviews(tmp_path / "reviews.csv")
    form = study_launcher(data, text="review", label="rating")
    assert list(form.text.options) == ["review", "rating"]
    assert (form.text.value, form.label.value) == ("review", "rating")
    form.path.value = str(tmp_path / "missing.csv")
    form.read_button.click()  # outside a notebook the form's output area prints
    (line,) = capsys.readouterr().out.replace("\x1b[2K", "").strip().splitlines()
    assert line.startswith("error: No file at")
