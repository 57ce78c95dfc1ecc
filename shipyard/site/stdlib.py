"""Python's standard library cut to what the site imports, and the rest beside it.

Pyodide's `python_stdlib.zip` is the largest file a first visit fetches after the wasm
builds, and a page uses a fraction of it. The build finds which of its files the page
needs by importing, in Pyodide run by Node, every module the page's Python names: the
runtime's, the app's, the requirements', PyScript's start-up and the snapshot's (`names_in`
reads them from the sources, without running them), after loading the runtime's wheel as
the page does. What those imports load is the trimmed zip, shipped where Pyodide looks for
its stdlib, each module compiled (by that Pyodide, so that its bytecode is the page's),
since compiling the sources was most of Pyodide's start-up; every other file goes into
`REST`, which the page fetches only when an import asks for a module the trace did not see
(runtime/stdlib_rest.py). The same Pyodide compiles the runtime's own modules too, for its
wheel (see runtime_wheel).
"""

from __future__ import annotations

import ast
import hashlib
import json
import re
import shutil
import subprocess
import tempfile
import warnings
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from shipyard.cache import cache_dir, cache_error, record_sizes, sizes_of, whole
from shipyard.errors import AssetError, last_line, os_reason
from shipyard.installed import own_file
from shipyard.site.layout import PAGE, PYSCRIPT, PYSCRIPT_FILES, template
from shipyard.site.npm_assets import PYODIDE
from shipyard.site.snapshot import PRELOADED

STDLIB = "python_stdlib.zip"
RUNTIME_BYTECODE = "runtime-bytecode.zip"
# Shipped whole, whatever the trace sees: Pyodide's own Python, which its JS calls into.
ALWAYS = ("pyodide/", "_pyodide/")
# Standard modules never imported to trace them: they act on import (open a browser, print).
NOT_TRACED = frozenset({"antigravity", "this", "idlelib", "turtledemo", "tkinter", "turtle"})
# A Python import in JS source (PyScript keeps its Python files as strings in its chunks):
# at the start of a line or of a string.
_JS_IMPORT = re.compile(
    r"(?:^|\n|\\n|[\"'`])\s*(?:from\s+([\w.]+)\s+import|import\s+([\w.]+(?:\s*,\s*[\w.]+)*))"
)

TRACE = """
import { writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [folder, wheel, names, always, output, compiled, runtime] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(`${folder}/pyodide.mjs`).href);
const pyodide = await loadPyodide({ indexURL: `${folder}/` });
await pyodide.loadPackage(wheel, { messageCallback: () => {} });
pyodide.globals.set("names", names);
pyodide.globals.set("always", always);
const needed = pyodide.runPython(`
import json, sys
for name in json.loads(names):
    if name.partition(".")[0] in sys.stdlib_module_names or name.startswith("shipyard_runtime"):
        try:
            __import__(name)
        except BaseException:
            pass
stdlib = f"/lib/python{sys.version_info[0]}{sys.version_info[1]}.zip/"
files = (getattr(module, "__file__", None) or "" for module in list(sys.modules.values()))
json.dumps(sorted({file[len(stdlib):] for file in files if file.startswith(stdlib)}))
`);
writeFileSync(output, needed);
pyodide.globals.set("needed", needed);
pyodide.runPython(`
import importlib.util
from importlib._bootstrap_external import _code_to_hash_pyc
def pyc(text, path):
    code = compile(text, path, "exec", dont_inherit=True)
    return bytes(_code_to_hash_pyc(code, importlib.util.source_hash(text), False))
`);
writeFileSync(compiled, pyodide.runPython(`
import io, json, sys, zipfile
stdlib = f"/lib/python{sys.version_info[0]}{sys.version_info[1]}.zip"
wanted, prefixes = set(json.loads(needed)), tuple(json.loads(always))
made = io.BytesIO()
with zipfile.ZipFile(stdlib) as source, zipfile.ZipFile(made, "w") as pycs:
    for name in source.namelist():
        if name.endswith(".py") and (name in wanted or name.startswith(prefixes)):
            pycs.writestr(name + "c", pyc(source.read(name), f"{stdlib}/{name}"))
made.getvalue()
`).toJs());
writeFileSync(runtime, pyodide.runPython(`
import io, pathlib, zipfile
import shipyard_runtime
package = pathlib.Path(shipyard_runtime.__file__).parent
made = io.BytesIO()
with zipfile.ZipFile(made, "w") as pycs:
    for source in sorted(package.glob("*.py")):
        pycs.writestr(f"{source.relative_to(package.parent)}c", pyc(source.read_bytes(), str(source)))
made.getvalue()
`).toJs());
"""


