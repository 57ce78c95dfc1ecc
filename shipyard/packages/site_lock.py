"""The site's own `pyodide-lock.json`: Pyodide's platform info plus the wheels the site ships.

Pyodide resolves packages through the lock next to `pyodide.mjs`. Listing only
the shipped wheels means the page can never ask for a package it does not have.
"""

from __future__ import annotations

from pathlib import Path

from packaging.utils import canonicalize_name
from pyodide_lock import PackageSpec, PyodideLockSpec
from pyodide_lock.utils import add_wheels_to_spec


def write_site_lock(
    pyodide_lock: Path, wheels: list[Path], folder: Path, entries: tuple[PackageSpec, ...] = ()
) -> Path:
    """Write `folder/pyodide-lock.json` listing `wheels` (which must lie in `folder`) and `entries`.

    `entries` come from a Pyodide distribution as they are; they go in first, so
    that the `depends` computed for `wheels` may name them.
    """
    upstream = PyodideLockSpec.from_json(pyodide_lock)
    base = PyodideLockSpec(info=upstream.info, packages={canonicalize_name(e.name): e for e in entries})
    lock = add_wheels_to_spec(base, wheels, base_path=folder)
    target = folder / "pyodide-lock.json"
    lock.to_json(target, indent=1)
    return target


def local_wheels(lock_file: Path) -> tuple[str, ...]:
    """The site paths of the wheels the lock lists in the site (not at a URL): what Pyodide
    fetches when the page loads its packages."""
    lock = PyodideLockSpec.from_json(lock_file)
    names = sorted(p.file_name for p in lock.packages.values() if "://" not in p.file_name)
    return tuple(f"{lock_file.parent.name}/{name}" for name in names)
