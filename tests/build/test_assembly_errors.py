"""What a build says when something other than its input fails: shipyard's own files, the
asset cache, Node or the output folder. Each is reported as that problem, naming its file
with a fix, and the previous site stays as it was; only what concerns the output folder is
blamed on it."""

from __future__ import annotations

import gzip
import os
import re
import resource
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from shipyard.cache import cache_dir
from shipyard.site.brotli import brotlied
from shipyard.site.npm_assets import ASSETS, ONNXRUNTIME_WEB, PYODIDE, ensure_asset
from tests.support.cli import run
from tests.support.installed import Installed
from tests.support.sites import EXAMPLES

HOUSING = EXAMPLES / "housing"
BUILD = ("build", str(HOUSING / "model.onnx"), "--metadata", str(HOUSING / "metadata.yml"), "--output")
# What the system says when a folder cannot be written: to root (an immutable folder), or not.
REFUSED = r"\((Operation not permitted|Permission denied)\)"


@pytest.fixture(scope="module")
def whole_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The user's cache, its entries complete and the housing model's check cached."""
    for asset in ASSETS:
        ensure_asset(asset)
    brotlied(ensure_asset(ONNXRUNTIME_WEB) / "ort-wasm-simd-threaded.wasm")
    assert run(*BUILD, str(tmp_path_factory.mktemp("warm") / "site"))[0] == 0
    return cache_dir()


def scratch_cache(whole: Path, folder: Path, without: tuple[str, ...] = ()) -> Path:
    """A copy of the cache in `folder`, but for the entries `without`; its tarballs are the
    user's (linked, so never altered)."""
    cache = folder / "cache"
    cache.mkdir()
    (cache / "tarballs").symlink_to(whole / "tarballs")
    for name in ("npm", "brotli", "snapshots", "stdlib", "checks"):
        shutil.copytree(whole / name, cache / name, symlinks=True)
    for entry in without:
        gone = cache / entry
        shutil.rmtree(gone) if gone.is_dir() and not gone.is_symlink() else gone.unlink()
    return cache


@contextmanager
def unwritable(folder: Path) -> Iterator[None]:
    """Nothing can be made in `folder` for a while, even by root (who ignores its mode, not
    an immutable flag)."""
    if os.geteuid() == 0:
        subprocess.run(["chattr", "+i", str(folder)], check=True)
    else:
        folder.chmod(0o555)
    try:
        yield
    finally:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
        else:
            folder.chmod(0o755)