@dataclass(frozen=True)
class SplitStdlib:
    """The trimmed stdlib, the rest of it, the top-level modules the rest holds, and the
    runtime's own modules compiled (`shipyard_runtime/name.pyc`, see runtime_wheel)."""

    trimmed: Path
    rest: Path
    rest_modules: tuple[str, ...]
    runtime_bytecode: Path


def names_in(python: str) -> set[str]:
    """The absolute module names `python` imports anywhere (in functions too)."""
    try:
        with warnings.catch_warnings():  # another package's odd escapes are not the build's to report
            warnings.simplefilter("ignore")
            tree = ast.parse(python)
    except SyntaxError:  # newer syntax than this Python reads: its imports come on demand
        return set()
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def names_in_js(source: str) -> set[str]:
    """The module names the Python embedded in a JS file imports."""
    found: set[str] = set()
    for module, modules in _JS_IMPORT.findall(source):
        found.update(name.strip() for name in (module or modules).split(","))
    return found


def names_in_wheel(wheel: Path) -> set[str]:
    """The module names a wheel's Python files import."""
    found: set[str] = set()
    with zipfile.ZipFile(wheel) as archive:
        for name in archive.namelist():
            if name.endswith(".py"):
                found |= names_in(archive.read(name).decode("utf-8", "replace"))
    return found


def site_imports(runtime_wheel: Path, python: bytes | None, wheels: Iterable[Path]) -> set[str]:
    """Every module name the page's Python may import: the runtime's own modules and what
    they import, the page's inline script, PyScript's start-up, the snapshot's modules, the
    app's module and the requirements' wheels."""
    found = {"shipyard_runtime." + name.removesuffix(".py") for name in _python_files(runtime_wheel)}
    found |= names_in_js(template(PAGE).decode("utf-8"))
    for name in PYSCRIPT_FILES:
        found |= names_in_js(own_file(PYSCRIPT / name).decode("utf-8"))
    found |= {name.strip() for name in PRELOADED.split(",")}
    if python is not None:
        found |= names_in(python.decode("utf-8", "replace"))
    for wheel in (runtime_wheel, *wheels):
        found |= names_in_wheel(wheel)
    return found


def _python_files(wheel: Path) -> list[str]:
    with zipfile.ZipFile(wheel) as archive:
        return [Path(name).name for name in archive.namelist() if name.endswith(".py")]


def split_stdlib(pyodide: Path, runtime_wheel: Path, names: Iterable[str]) -> SplitStdlib:
    """The stdlib of the Pyodide in `pyodide` (the cached asset folder) split into what
    importing `names` after loading `runtime_wheel` loads, and the rest; cached by both."""
    traced = sorted(name for name in set(names) if name.partition(".")[0] not in NOT_TRACED)
    wheel_sha = hashlib.sha256(runtime_wheel.read_bytes()).hexdigest()
    recipe = hashlib.sha256(f"{PYODIDE.integrity}\n{wheel_sha}\n{traced}\n{TRACE}".encode()).hexdigest()
    folder = cache_dir() / "stdlib" / f"pyodide-{PYODIDE.version}-{recipe[:16]}"
    made = SplitStdlib(folder / STDLIB, folder / "rest.zip", (), folder / RUNTIME_BYTECODE)
    files = [made.trimmed, made.rest, folder / "rest.json", made.runtime_bytecode]
    try:
        if not whole(files, sizes_of(folder)):
            _make(pyodide, runtime_wheel, traced, folder)
            record_sizes(files, sizes_of(folder))
        rest_modules = tuple(json.loads(files[2].read_text()))
    except OSError as error:
        raise cache_error(error, folder) from None
    return SplitStdlib(made.trimmed, made.rest, rest_modules, made.runtime_bytecode)


