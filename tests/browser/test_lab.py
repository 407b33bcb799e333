"""Real-browser smoke test: the course as a learner sees it, in JupyterLab and chromium.

Runs in `make test` beside the notebooks; what its two lessons read from the results store is
measured once, by whichever process asks first (the store's locks). Skipped only outside CI
when chromium is missing; in CI a missing browser is a failure.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from lab_driver import CHROMIUM, LabServer, copy_notebooks, error_outputs, run_in_lab  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
TOUR = REPO / "course" / "00_setup_and_tour.ipynb"
WIDGET_LESSON = REPO / "course" / "02_cost_benefit.ipynb"

if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        raise RuntimeError(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
    pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)", allow_module_level=True)


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    root = tmp_path_factory.mktemp("lab")
    copy_notebooks([TOUR, WIDGET_LESSON], root)
    server = LabServer(root).start()
    yield server
    server.stop()
    assert server.process.poll() is not None, "JupyterLab is still running"


def test_tour_runs_clean_in_the_browser(lab, tmp_path):
    report = run_in_lab(lab, TOUR.name, tmp_path)
    assert report.screenshot.exists()
    assert report.errors == []
    assert report.n_code_cells > 0 and report.n_executed == report.n_code_cells


def test_widget_lesson_renders_and_reacts(lab, tmp_path):
    report = run_in_lab(lab, WIDGET_LESSON.name, tmp_path)
    assert report.screenshot.exists()
    assert report.errors == []
    assert report.n_executed == report.n_code_cells
    assert report.n_widgets > 0, "no widget rendered"
    assert report.n_images > 0, "no plot image rendered"
    assert report.slider_changed is True, "moving a slider did not change the widget's output"


def test_a_widget_cell_that_raises_is_caught(lab, tmp_path):
    sys.path.insert(0, str(REPO / "tools"))
    from nbwrite import code, write

    broken = lab.root / "broken_widget.ipynb"
    write(
        broken,
        [
            code("import ipywidgets as w\nslider = w.IntSlider(value=1)\nslider"),
            code("w.interact(lambda x: 1 / 0, x=slider)"),
        ],
    )
    report = run_in_lab(lab, broken.name, tmp_path)
    assert report.errors and "ZeroDivisionError" in report.errors[0]


def test_error_outputs_ignores_warnings_and_progress_bars():
    texts = [
        "UserWarning: something odd",
        "Training: 100%|██████████| 60/60",
        "-" * 75 + "\nValueError                Traceback (most recent call last)\nCell In[3]",
    ]
    assert error_outputs(texts) == [texts[2]]


def test_server_copies_do_not_touch_the_course(lab):
    assert lab.root != TOUR.parent and (lab.root / TOUR.name).exists()
    assert shutil.which("jupyter", path=str(Path(sys.executable).parent))
