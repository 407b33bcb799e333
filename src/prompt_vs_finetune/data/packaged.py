"""Data files shipped inside an installed PyPI package, found without importing the package."""

from __future__ import annotations

import importlib.util
from pathlib import Path


def packaged_path(
    package: str, parts: tuple[str, ...], missing: type[Exception], what: str, install: str
) -> Path:
    """The file or folder ``parts`` inside the installed ``package``.

    Importing some packages is slow or fails, so the package is only located. ``missing``
    is raised, saying how to ``install`` it, when the package or the path is absent;
    ``what`` names the data set in that message."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise missing(
            f"The {what} is read from the PyPI package {package!r}, which is not installed: "
            f"run {install} in the course environment."
        )
    for location in spec.submodule_search_locations:
        path = Path(location).joinpath(*parts)
        if path.exists():
            return path
    raise missing(
        f"The installed {package!r} package has no {'/'.join(parts)}: reinstall it with "
        f"{install.replace('pip install', 'pip install --force-reinstall')}."
    )
