"""A site's stdlib is cut in two: what the page imports, compiled and shipped where Pyodide
looks for it, and the rest, which the page fetches only for an import the trace did not see."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import brotli
from click.testing import CliRunner

from shipyard.cli import main
from shipyard.site.npm_assets import PYODIDE, ensure_asset
from shipyard.site.page import read_page_data
from shipyard.site.stdlib import STDLIB, names_in, names_in_js
from shipyard_runtime.names import FILES
from tests.support.sites import EXAMPLES


def members(archive: zipfile.ZipFile) -> set[str]:
    return {entry.filename for entry in archive.infolist() if not entry.is_dir()}


def shipped(site: Path) -> zipfile.ZipFile:
    """The stdlib the page starts with, unpacked."""
    return zipfile.ZipFile(io.BytesIO(brotli.decompress((site / FILES.stdlib).read_bytes())))


def test_the_two_zips_hold_the_whole_stdlib_and_the_page_gets_the_smaller(site: Path) -> None:
    full = ensure_asset(PYODIDE) / STDLIB
    trimmed = members(shipped(site))
    rest = members(zipfile.ZipFile(site / FILES.stdlib_rest))
    sources = {name.removesuffix("c") for name in trimmed}
    assert sources | rest == members(zipfile.ZipFile(full)) and not sources & rest
    assert {"json/__init__.pyc", "dataclasses.pyc", "pyodide/ffi/__init__.pyc"} <= trimmed
    assert {"fractions.py", "statistics.py", "xml/dom/minidom.py"} <= rest
    assert (site / FILES.stdlib).stat().st_size < full.stat().st_size / 2


def test_the_page_s_stdlib_is_bytecode_alone_stored_uncompressed(site: Path) -> None:
    """The page's modules come compiled (see shipyard/site/stdlib.py), and its zip is stored:
    the brotli around it packs it."""
    entries = shipped(site).infolist()
    assert not [entry.filename for entry in entries if entry.filename.endswith(".py")]
    assert {entry.compress_type for entry in entries} == {zipfile.ZIP_STORED}
    pyc = shipped(site).read("json/__init__.pyc")
    assert int.from_bytes(pyc[4:8], "little") == 0b01  # hash-based, unchecked: no source to check


def test_the_manifest_lists_the_rest_with_its_modules_and_the_page_does_not_fetch_it(site: Path) -> None:
    entry = read_page_data(site)["manifest"][FILES.stdlib_rest]
    assert entry["size"] == (site / FILES.stdlib_rest).stat().st_size
    assert {"fractions", "statistics", "xml"} <= set(entry["modules"])
    assert "fetch" not in entry


def test_imports_are_read_from_python_and_from_python_kept_in_js() -> None:
    python = "import a.b, c\nfrom d import e\nfrom . import f\ndef g():\n    import h\n"
    assert names_in(python) == {"a.b", "c", "d", "d.e", "h"}
    assert names_in_js('x = "import json,sys\\nfrom pyscript.ffi import to_js\\n"') >= {
        "json",
        "sys",
        "pyscript.ffi",
    }


def test_full_stdlib_ships_pyodide_s_own_zip_and_no_rest(tmp_path: Path) -> None:
    housing = EXAMPLES / "housing"
    args = ["build", str(housing / "model.onnx"), "--metadata", str(housing / "metadata.yml")]
    args += ["--output", str(tmp_path / "site"), "--full-stdlib", "--no-snapshot"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    site = tmp_path / "site"
    unpacked = brotli.decompress((site / FILES.stdlib).read_bytes())
    assert unpacked == (ensure_asset(PYODIDE) / STDLIB).read_bytes()
    assert not (site / FILES.stdlib_rest).exists()
    assert FILES.stdlib_rest not in read_page_data(site)["manifest"]
