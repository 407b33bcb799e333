"""The time ledger: per-notebook sums, the slowest cells, adoption, lesson headers, README."""

from __future__ import annotations

import json

import pytest

from prompt_vs_finetune.store import timings


@pytest.fixture(autouse=True)
def _own_cache(tmp_cache):
    """Each test reads and writes a cache of its own."""


def _timer(cold: bool = True) -> timings.RunTimer:
    timer = timings.RunTimer(cold=cold)
    timer.add("tests/test_x.py::test_a", 2.0)
    timer.add("course/05_where_prompting_fits.ipynb::Cell 0", 30.0)
    timer.add("course/05_where_prompting_fits.ipynb::Cell 0", 1.5)  # setup and call add up
    timer.add("course/05_where_prompting_fits.ipynb::Cell 1", 4.0)
    timer.add("course/06_where_finetuning_fits.ipynb::Cell 3", 100.0)
    timer.add("solutions/06_where_finetuning_fits_exercises.ipynb::Cell 2", 7.0)
    return timer


def test_summary_sums_cells_per_notebook_and_keeps_tests_apart():
    entry = _timer().summary()
    assert entry["notebooks"]["course/05_where_prompting_fits.ipynb"] == 35.5
    assert entry["tests_s"] == 2.0 and entry["notebooks_s"] == 142.5
    assert list(entry["slowest_cells"])[0] == "course/06_where_finetuning_fits.ipynb::Cell 3"
    assert entry["cold"] is True


def test_report_names_the_slowest_notebooks_first():
    lines = _timer().report(n=2)
    assert lines[0].startswith("time ledger (cold cache)")
    assert "06_where_finetuning_fits.ipynb" in lines[2] and "05_where" in lines[3]
    assert len([x for x in lines if x.startswith("  ")]) == 4


def test_adopt_files_the_run_under_cold_or_warm(tmp_path):
    ledger = tmp_path / "ledger.json"
    for cold in (True, False):
        run = tmp_path / "run.json"
        _timer(cold).save(run)
        assert timings.adopt(run, ledger) == ("cold" if cold else "warm")
    assert set(json.loads(ledger.read_text())) == {"cold", "warm"}


def test_adopt_refuses_a_run_of_one_notebook(tmp_path):
    timer = timings.RunTimer(cold=False)
    timer.add("course/00_setup_and_tour.ipynb::Cell 0", 1.0)
    run = timer.save(tmp_path / "run.json")
    with pytest.raises(ValueError, match="fewer than two lessons"):
        timings.adopt(run, tmp_path / "ledger.json")


def test_lesson_time_reads_the_ledger_not_a_typed_number():
    ledger = {"cold": _timer(True).summary(), "warm": _timer(False).summary()}
    ledger["warm"]["notebooks"]["course/05_where_prompting_fits.ipynb"] = 12.0
    sentence = timings.lesson_time("05_where_prompting_fits", ledger)
    assert "12 s with a warm cache" in sentence and "36 s with a cold cache" in sentence
    assert "not in the time ledger" in timings.lesson_time("12_your_own_task", ledger)


def test_readme_table_lists_each_lesson_and_moves_with_the_ledger(tmp_path):
    ledger = {"cold": _timer(True).summary()}
    readme = tmp_path / "README.md"
    readme.write_text(f"intro\n{timings.README_START}\nSTALE\n{timings.README_END}\nrest\n")
    assert timings.write_readme(readme, ledger)
    text = readme.read_text()
    assert "lesson `05_where_prompting_fits`" in text and "STALE" not in text
    assert text.endswith(f"{timings.README_END}\nrest\n")
    assert not timings.write_readme(readme, ledger)
    ledger["cold"]["notebooks"]["course/05_where_prompting_fits.ipynb"] = 500.0
    assert timings.write_readme(readme, ledger) and "8.3 minutes" in readme.read_text()


def test_the_shipped_readme_table_is_the_shipped_ledger():
    from pathlib import Path

    readme = (Path(__file__).parents[1] / "README.md").read_text()
    assert timings.readme_table() in readme


def test_the_report_counts_what_the_run_built_and_flags_a_second_build(tmp_cache):
    from prompt_vs_finetune.store.cachefiles import build_atomically
    from prompt_vs_finetune.store.paths import cache_subdir

    timer = _timer()
    folder = cache_subdir("checkpoints")
    build_atomically(folder / "run-a", lambda tmp: (tmp / "w.bin").write_bytes(b"1"))
    build_atomically(folder / "run-a", lambda tmp: (tmp / "w.bin").write_bytes(b"1"))  # cached
    assert timer.summary()["built"] == {"models": [], "checkpoints": ["run-a"]}
    assert "built into the cache (checkpoints): 1, each once" in timer.report()
    (folder / "run-a" / "w.bin").write_bytes(b"damaged")
    build_atomically(folder / "run-a", lambda tmp: (tmp / "w.bin").write_bytes(b"1"))
    assert "TWICE: run-a" in timer.report()[-1]


def test_run_order_is_longest_first_with_lesson_11_last():
    ledger = {"cold": {
        "notebooks": {"course/05_a.ipynb": 300.0, "course/02_b.ipynb": 50.0,
                      "solutions/05_a_exercises.ipynb": 12.0,
                      "exercises/05_a_exercises.ipynb": 9.0},
        "test_files": {"tests/test_slow.py": 150.0, "tests/test_fast.py": 1.0},
    }}  # fmt: skip
    paths = ["course/02_b.ipynb", "course/05_a.ipynb", "course/11_decision.ipynb",
             "course/13_new.ipynb", "exercises/05_a_exercises.ipynb",
             "solutions/05_a_exercises.ipynb", "tests/test_fast.py", "tests/test_new.py",
             "tests/test_slow.py"]  # fmt: skip
    assert timings.run_order(paths, ledger) == [
        "course/13_new.ipynb",  # not in the ledger yet: counted as long
        "course/05_a.ipynb", "tests/test_slow.py", "course/02_b.ipynb", "tests/test_fast.py",
        "tests/test_new.py",
        "solutions/05_a_exercises.ipynb", "exercises/05_a_exercises.ipynb",
        "course/11_decision.ipynb",
    ]  # fmt: skip


def test_summary_keeps_each_test_files_seconds():
    entry = _timer().summary()
    assert entry["test_files"] == {"tests/test_x.py": 2.0} and entry["tests_s"] == 2.0
    assert entry["workers"] == 1
