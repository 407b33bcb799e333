"""The command table behind `python -m prompt_vs_finetune <command>`."""

from __future__ import annotations

import pytest

from prompt_vs_finetune.cli import main as cli


def test_each_command_runs_its_entry(monkeypatch):
    seen = []
    for name, (help_text, _) in cli.COMMANDS.items():
        assert help_text
        monkeypatch.setitem(cli.COMMANDS, name, (help_text, lambda args: seen.append(args) or 7))
        assert cli.main([name]) == 7
        assert seen[-1].command == name
    assert cli.main(["exercises", "--check"]) == 7 and seen[-1].check


def test_unknown_command_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["no-such-command"])
    assert exit_info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err
