"""The environment doctor."""

from __future__ import annotations

from prompt_vs_finetune.cli import doctor


def test_all_checks_pass_here(capsys):
    assert doctor.main() == 0
    out = capsys.readouterr().out
    assert out.count("[OK]") == len(doctor.CHECKS)
    assert "All checks passed." in out


def test_a_failing_check_reports_fix_and_nonzero_exit(monkeypatch, capsys):
    def broken():
        raise RuntimeError("model file damaged")

    checks = list(doctor.CHECKS)
    checks[3] = ("bundled model file", broken, "reinstall the model package")
    monkeypatch.setattr(doctor, "CHECKS", tuple(checks))
    assert doctor.main() == 1
    out = capsys.readouterr().out
    assert "[FAIL] bundled model file: model file damaged" in out
    assert "fix: reinstall the model package" in out


def test_missing_kernel_fails_with_install_command(monkeypatch):
    from jupyter_client import kernelspec

    monkeypatch.setattr(kernelspec.KernelSpecManager, "find_kernel_specs", lambda self: {})
    result = doctor.check_kernel()
    assert not result.ok and "ipykernel install" in result.fix