def files_of(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def previous(tmp_path: Path, whole_cache: Path) -> Path:
    """A site built before the build that fails."""
    assert run(*BUILD, str(tmp_path / "site"))[0] == 0
    return tmp_path / "site"


@pytest.mark.parametrize("name", ["gunzip.mjs", "index.html"])
def test_a_template_missing_from_an_installation_is_named_with_a_fix(
    installed: Installed, tmp_path: Path, whole_cache: Path, name: str
) -> None:
    """A real broken install: a venv whose shipyard lost one of its templates (a module the
    page imports, or the page shell), which a build had never noticed before."""
    broken = Installed.install(installed.wheel, tmp_path / "venv")
    broken.run(*BUILD, "site", cwd=tmp_path)
    before = files_of(tmp_path / "site")
    missing = broken.site_packages / "shipyard_templates" / name
    missing.unlink()
    result = broken.run(*BUILD, "site", cwd=tmp_path, check=False)
    assert result.returncode == 2
    assert result.stderr.startswith(
        f"Error: {missing}: cannot read it (No such file or directory); shipyard's installation is"
        " incomplete; reinstall shipyard"
    ), result.stderr
    assert "Traceback" not in result.stderr
    assert files_of(tmp_path / "site") == before


def test_cache_entries_cut_short_are_made_again(tmp_path: Path, previous: Path) -> None:
    """Pyodide's lock (once a traceback), the brotli-compressed wasm and the snapshot (once
    shipped broken, the page failing in the browser), each cut to half."""
    cache = scratch_cache(cache_dir(), tmp_path)
    lock = cache / "npm" / "pyodide-314.0.7" / "pyodide-lock.json"
    # This build's entries (a cache shared with other checkouts may hold others): the snapshot
    # is the one the previous site holds.
    shipped = (previous / "pyodide" / "snapshot.bin.gz").read_bytes()
    made = (
        brotlied(ensure_asset(ONNXRUNTIME_WEB) / "ort-wasm-simd-threaded.wasm"),
        next(
            entry for entry in (cache_dir() / "snapshots").rglob("*.bin.gz") if entry.read_bytes() == shipped
        ),
    )
    wasm, snapshot = (cache / entry.relative_to(cache_dir()) for entry in made)
    for entry in (lock, wasm, snapshot):
        entry.write_bytes(entry.read_bytes()[: entry.stat().st_size // 2])
    code, output = run(*BUILD, str(tmp_path / "again"), env={"SHIPYARD_CACHE_DIR": str(cache)})
    assert code == 0, output
    again, before = files_of(tmp_path / "again"), files_of(previous)
    for name in ("pyodide/pyodide-lock.json", f"ort/{wasm.name}"):
        assert again[name] == before[name], name
    assert gzip.decompress(again["pyodide/snapshot.bin.gz"])


def test_a_cache_that_cannot_be_written_is_named_with_a_fix(tmp_path: Path, previous: Path) -> None:
    before = files_of(previous)
    cache = scratch_cache(cache_dir(), tmp_path, without=("npm/pyodide-314.0.7",))
    with unwritable(cache / "npm"):
        code, output = run(*BUILD, str(previous), env={"SHIPYARD_CACHE_DIR": str(cache)})
    assert code == 2
    entry = cache / "npm" / "pyodide-314.0.7"
    assert re.match(rf"Error: {entry}: cannot read or write it in shipyard's cache {REFUSED}; ", output), (
        output
    )
    assert "set SHIPYARD_CACHE_DIR to a folder you can write" in output
    assert files_of(previous) == before


def test_a_cache_file_whose_read_fails_naming_no_file_is_named(tmp_path: Path, previous: Path) -> None:
    """A read that fails with an I/O error, as a failing disk's does, names no file: it was
    blamed on the output folder. Here the tarball to extract again is /proc/self/mem, whose
    first page is never mapped."""
    before = files_of(previous)
    cache = scratch_cache(cache_dir(), tmp_path, without=("tarballs", "npm/pyodide-314.0.7"))
    (cache / "tarballs").mkdir()
    tarball = cache / "tarballs" / PYODIDE.tarball
    tarball.symlink_to("/proc/self/mem")
    code, output = run(*BUILD, str(previous), env={"SHIPYARD_CACHE_DIR": str(cache)})
    assert code == 2
    assert output.startswith(
        f"Error: {tarball}: cannot read or write it in shipyard's cache (Input/output error); delete it"
    ), output
    assert files_of(previous) == before


@pytest.mark.parametrize(
    ("without", "message"),
    [
        ("snapshots", "--snapshot: could not make the start-up snapshot of Pyodide 314.0.7 ({node}: "),
        ("checks", "cannot run {node} ("),
    ],
    ids=["snapshot", "check"],
)
def test_node_that_does_not_run_is_named(tmp_path: Path, previous: Path, without: str, message: str) -> None:
    """A `node` on PATH that cannot be run (here, not a program): the start-up snapshot or
    the check in onnxruntime-web, whichever needs Node first, names it, not shipyard's files."""
    before = files_of(previous)
    node = tmp_path / "bin" / "node"
    node.parent.mkdir()
    node.write_bytes(b"\0not a program")
    node.chmod(0o755)
    cache = scratch_cache(cache_dir(), tmp_path, without=(without,))
    env = {"SHIPYARD_CACHE_DIR": str(cache), "PATH": f"{node.parent}:{os.environ['PATH']}"}
    code, output = run(*BUILD, str(previous), env=env)
    assert code == 2
    assert output.startswith(f"Error: {message.format(node=node)}Exec format error)"), output
    assert "install Node.js 18 or newer" in output
    assert files_of(previous) == before


def test_an_output_folder_that_cannot_be_written_is_named(tmp_path: Path, whole_cache: Path) -> None:
    parent = tmp_path / "parent"
    parent.mkdir()
    with unwritable(parent):
        code, output = run(*BUILD, str(parent / "site"))
    assert code == 2
    assert re.match(rf"Error: {parent / 'site'}: cannot create a folder here {REFUSED}", output), output


def test_a_write_that_fails_naming_no_file_is_the_sites(tmp_path: Path, previous: Path) -> None:
    """A write past a limit (here the process's file size limit, as a full disk) names no
    file: it happened while writing the site, so the site is blamed."""
    before = files_of(previous)
    result = subprocess.run(
        [sys.executable, "-m", "shipyard", *BUILD, str(previous)],
        preexec_fn=lambda: resource.setrlimit(
            resource.RLIMIT_FSIZE, (2**20, 2**20)
        ),  # Python ignores SIGXFSZ
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert result.stderr.startswith(f"Error: {previous}: cannot write the site (File too large)"), (
        result.stderr
    )
    assert files_of(previous) == before
