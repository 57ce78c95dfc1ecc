"""shipyard as users install it: its wheel built from the repository's files, installed (not
editable) into a venv of its own, and its command run there as a user runs it.

The venv gets exactly the dependencies the wheel declares, and theirs, linked from the test
venv rather than fetched again: a dependency missing from pyproject fails as it would for a
user, while the test extras, the checkout and the editable shipyard stay out of sight."""

from __future__ import annotations

import email
import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.support.sites import ROOT

# Variables that would make the venv's Python see another environment's packages.
FOREIGN = ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP")


def repository_files(*folders: str) -> list[str]:
    """The repository's files (under `folders`), as git lists them, untracked ones included."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", *folders],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    # A file deleted but not yet committed is still listed.
    return [name for name in listed.split("\0") if name and (ROOT / name).is_file()]


def build_wheel(folder: Path) -> Path:
    """The wheel of a copy of the repository's files: nothing else in the checkout, such as
    a stale build/ folder, can end up in it."""
    source = folder / "source"
    for name in repository_files():
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, source / name)
    # Without build isolation: the test extras bring setuptools, and an isolated build
    # fetches it again each time (seconds on this machine).
    wheel = [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation"]
    _run([*wheel, "-w", str(folder), str(source)])
    (wheel,) = folder.glob("shipyard-*.whl")
    return wheel


@dataclass(frozen=True)
class Installed:
    """A venv holding shipyard installed from `wheel`."""

    venv: Path
    wheel: Path
    site_packages: Path

    @classmethod
    def install(cls, wheel: Path, venv: Path) -> Installed:
        """Install `wheel` (not editable) into a new venv at `venv`, and link into its
        site-packages the distributions the wheel depends on, and theirs, from this venv."""
        _run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
        python = str(venv / "bin" / "python")
        _run([sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-deps", str(wheel)])
        purelib = _run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"])
        installed = cls(venv, wheel, Path(purelib.strip()))
        for distribution in _closure(_requires(wheel)):
            _link(distribution, installed.site_packages)
        return installed

    def run(self, *args: str, cwd: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
        """`shipyard ARGS` as the venv installed it, in `cwd`; `check`: fail the test unless
        it exits 0."""
        command = [str(self.venv / "bin" / "shipyard"), *args]
        result = subprocess.run(command, cwd=cwd, env=self.env(), capture_output=True, text=True)
        assert not check or result.returncode == 0, result.stderr
        return result

    def python(self, script: str, cwd: Path) -> str:
        """What the venv's Python prints running `script`."""
        return _run([str(self.venv / "bin" / "python"), "-c", script], cwd=cwd, env=self.env()).strip()

    @contextmanager
    def serving(self, site: Path) -> Iterator[str]:
        """`shipyard serve SITE --port 0` running; yields the URL it prints."""
        command = [str(self.venv / "bin" / "shipyard"), "serve", str(site), "--port", "0"]
        pipes = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE}
        server = subprocess.Popen(command, env=self.env(), text=True, **pipes)
        try:
            assert server.stdout is not None
            url = server.stdout.readline().strip()
            assert url.startswith("http://127.0.0.1:"), server.stderr.read() if server.stderr else url
            yield url
        finally:
            server.terminate()
            server.communicate(timeout=10)

    @staticmethod
    def env() -> dict[str, str]:
        """The environment without what points Python at another venv or the checkout."""
        kept = {key: value for key, value in os.environ.items() if key not in FOREIGN}
        return kept | {"PYTHONUNBUFFERED": "1"}


def _requires(wheel: Path) -> list[str]:
    """The wheel's own `Requires-Dist`, read from it rather than from any installed copy."""
    with zipfile.ZipFile(wheel) as archive:
        (name,) = (n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        return email.message_from_bytes(archive.read(name)).get_all("Requires-Dist") or []


def _closure(requires: Iterable[str]) -> list[metadata.Distribution]:
    """The installed distributions `requires` needs without extras, and what they need."""
    found: dict[str, metadata.Distribution] = {}
    todo = [Requirement(line) for line in requires]
    while todo:
        requirement = todo.pop()
        name = canonicalize_name(requirement.name)
        if name in found or (requirement.marker and not requirement.marker.evaluate({"extra": ""})):
            continue
        found[name] = metadata.distribution(name)
        todo.extend(Requirement(line) for line in found[name].requires or [])
    return list(found.values())


def _link(distribution: metadata.Distribution, site_packages: Path) -> None:
    """Symlink a distribution's top-level files and folders (its RECORD's) into `site_packages`."""
    assert distribution.files is not None, f"{distribution.name} has no RECORD"
    tops = {file.parts[0] for file in distribution.files if file.parts[0] != ".."}
    for top in tops:
        source = Path(str(distribution.locate_file(top)))
        if source.exists() and not (site_packages / top).exists():
            (site_packages / top).symlink_to(source)


def _run(command: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(command, cwd=cwd, env=env or Installed.env(), capture_output=True, text=True)
    assert result.returncode == 0, f"{command}: {result.stderr}"
    return result.stdout
