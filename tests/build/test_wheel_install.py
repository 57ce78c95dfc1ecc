"""shipyard as users install it: its wheel, in a fresh venv, run from a folder outside the
repository.

An editable install reads the templates and the vendored files from the checkout, so it
hides a data file the wheel lacks (package-data globs are literal: `*.js` misses `*.mjs`).
The wheel is built from a copy of the repository's files (git's list, untracked ones
included), so nothing left in the checkout can stand in for a file the wheel needs.

The venv holds shipyard's wheel and exactly the dependencies it declares (and theirs),
linked from the test venv (see `tests/support/installed`). Installing them from the package
index, as `pip install` does, took 30 s more on this 2-core machine and proves nothing more
about shipyard: a dependency missing from pyproject is missing from the venv either way. The
test venv's site-packages as a whole would hide one (it holds the test extras) and holds the
editable shipyard. The asset cache is the user's (`~/.cache/shipyard`), shared with the other
tests: nothing is fetched again.
"""

from __future__ import annotations

import html
import json
import re
import tomllib
import urllib.request
import zipfile
from pathlib import Path

import pytest

from shipyard.site.page import read_page_data
from tests.support.installed import Installed, repository_files
from tests.support.sites import EXAMPLES, ROOT


def test_the_wheel_holds_every_file_of_its_packages(installed: Installed) -> None:
    """Every file under a package's folder in the repository is in the wheel, at its
    package's path (pyproject's `package-dir` maps `runtime/` to `shipyard_runtime/`)."""
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    folders = {"shipyard": "shipyard", **{folder: name for name, folder in setuptools["package-dir"].items()}}
    expected = {_in_wheel(path, folders) for path in repository_files(*folders)}
    with zipfile.ZipFile(installed.wheel) as wheel:
        assert expected - set(wheel.namelist()) == set()


@pytest.mark.parametrize(
    ("example", "options"),
    [("housing", ()), ("digits", ("--python", "app.py", "--threads", "2"))],
    ids=["housing", "digits-app-threads"],
)
def test_the_installed_shipyard_builds_an_example_from_outside_the_repository_and_serves_it(
    installed: Installed, tmp_path: Path, example: str, options: tuple[str, ...]
) -> None:
    folder = EXAMPLES / example
    given = [str(folder / option) if option.endswith(".py") else option for option in options]
    installed.run(
        "build", str(folder / "model.onnx"), "--metadata", str(folder / "metadata.yml"), *given,
        "--output", "site", cwd=tmp_path,
    )  # fmt: skip
    site = tmp_path / "site"
    named = page_files(site)
    assert {"shipyard.js", "model.onnx", "pyscript/core.js", "pyodide/pyodide.asm.wasm.br"} <= named
    assert sorted(name for name in named if not (site / name).is_file()) == []
    with installed.serving(site) as url:
        for name in ("index.html", "shipyard.js", "pyodide/pyodide-lock.json", *sorted(named)[:12]):
            with urllib.request.urlopen(url + name, timeout=10) as response:
                assert (response.status, response.read()) == (200, (site / name).read_bytes()), name


def test_the_installed_shipyard_runs_its_own_files(installed: Installed, tmp_path: Path) -> None:
    """The modules the installed command imports are the venv's, not the checkout's."""
    script = "import shipyard, shipyard_runtime, shipyard_templates as t; print(t.__file__)"
    where = installed.python(script, cwd=tmp_path)
    assert Path(where).is_relative_to(installed.venv), where


def page_files(site: Path) -> set[str]:
    """Every site file `index.html` names: its scripts, styles and preloads, the files of its
    JSON block (Python's modules among them) and its manifest, PyScript's interpreter and the
    files its config writes, and the wheels of the site's lock, which Pyodide fetches (the
    file the page unpacks one from, for a wheel it serves unpacked)."""
    page = (site / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'<(?:script|link)\b[^>]*\b(?:src|href)="\./([^"]+)"', page)
    data = read_page_data(site)
    config = json.loads(html.unescape(re.search(r'<script type="py"(?: worker)? config="([^"]+)"', page)[1]))
    configured = [config["interpreter"], *config.get("files", {})]
    lock = json.loads((site / "pyodide" / "pyodide-lock.json").read_text())
    manifest = data["manifest"]
    packed = {entry["unpacked"]["path"]: path for path, entry in manifest.items() if "unpacked" in entry}
    wheels = [f"pyodide/{package['file_name']}" for package in lock["packages"].values()]
    files = {*data["names"]["files"].values(), *data["manifest"], *data["pythonModules"]}
    return {*links, *files, *(n.removeprefix("./") for n in configured), *(packed.get(w, w) for w in wheels)}


def _in_wheel(path: str, folders: dict[str, str]) -> str:
    top, _, rest = path.partition("/")
    return f"{folders[top]}/{rest}"
