"""The command table of `python -m prompt_vs_finetune <command>` (the Makefile calls these).

Each command imports what it needs when it runs, so that `--help` and the light
commands start without loading torch.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable


def _doctor(args: argparse.Namespace) -> int:
    from prompt_vs_finetune.cli.doctor import main as doctor

    return doctor()


def _verify_model_file(args: argparse.Namespace) -> int:
    from prompt_vs_finetune.model.loading import ModelUnavailableError, verify_gguf

    try:
        path = verify_gguf()
    except ModelUnavailableError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"model file OK: {path}")
    return 0


def _exercises(args: argparse.Namespace) -> int:
    from prompt_vs_finetune.cli import exercise_builder

    return exercise_builder.main_check() if args.check else exercise_builder.main_build()


def _check_stripped(args: argparse.Namespace) -> int:
    from prompt_vs_finetune.cli.exercise_builder import main_check_stripped

    return main_check_stripped()


def _workspace(args: argparse.Namespace) -> int:
    from prompt_vs_finetune.cli.workspace import main as workspace

    return workspace()


def _prewarm(args: argparse.Namespace) -> int:
    from prompt_vs_finetune.cli.prewarm import main as prewarm

    return prewarm()


def _timings(args: argparse.Namespace) -> int:
    from prompt_vs_finetune.cli.timings import main as timings

    return timings(args)


def _compare(args: argparse.Namespace) -> int:
    from prompt_vs_finetune.cli.compare import main as compare

    return compare(args)


def _clean_cache(args: argparse.Namespace) -> int:
    import shutil

    from prompt_vs_finetune.store.paths import cache_dir

    folder = cache_dir()
    shutil.rmtree(folder)
    print(f"removed {folder}; the next run rebuilds what it needs")
    return 0


#: command -> (one-line help, what it runs; returns the exit code)
COMMANDS: dict[str, tuple[str, Callable[[argparse.Namespace], int]]] = {
    "doctor": ("check the environment, one OK/FAIL line each", _doctor),
    "verify-model-file": ("check the bundled GGUF file's sha256", _verify_model_file),
    "exercises": ("generate exercises/ from solutions/", _exercises),
    "check-stripped": ("fail if a committed notebook has outputs", _check_stripped),
    "workspace": ("copy the exercises into ./workspace (never overwrites)", _workspace),
    "prewarm": ("fill every cache the course uses", _prewarm),
    "compare": ("prompting vs fine-tuning on your own CSV: report.html and study.json", _compare),
    "clean-cache": ("delete the course cache", _clean_cache),
    "timings": ("the time ledger: slowest notebooks, README table", _timings),
}


def main(argv: list[str] | None = None) -> int:
    """Run one command; return its exit code."""
    parser = argparse.ArgumentParser(prog="python -m prompt_vs_finetune")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, (help_text, _) in COMMANDS.items():
        command = sub.add_parser(name, help=help_text)
        if name == "exercises":
            command.add_argument("--check", action="store_true", help="fail if exercises/ is stale")
        if name == "compare":
            from prompt_vs_finetune.cli.compare import add_arguments

            add_arguments(command)
        if name == "timings":
            from prompt_vs_finetune.cli.timings import add_arguments

            add_arguments(command)
    args = parser.parse_args(argv)
    return COMMANDS[args.command][1](args)
