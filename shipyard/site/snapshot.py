"""Pyodide's memory after start-up, saved once per Pyodide build by Node, for pages to restore.

Booting the interpreter is most of a page's start-up on a slow CPU. A page that restores
the memory of a Pyodide that has already started, and has already imported the standard
modules the runtime and PyScript use, skips that work (the README gives the figures). Its
bytes cost a first visit more than that saves, so a page fetches it once ready, for the
visits after (templates/interpreter.mjs).
The snapshot is a heap image that only the Pyodide build that made it accepts (Pyodide
checks its build id); it holds no JS state, so one made in Node restores in a browser.
Node is the `npm` the assets are fetched with, so it is at hand.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import tempfile
from pathlib import Path

from shipyard.cache import cache_dir, cache_error, read_cached, record_sizes, sizes_of, whole
from shipyard.errors import SnapshotError, last_line, os_reason
from shipyard.site.npm_assets import PYODIDE

# Imported before the snapshot is taken: the standard modules that shipyard_runtime (see
# tests/test_snapshot.py) and PyScript's start-up import, which a page then finds loaded.
PRELOADED = (
    "array, ast, asyncio, collections, copy, csv, dataclasses, difflib, dis, heapq, html, "
    "importlib, inspect, ipaddress, json, math, opcode, struct, textwrap, token, tokenize, "
    "traceback, typing, urllib.parse, weakref"
)

MAKE_SNAPSHOT = """
import { writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";

const [folder, stdlib, output, modules] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(`${folder}/pyodide.mjs`).href);
const pyodide = await loadPyodide({ indexURL: `${folder}/`, stdLibURL: stdlib, _makeSnapshot: true });
pyodide.runPython(`import ${modules}`);
writeFileSync(output, gzipSync(pyodide.makeMemorySnapshot(), { level: 9 }));
"""


def ensure_snapshot(pyodide: Path, stdlib: Path) -> Path:
    """The gzipped snapshot for the Pyodide in `pyodide` (the cached asset folder) running
    the site's `stdlib` zip: its importers keep the zip's offsets, so a snapshot restores
    only with the very zip it was made with (see `stdlib`)."""
    stdlib_sha = hashlib.sha256(read_cached(stdlib)).hexdigest()
    recipe = f"{PYODIDE.integrity}\n{stdlib_sha}\n{PRELOADED}\n{MAKE_SNAPSHOT}"
    recipe = hashlib.sha256(recipe.encode()).hexdigest()
    target = cache_dir() / "snapshots" / f"pyodide-{PYODIDE.version}-{recipe[:16]}.bin.gz"
    if whole([target], sizes_of(target)):
        return target
    node = shutil.which("node")
    if node is None:
        raise SnapshotError(_failed("Node.js is not installed"), key="--snapshot")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
            script, made = Path(tmp) / "make.mjs", Path(tmp) / "snapshot.bin.gz"
            script.write_text(MAKE_SNAPSHOT)
            _run_node(
                [node, str(script), str(pyodide.resolve()), str(stdlib.resolve()), str(made), PRELOADED], made
            )
            made.replace(target)
        record_sizes([target], sizes_of(target))
    except OSError as error:
        raise cache_error(error, target) from None
    return target


def _run_node(command: list[str], made: Path) -> None:
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    except subprocess.TimeoutExpired:
        raise SnapshotError(_failed("Node took over 5 minutes"), key="--snapshot") from None
    except OSError as error:  # Node is there but does not run
        raise SnapshotError(_failed(f"{command[0]}: {os_reason(error)}"), key="--snapshot") from None
    if result.returncode != 0 or not made.is_file():
        raise SnapshotError(_failed(last_line(result.stderr) or "node failed"), key="--snapshot")


def _failed(why: str) -> str:
    return (
        f"could not make the start-up snapshot of Pyodide {PYODIDE.version} ({why}); "
        "install Node.js 18 or newer, or build with --no-snapshot (the page then starts slower)"
    )
