"""`python -m prompt_vs_finetune <command>`; the commands are in ``cli.main``."""

import sys

from prompt_vs_finetune.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
