"""Packages Pyodide itself distributes (numpy, pandas, ...), from a distribution the user names.

`--pyodide-packages DIR`: a folder laid out like a Pyodide distribution, its
`pyodide-lock.json` beside the files it lists. The packages a site needs and
their `depends` are checked against that lock's sha256 and copied into the
site, which stays self-contained.

`--pyodide-packages URL`: nothing is copied. The site's lock takes the entries
of the Pyodide release shipyard pins, with `file_name` the absolute URL of the
wheel. Pyodide's loader resolves `file_name` as `new URL(file_name,
packageBaseUrl)`, so an absolute URL is fetched as it is, and checked against
the entry's sha256 (subresource integrity). The URL must serve that very
release (https://cdn.jsdelivr.net/pyodide/v314.0.7/full/ does) and allow
cross-origin requests.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from packaging.utils import canonicalize_name
from pyodide_lock import PackageSpec, PyodideLockSpec

from shipyard.errors import Problem, RequirementError, os_reason
from shipyard.site.npm_assets import PYODIDE

OPTION = "--pyodide-packages"


@dataclass(frozen=True)
class Distribution:
    where: str  # the folder or URL as given
    lock: PyodideLockSpec
    folder: Path | None  # None: a URL the site fetches from

    @property
    def lock_name(self) -> str:
        return str(self.folder / "pyodide-lock.json") if self.folder else f"Pyodide {PYODIDE.version}'s lock"

    def entry(self, name: str) -> PackageSpec | None:
        return self._by_name().get(canonicalize_name(name))

    def names(self) -> set[str]:
        return set(self._by_name())

    def _by_name(self) -> dict[str, PackageSpec]:
        return {canonicalize_name(key): spec for key, spec in self.lock.packages.items()}


@dataclass(frozen=True)
class Taken:
    """What a site gets from a distribution: lock entries, and the files to copy (local ones)."""

    entries: tuple[PackageSpec, ...] = ()
    files: tuple[Path, ...] = ()


def open_distribution(where: str, pinned: PyodideLockSpec) -> Distribution:
    """A distribution at `where`; a URL is taken to serve the release whose lock is `pinned`."""
    if where.startswith(("http://", "https://")):
        return Distribution(where.rstrip("/") + "/", pinned, None)
    folder = Path(where)
    lock_file = folder / "pyodide-lock.json"
    if not folder.is_dir():
        raise RequirementError("is neither a folder nor an http(s) URL", file=where, key=OPTION)
    try:
        lock = PyodideLockSpec.from_json(lock_file)
    except (OSError, ValueError, TypeError, KeyError, ExceptionGroup) as error:
        reason = f"cannot read it as a Pyodide lock file ({os_reason(error)})"
        raise RequirementError(reason, file=lock_file, key=OPTION) from None
    _check_python(lock_file, lock, pinned)
    return Distribution(where, lock, folder)


def _check_python(lock_file: Path, lock: PyodideLockSpec, pinned: PyodideLockSpec) -> None:
    """Compiled packages load only into the Python and ABI they were built for."""
    mine = (minor_version(lock.info.python), lock.info.abi_version)
    wanted = (minor_version(pinned.info.python), pinned.info.abi_version)
    if mine != wanted:
        reason = (
            f"is for Python {mine[0]} (ABI {mine[1]}), but sites run Pyodide {PYODIDE.version} "
            f"(Python {wanted[0]}, ABI {wanted[1]}); use a Pyodide {PYODIDE.version} distribution"
        )
        raise RequirementError(reason, file=lock_file, key=OPTION)


def minor_version(version: str) -> str:
    return ".".join(version.split(".")[:2])


def take(distribution: Distribution, names: list[str]) -> Taken:
    """The entries for `names` and everything they depend on, ready for the site's lock."""
    entries = _closure(distribution, names)
    if distribution.folder is None:
        base = distribution.where
        return Taken(tuple(_moved(e, base + e.file_name) for e in entries))
    files = _checked_files(distribution, distribution.folder, entries)
    return Taken(tuple(_moved(e, f.name) for e, f in zip(entries, files, strict=True)), files)


def _moved(entry: PackageSpec, file_name: str) -> PackageSpec:
    return PackageSpec.from_dict(entry.to_dict() | {"file_name": file_name})


def _closure(distribution: Distribution, names: list[str]) -> list[PackageSpec]:
    found: dict[str, PackageSpec] = {}
    problems: list[Problem] = []
    queue = [(name, "") for name in names]
    while queue:
        name, needed_by = queue.pop(0)
        if canonicalize_name(name) in found:
            continue
        entry = distribution.entry(name)
        if entry is None:
            why = f" (needed by {needed_by})" if needed_by else ""
            problems.append(Problem(name, f"not in {distribution.lock_name}{why}"))
            continue
        found[canonicalize_name(name)] = entry
        queue.extend((dependency, entry.name) for dependency in entry.depends)
    if problems:
        raise RequirementError(problems, file=distribution.where, key=OPTION)
    return list(found.values())


def _checked_files(distribution: Distribution, folder: Path, entries: list[PackageSpec]) -> tuple[Path, ...]:
    """Each entry's file in `folder`, present and with the sha256 its lock gives."""
    problems: list[Problem] = []
    files = tuple(folder / entry.file_name for entry in entries)
    for entry, file in zip(entries, files, strict=True):
        if not file.is_file():
            problems.append(Problem(entry.name, f"{file} is missing (listed in {distribution.lock_name})"))
        elif (digest := hashlib.sha256(file.read_bytes()).hexdigest()) != entry.sha256:
            problems.append(
                Problem(entry.name, f"{file} has sha256 {digest}, but its lock says {entry.sha256}")
            )
    if problems:
        raise RequirementError(problems, file=distribution.where, key=OPTION)
    return files
