"""Pure-Python wheels from the package index, for Pyodide: fetched with pip, cached for rebuilds.

pip is the client, so the user's index, proxy and certificate settings apply.
It asks for wheels any Python can load (`py3-none-any`) that accept Pyodide's
Python version, one package at a time (`--no-deps`): dependencies are walked
by the resolver, with Pyodide's markers rather than this machine's.

A cached wheel that satisfies a requirement is used without asking the index,
so a rebuild needs no network, and an unpinned requirement stays at the version
first fetched until the cache is cleared or the requirement names a newer one.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name, parse_wheel_filename
from packaging.version import Version

from shipyard.cache import cache_dir
from shipyard.errors import RequirementError

_NO_VERSIONS = re.compile(r"\(from versions: ([^)]*)\)")


class NoWheel(RequirementError):
    """No pure-Python wheel for a requirement; the message says why."""


def wheel_cache() -> Path:
    return cache_dir() / "wheels"


def fetch_pure_wheel(requirement: Requirement, python: str) -> Path:
    """A pure-Python wheel satisfying `requirement` (extras and markers aside) for Python `python`."""
    return _cached(requirement) or _download(requirement, python)


def wheel_version(wheel: Path) -> Version:
    return parse_wheel_filename(wheel.name)[1]


def _cached(requirement: Requirement) -> Path | None:
    name = canonicalize_name(requirement.name)
    mine = [wheel for wheel in wheel_cache().glob("*.whl") if parse_wheel_filename(wheel.name)[0] == name]
    matches = [wheel for wheel in mine if requirement.specifier.contains(wheel_version(wheel))]
    return max(matches, key=wheel_version, default=None)


def _download(requirement: Requirement, python: str) -> Path:
    wheel_cache().mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=wheel_cache(), prefix=".download-") as tmp:
        options = ("--no-deps", "--progress-bar", "off", "-d", tmp)
        result = _pip("download", *_pure(python), *options, _spec(requirement))
        wheels = list(Path(tmp).glob("*.whl"))
        if result.returncode != 0 or len(wheels) != 1:
            raise NoWheel(_why(requirement, python, result.stderr))
        # moved whole into the cache: a build running at the same time never sees half a file
        return wheels[0].replace(wheel_cache() / wheels[0].name)


def _pure(python: str) -> tuple[str, ...]:
    """pip's options for wheels Pyodide can load from an index: pure Python, no compiled code."""
    pure = ("--only-binary=:all:", "--platform", "any", "--implementation", "py", "--abi", "none")
    return (*pure, "--python-version", python)


def _spec(requirement: Requirement) -> str:
    return f"{requirement.name}{requirement.specifier}"


def _pip(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "pip", *args, "--disable-pip-version-check"]
    return subprocess.run(command, capture_output=True, text=True)


def _why(requirement: Requirement, python: str, stderr: str) -> str:
    """pip's failure, told in the browser's terms."""
    versions = _NO_VERSIONS.search(stderr)
    if versions is None:
        return f"pip could not download it: {_last_error(stderr)}"
    if versions.group(1).strip() != "none":
        newest = ", ".join(v.strip() for v in versions.group(1).split(",")[-5:])
        return f"no pure-Python wheel for Python {python} matches `{_spec(requirement)}` (newest: {newest})"
    if _pip("index", "versions", requirement.name).returncode != 0:
        return "not found on the package index"
    return (
        "no pure-Python wheel on the package index (Pyodide cannot load compiled wheels from PyPI); "
        "if a Pyodide distribution builds it, pass it with --pyodide-packages"
    )


def _last_error(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.startswith("ERROR")] or stderr.splitlines() or [""]
    return lines[-1].removeprefix("ERROR: ")
