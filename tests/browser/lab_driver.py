"""Drive a real JupyterLab in Debian's chromium: run every cell and report what rendered.

Used by the browser smoke tests. The server runs on a free loopback port with a random
token, in a temporary folder holding copies of the notebooks (so JupyterLab's autosave
never touches the course), and is shut down by its process id.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# JupyterLab renders an exception as stderr text holding IPython's traceback banner.
TRACEBACK = re.compile(
    r"Traceback \(most recent call last\)|^-{20,}\s*\n\s*\w+(Error|Exception)", re.M
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class LabServer:
    """A JupyterLab server on loopback, serving ``root``."""

    root: Path
    port: int = field(default_factory=free_port)
    token: str = field(default_factory=lambda: secrets.token_hex(16))
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 90) -> LabServer:
        jupyter = Path(sys.executable).with_name("jupyter")
        log = open(self.root / "jupyter.log", "w")  # noqa: SIM115 - closed with the process
        self.process = subprocess.Popen(
            [
                str(jupyter), "lab", "--no-browser", "--ip=127.0.0.1", f"--port={self.port}",
                f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={self.root}",
                "--ServerApp.open_browser=False", "--allow-root", "--LabApp.news_url=None",
                "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            ],
            stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "HF_HUB_OFFLINE": "1"},
        )  # fmt: skip
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"JupyterLab exited: {(self.root / 'jupyter.log').read_text()}")
            try:
                urllib.request.urlopen(f"{self.url}/api/status?token={self.token}", timeout=2)
                return self
            except OSError:
                time.sleep(0.5)
        self.stop()
        raise TimeoutError("JupyterLab did not answer in time")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.kill(self.process.pid, signal.SIGKILL)
                self.process.wait()


@dataclass
class LabReport:
    """What one notebook showed after Run All in JupyterLab."""

    notebook: str
    errors: list[str]
    n_code_cells: int
    n_executed: int
    n_widgets: int
    n_images: int
    slider_changed: bool | None
    screenshot: Path


def copy_notebooks(paths: list[Path], root: Path) -> None:
    for path in paths:
        shutil.copy(path, root / path.name)


def error_outputs(texts: list[str]) -> list[str]:
    """The rendered outputs that are Python exceptions (warnings and progress bars are not)."""
    return [text for text in texts if TRACEBACK.search(text)]


# Every query is scoped to the notebook on screen: other open tabs keep their cells in
# the page, hidden, and must not be counted.
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"


def _busy_cells(page) -> int:
    return page.evaluate(
        f"""() => [...document.querySelectorAll('{PANEL} .jp-CodeCell .jp-InputPrompt')]
            .filter(p => p.textContent.includes('*')).length"""
    )


def _executed_cells(page) -> tuple[int, int]:
    return tuple(
        page.evaluate(
            f"""() => {{ const ps = [...document.querySelectorAll(
                    '{PANEL} .jp-CodeCell .jp-InputPrompt')];
                return [ps.length, ps.filter(p => /\\[\\d+\\]/.test(p.textContent)).length]; }}"""
        )
    )


def _widget_texts(page) -> str:
    return page.evaluate(
        f"""() => [...document.querySelectorAll('{PANEL} .jp-OutputArea-output')]
            .filter(o => o.querySelector('.widget-slider, .jupyter-widgets'))
            .map(o => o.innerText + [...o.querySelectorAll('img')].map(i => i.src.length).join(','))
            .join('\\n')"""
    )


def run_in_lab(server: LabServer, notebook: str, shots: Path, timeout: float = 600) -> LabReport:
    """Open ``notebook`` in JupyterLab, Run All Cells, move the first slider, and report.

    Each call opens a new, empty JupyterLab workspace, so tabs left open by an earlier
    call are not restored next to the notebook under test.
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            workspace = f"smoke-{secrets.token_hex(4)}"
            page.goto(
                f"{server.url}/lab/workspaces/{workspace}/tree/{notebook}?reset&token={server.token}"
            )
            page.wait_for_selector(f"{PANEL} .jp-Cell", timeout=120_000)
            page.wait_for_function(
                "() => document.querySelector('.jp-StatusBar-Widget, #jp-main-statusbar')"
                " && document.body.innerText.includes('| Idle')",
                timeout=120_000,
            )
            page.get_by_role("menuitem", name="Run", exact=True).click()
            page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
            deadline = time.time() + timeout
            time.sleep(2)
            started = time.time()
            while time.time() < deadline:
                total, done = _executed_cells(page)
                busy = _busy_cells(page)
                if busy == 0 and done == total:
                    break
                if busy == 0 and done == 0 and time.time() - started > 60:
                    break  # Run All never started: reported as 0 cells executed
                time.sleep(1)
            total, done = _executed_cells(page)
            errors = error_outputs(page.locator(f"{PANEL} .jp-OutputArea-output").all_inner_texts())
            n_widgets = page.locator(f"{PANEL} .jp-OutputArea-output .jupyter-widgets").count()
            n_images = page.locator(f"{PANEL} .jp-OutputArea-output img").count()
            slider_changed = _move_first_slider(page)
            shot = shots / f"{Path(notebook).stem}.png"
            page.screenshot(path=str(shot), full_page=False)
            return LabReport(
                notebook, errors, total, done, n_widgets, n_images, slider_changed, shot
            )
        finally:
            browser.close()


def _move_first_slider(page) -> bool | None:
    """Type a new value into the first slider's readout; True if the widget output changed."""
    readouts = page.locator(f"{PANEL} .widget-slider .widget-readout")
    if readouts.count() == 0:
        return None
    before = _widget_texts(page)
    readout = readouts.first
    readout.scroll_into_view_if_needed()
    handle = page.locator(f"{PANEL} .widget-slider .noUi-handle").first
    handle.focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    deadline = time.time() + 60
    while time.time() < deadline:
        time.sleep(1)
        if _widget_texts(page) != before:
            return True
    return False
