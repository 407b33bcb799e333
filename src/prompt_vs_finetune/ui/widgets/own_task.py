"""Lesson 12: the study on a file of your choice, a form over ``own_task.run_study``.

A path box, a button that reads the file's columns into two pickers (text and label), and
a button that runs the study and writes its report next to the file. Each button calls a
plain method (``read``, ``run``) that a notebook or a test calls without clicking.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import ipywidgets as W
from IPython.display import display

from prompt_vs_finetune.data.files import DataError, _read, from_csv
from prompt_vs_finetune.own_task.report import report_folder, section
from prompt_vs_finetune.own_task.steps import QUICK, StudySettings
from prompt_vs_finetune.own_task.study import Study, run_study

__all__ = ["StudyLauncher", "study_launcher"]

_STYLE = {"description_width": "110px"}
_ROW = {"width": "640px"}


class StudyLauncher:
    """The form: ``read()`` fills the column pickers, ``run()`` runs the study.

    ``study`` is the last finished ``Study``; ``report`` the path of its HTML report.
    """

    def __init__(self, path: str | Path = "", *, text: str | None = None,
                 label: str | None = None, settings: StudySettings = QUICK):  # fmt: skip
        self.settings = settings
        self.study: Study | None = None
        self.report: Path | None = None
        self.path = W.Text(value=str(path), description="data file", style=_STYLE,
                           layout=W.Layout(**_ROW))  # fmt: skip
        self.text = W.Dropdown(description="text column", style=_STYLE)
        self.label = W.Dropdown(description="label column", style=_STYLE)
        self.read_button = W.Button(description="read its columns")
        self.run_button = W.Button(description="run the study", button_style="primary")
        self.output = W.Output()
        self.read_button.on_click(lambda _: self._shown(self.read))
        self.run_button.on_click(lambda _: self._shown(self._run_and_show))
        if path:
            self._shown(self.read)
            self.text.value = text if text in self.text.options else self.text.value
            self.label.value = label if label in self.label.options else self.label.value
        self.widget = W.VBox([
            W.HBox([self.path, self.read_button]), self.text, self.label, self.run_button,
            self.output,
        ])  # fmt: skip

    def read(self) -> list[str]:
        """The file's columns, offered in both pickers (a bad file raises ``DataError``)."""
        columns = list(_read(Path(self.path.value.strip()), None).columns)
        self.text.options, self.label.options = columns, columns
        if len(columns) > 1:
            self.label.value = columns[1]
        return columns

    def run(self) -> Study:
        """Read the file with the chosen columns, run the study and write its report."""
        task = from_csv(self.path.value.strip(), text=self.text.value, label=self.label.value)
        self.study = run_study(task, settings=self.settings)
        self.report, _ = self.study.write(report_folder(self.path.value.strip()))
        return self.study

    def _run_and_show(self) -> None:
        study = self.run()
        display(section(study.to_json(), "accuracy"))
        print(f"the whole report: {self.report}")

    def _shown(self, action: Any) -> None:
        """Run ``action`` with its output (or its one-line error) in the output area."""
        self.output.clear_output()
        with self.output:
            try:
                action()
            except (DataError, FileExistsError) as exc:
                print(f"error: {exc}")

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    def __repr__(self) -> str:
        return f"StudyLauncher(path={self.path.value!r})"


def study_launcher(path: str | Path = "", *, text: str | None = None, label: str | None = None,
                   settings: StudySettings = QUICK) -> StudyLauncher:  # fmt: skip
    """Lesson 12: pick a file and its columns, then run the study with one click."""
    return StudyLauncher(path, text=text, label=label, settings=settings)
