"""`python -m prompt_vs_finetune timings`: show, adopt and publish the time ledger."""

from __future__ import annotations

import argparse
from pathlib import Path

from prompt_vs_finetune.store import timings

README = Path("README.md")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The command's options."""
    parser.add_argument("--adopt", action="store_true",
                        help="copy the last `make test` run into the shipped ledger")
    parser.add_argument("--readme", action="store_true",
                        help="write the README's timing table from the ledger")
    parser.add_argument("--check", action="store_true",
                        help="fail if the README's timing table is not the ledger's")


def main(args: argparse.Namespace) -> int:
    """Run the command; return its exit code."""
    if args.adopt:
        try:
            which = timings.adopt()
        except (OSError, ValueError) as exc:
            print(f"cannot adopt the last run: {exc}")
            return 1
        print(f"the last run is now the ledger's {which} run: {timings.LEDGER_PATH}")
    if args.check:
        current = README.read_text()
        fresh = current[: current.index(timings.README_END)]
        if timings.readme_table() not in fresh:
            print("README's timing table differs from the ledger: run `timings --readme`")
            return 1
        print("README's timing table matches the ledger")
    elif args.readme:
        changed = timings.write_readme(README)
        print("README's timing table " + ("updated" if changed else "already current"))
    if not (args.adopt or args.readme or args.check):
        print(timings.readme_table())
    return 0
