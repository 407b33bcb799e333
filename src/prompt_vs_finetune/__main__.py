"""Command line: `python -m prompt_vs_finetune <command>` (the Makefile calls these)."""

from __future__ import annotations

import argparse
import sys


def _verify_model_file() -> int:
    from prompt_vs_finetune.model.loading import ModelUnavailableError, verify_gguf

    try:
        path = verify_gguf()
    except ModelUnavailableError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"model file OK: {path}")
    return 0


def _clean_cache() -> int:
    import shutil

    from prompt_vs_finetune.store.paths import cache_dir

    folder = cache_dir()
    shutil.rmtree(folder)
    print(f"removed {folder}; the next run rebuilds what it needs")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m prompt_vs_finetune")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("doctor", help="check the environment, one OK/FAIL line each")
    sub.add_parser("verify-model-file", help="check the bundled GGUF file's sha256")
    ex = sub.add_parser("exercises", help="generate exercises/ from solutions/")
    ex.add_argument("--check", action="store_true", help="fail if exercises/ is stale")
    sub.add_parser("check-stripped", help="fail if a committed notebook has outputs")
    sub.add_parser("workspace", help="copy the exercises into ./workspace (never overwrites)")
    sub.add_parser("prewarm", help="fill every cache the course uses")
    sub.add_parser("clean-cache", help="delete the course cache")
    args = parser.parse_args(argv)

    if args.command == "doctor":
        from prompt_vs_finetune.cli.doctor import main as doctor

        return doctor()
    if args.command == "verify-model-file":
        return _verify_model_file()
    if args.command == "exercises":
        from prompt_vs_finetune.cli import exercise_builder

        return exercise_builder.main_check() if args.check else exercise_builder.main_build()
    if args.command == "check-stripped":
        from prompt_vs_finetune.cli.exercise_builder import main_check_stripped

        return main_check_stripped()
    if args.command == "workspace":
        from prompt_vs_finetune.cli.workspace import main as workspace

        return workspace()
    if args.command == "prewarm":
        from prompt_vs_finetune.cli.prewarm import main as prewarm

        return prewarm()
    if args.command == "clean-cache":
        return _clean_cache()
    return 2


if __name__ == "__main__":
    sys.exit(main())
