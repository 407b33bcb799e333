"""``python -m prompt_vs_finetune compare data.csv --text review --label rating``.

Reads the learner's file with ``data.from_csv``, runs the study (``own_task.run_study``,
resuming from the results store) and writes ``report.html`` and ``study.json`` into
``--out`` (default: a folder next to the data, ``<name>-compare``). A problem with the
data, the model setting or the output folder prints one line and exits with 2.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

__all__ = ["add_arguments", "main"]

USAGE_ERROR = 2
STOPPED = 130


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The command's options."""
    # checked in main, so that a missing one gets the command's one-line error
    parser.add_argument("data", nargs="?", help="a CSV or JSONL file, one example per row")
    parser.add_argument("--text", help="the column holding the text (required)")
    parser.add_argument("--label", help="the column holding the label (required)")
    parser.add_argument("--split", help="a train/dev/test column (default: seeded splits)")
    parser.add_argument("--out", help="folder for report.html and study.json "
                        "(default: <data name>-compare next to the data)")  # fmt: skip
    parser.add_argument("--model", help="a model folder, .gguf file or Hugging Face id "
                        "(default: $PROMPT_VS_FINETUNE_MODEL, else the course model)")  # fmt: skip
    parser.add_argument("--monthly-requests", type=float,
                        help="your volume, for the decision tool (default: the course's)")
    parser.add_argument("--quick", action="store_true",
                        help="a smaller prompt search and fine-tune budget (lesson 12's)")


def _fail(message: object) -> int:
    print(f"error: {message}", file=sys.stderr)
    return USAGE_ERROR


def main(args: argparse.Namespace) -> int:
    """Run the command; return its exit code."""
    from prompt_vs_finetune.model.choice import MODEL_ENV_VAR

    start = time.perf_counter()
    missing = [name for name in ("data", "text", "label") if not getattr(args, name)]
    if missing:
        return _fail(f"give {' and '.join(missing)}: python -m prompt_vs_finetune compare "
                     "data.csv --text <column> --label <column>")  # fmt: skip
    before = os.environ.get(MODEL_ENV_VAR)
    if args.model:
        os.environ[MODEL_ENV_VAR] = args.model  # the one setting every part of the library reads
    try:
        return _run(args, start)
    finally:  # a caller in the same process (a notebook, a test) keeps its own model setting
        if before is None:
            os.environ.pop(MODEL_ENV_VAR, None)
        else:
            os.environ[MODEL_ENV_VAR] = before


def _run(args: argparse.Namespace, start: float) -> int:
    from prompt_vs_finetune.data.files import DataError, from_csv
    from prompt_vs_finetune.model.choice import ModelUnavailableError, choose

    try:
        choose()
        task, summary = from_csv(args.data, text=args.text, label=args.label, split=args.split,
                                 return_summary=True)  # fmt: skip
    except (DataError, ModelUnavailableError) as exc:
        return _fail(exc)
    from prompt_vs_finetune.own_task.report import report_folder

    out = Path(args.out) if args.out else report_folder(args.data)
    if out.exists() and not out.is_dir():
        return _fail(f"{out} is a file, not a folder: choose another --out.")
    print(summary)
    return _study(task, out, args, start)


def _study(task: object, out: Path, args: argparse.Namespace, start: float) -> int:
    from prompt_vs_finetune.own_task import FULL, QUICK, run_study

    answers = {} if args.monthly_requests is None else {"monthly_requests": args.monthly_requests}
    try:
        study = run_study(task, settings=QUICK if args.quick else FULL, answers=answers)
    except KeyboardInterrupt:
        print("\nstopped: the finished steps are stored; run the same command to resume.",
              file=sys.stderr)  # fmt: skip
        return STOPPED
    try:
        report, data = study.write(out)
    except FileExistsError as exc:
        return _fail(exc)
    print(f"report: {report}\nnumbers: {data}\n"
          f"wall time of this command: {time.perf_counter() - start:.0f} s")  # fmt: skip
    return 0
