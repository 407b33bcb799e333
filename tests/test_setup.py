"""Reproducible set-up: every install is pinned, torch is the CPU build where there is no GPU."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from types import SimpleNamespace

import pytest

from prompt_vs_finetune.cli import doctor

ROOT = Path(__file__).parents[1]


def _pins() -> dict[str, str]:
    lines = (ROOT / "constraints.txt").read_text().splitlines()
    return {re.split(r"==", x)[0].lower().replace("_", "-"): x.split("==")[1] for x in lines if x}


def test_every_declared_package_is_pinned():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = project["dependencies"] + project["optional-dependencies"]["test"]
    names = {re.match(r"[A-Za-z0-9_.-]+", d)[0].lower().replace("_", "-") for d in declared}
    assert names - set(_pins()) == set()
    assert _pins()["torch"].endswith("+cpu")


def test_every_install_in_the_makefile_reads_the_pins():
    installs = [x for x in (ROOT / "Makefile").read_text().splitlines() if " install " in x
                and ("pip" in x or "uv" in x) and "ipykernel" not in x and "apt-get" not in x]
    assert len(installs) >= 4
    assert all("-c constraints.txt" in x for x in installs), installs


def _fake_torch(monkeypatch, version: str, cuda: bool, packages: list[str]) -> None:
    import torch

    monkeypatch.setattr(torch, "__version__", version)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: cuda)
    dists = [SimpleNamespace(metadata={"Name": name}) for name in packages]
    monkeypatch.setattr(doctor.md, "distributions", lambda: dists)


@pytest.mark.parametrize(
    ("version", "cuda", "packages", "ok"),
    [
        ("2.13.0+cpu", False, ["numpy"], True),
        ("2.13.0", False, ["numpy", "nvidia-cublas-cu12"], False),
        ("2.13.0+cpu", False, ["nvidia-nccl-cu12"], False),
        ("2.13.0", True, ["nvidia-cublas-cu12"], True),
    ],
)
def test_doctor_wants_the_cpu_build_on_a_machine_without_a_gpu(
    monkeypatch, version, cuda, packages, ok
):
    _fake_torch(monkeypatch, version, cuda, packages)
    result = doctor.check_torch()
    assert result.ok is ok
    assert ok or "uninstall" in result.fix