def _make(pyodide: Path, runtime_wheel: Path, names: list[str], folder: Path) -> None:
    """Trace and compile in Node, then write the two zips, the rest's modules and the
    runtime's bytecode into `folder`."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    out = Path(tempfile.mkdtemp(dir=folder.parent, prefix=".partial-"))
    try:
        (out / "trace.mjs").write_text(TRACE)
        traced, compiled = out / "traced.json", out / "compiled.zip"
        _run_node(
            [
                str(out / "trace.mjs"),
                str(pyodide.resolve()),
                str(runtime_wheel.resolve()),
                json.dumps(names),
                json.dumps(ALWAYS),
                str(traced),
                str(compiled),
                str(out / RUNTIME_BYTECODE),
            ]
        )
        needed = set(json.loads(traced.read_text()))
        rest_modules = _write_split(pyodide / STDLIB, needed, compiled, out / STDLIB, out / "rest.zip")
        for scratch in (traced, compiled, out / "trace.mjs"):
            scratch.unlink()
        (out / "rest.json").write_text(json.dumps(rest_modules))
        shutil.rmtree(folder, ignore_errors=True)
        out.rename(folder)
    finally:
        shutil.rmtree(out, ignore_errors=True)


def _write_split(full: Path, needed: set[str], compiled: Path, trimmed: Path, rest: Path) -> list[str]:
    """Each entry of `full` into `trimmed` when needed, else into `rest` as it is (compressed
    already); returns the top-level modules `rest` holds files of.

    `trimmed` holds a module as its bytecode alone, from `compiled` (`name.pyc`, which
    zipimport takes before `name.py`). Its entries are stored, not deflated: the site ships
    it brotli-compressed whole, which packs far better across files, bytecode too (see
    `assemble`). A traceback through the stdlib names its file and line, without the line's
    text."""
    tops: set[str] = set()
    with (
        zipfile.ZipFile(full) as source,
        zipfile.ZipFile(compiled) as bytecode,
        zipfile.ZipFile(trimmed, "w", zipfile.ZIP_STORED) as keep,
        zipfile.ZipFile(rest, "w") as other,
    ):
        pycs = set(bytecode.namelist())
        for entry in source.infolist():
            if entry.is_dir():
                continue
            if entry.filename + "c" in pycs:  # its source is not read: the page has no use for it
                keep.writestr(_stored(entry, entry.filename + "c"), bytecode.read(entry.filename + "c"))
            elif entry.filename in needed or entry.filename.startswith(ALWAYS):
                keep.writestr(_stored(entry, entry.filename), source.read(entry))
            else:
                other.writestr(entry, source.read(entry), entry.compress_type)
                tops.add(entry.filename.split("/")[0].removesuffix(".py"))
    return sorted(tops)


def _stored(entry: zipfile.ZipInfo, name: str) -> zipfile.ZipInfo:
    """An entry named `name`, with `entry`'s date, stored."""
    stored = zipfile.ZipInfo(name, entry.date_time)
    stored.compress_type = zipfile.ZIP_STORED
    return stored


def _run_node(command: list[str]) -> None:
    node = shutil.which("node")
    if node is None:
        raise AssetError(_failed("Node.js is not installed"), key="node")
    try:
        result = subprocess.run([node, *command], capture_output=True, text=True, timeout=300)
    except subprocess.TimeoutExpired:
        raise AssetError(_failed("Node took over 5 minutes"), key="node") from None
    except OSError as error:  # Node is there but does not run
        raise AssetError(_failed(f"{node}: {os_reason(error)}"), key="node") from None
    if result.returncode != 0:
        raise AssetError(_failed(last_line(result.stderr) or "node failed"), key="node")


def _failed(why: str) -> str:
    return (
        f"could not trace which of Python's standard modules the site imports ({why}); "
        "install Node.js 18 or newer"
    )
