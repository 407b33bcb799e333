"""The course library's tests (a package, so `tests` is this folder even when an installed
dependency ships a top-level `tests` package of its own)."""
