"""Where each file sits in a built site, and which of them the page fetches from the start."""

from __future__ import annotations

import functools
import re
from importlib import resources
from pathlib import Path

from shipyard.installed import own_file
from shipyard_runtime.names import FILES, USER_MODULE

PYSCRIPT = Path(str(resources.files("shipyard") / "vendor" / "pyscript"))
TEMPLATES = resources.files("shipyard_templates")
PAGE = "index.html"
STYLE = "style.css"
ENTRY = "shipyard.js"  # the page's own JS starts here; a folder holding it holds a site
SNAPSHOT_INTERPRETER = "interpreter.mjs"  # restores Pyodide from its start-up snapshot, on the page
WORKER_INTERPRETER = "python_worker.mjs"  # starts Pyodide in a worker, off the page's thread
RESCUE = "rescue.js"  # inlined into the page: it names a broken module of the page's own
QUANTIZED = "quantized.json"  # what a --quantize site's model was made from (see model/quantize)
# A static import of another of the page's modules, as they spell one: `import { x } from "./x.mjs";`
_IMPORT = re.compile(r'^import\b[^;]*?\bfrom\s*"\./([\w-]+\.mjs)"', re.MULTILINE)

# PyScript's config: the local Pyodide (without it PyScript loads one from a CDN), and
# packages loaded straight from the site's lock, with no micropip and no package index.
# `packages` names the runtime and the app's requirements; Pyodide adds their `depends`.
PYSCRIPT_CONFIG: dict[str, object] = {"packages_cache": "passthrough"}
# Where PyScript writes the app's module, so that Python imports it as USER_MODULE.
USER_MODULE_FILE = f"./{USER_MODULE}.py"
RUNTIME_PACKAGE = "shipyard-runtime"

# The PyScript files a page loads (measured: core.js imports these chunks at start-up).
# The rest of the vendored dist (editor, terminal, TOML parser, MicroPython) is never fetched.
PYSCRIPT_FILES = (
    "core.js",  # the entry; the others are its chunks
    "core-C9KDLldu.js",
    "deprecations-manager-UpAPKqCb.js",
    "donkey-4Hrqd7WZ.js",
    "error-D2315lOB.js",
    "py-editor-C4XsZtn7.js",
    "py-game-DWiCrr7a.js",
    "py-terminal-CwQ6kcjg.js",
    "pyodide_graph-CX6fRcVL.js",
)
PYSCRIPT_ENTRY = FILES.pyscript
assert PYSCRIPT_ENTRY == f"pyscript/{PYSCRIPT_FILES[0]}", "the entry is the first of PyScript's files"
# The files the page fetches on the way to "ready" (templates/files.mjs starts them at once),
# besides the model's files, the snapshot, the app's module and the wheels (see assemble).
FETCHED = (
    FILES.ort_wasm,
    FILES.brotli_wasm,
    FILES.pyodide_wasm,
    FILES.stdlib,
    "pyodide/pyodide-lock.json",
)


# Fetched once the page is ready, for later visits (see templates/interpreter.mjs).
LATER = (FILES.snapshot,)


def site_files(folder: Path) -> dict[str, Path]:
    """Every file under `folder` (a site, built or being built), by its path in the site
    (`pyodide/pyodide.mjs`), in path order."""
    return {p.relative_to(folder).as_posix(): p for p in sorted(folder.rglob("*")) if p.is_file()}


def template(name: str) -> bytes:
    return own_file(TEMPLATES.joinpath(name))


def interpreter(snapshot: bool, worker: bool) -> str | None:
    """The module of the site's own that PyScript loads as its interpreter, if any: the
    worker's, which starts Pyodide there, restored from its start-up snapshot if the site has
    one, or, with Python on the page, the snapshot's; else PyScript loads Pyodide's own."""
    if worker:
        return WORKER_INTERPRETER
    return SNAPSHOT_INTERPRETER if snapshot else None


@functools.cache
def glue() -> tuple[str, ...]:
    """The page's other JS modules: its brotli decoder's worker, and those it and the page's
    entry points (`ENTRY`, and the interpreters) import, directly or through one
    another, read from the templates as the browser reads them, so that one missing from an
    installation is named rather than left out of the site. (The service worker, sw.js, and
    the inlined rescue.js are no modules.)"""
    roots = (ENTRY, SNAPSHOT_INTERPRETER, WORKER_INTERPRETER)
    found = {FILES.unbrotli}
    todo = [*roots, FILES.unbrotli]
    while todo:
        imported = set(_IMPORT.findall(template(todo.pop()).decode("utf-8"))) - found
        found |= imported
        todo.extend(imported)
    return tuple(sorted(found - set(roots)))


def module_preloads() -> tuple[str, ...]:
    """The page's modules and onnxruntime-web's, announced in the page's head: each is
    fetched from the first moment rather than when the module that needs it asks."""
    return (FILES.ort, FILES.brotli, *glue())


def python_modules(interpreter: str | None) -> tuple[str, ...]:
    """PyScript's and Pyodide's modules, and the site's `interpreter` module if it has one,
    which the page preloads as it imports PyScript (templates/shipyard.js): PyScript asks for
    Pyodide's only after its own chunks. On a site that predicts before Python, that is once
    `predict` works, so that they do not hold the session's start back. (A worker loads its
    own from the browser's cache: the page checks them there.)"""
    pyscript = tuple(f"pyscript/{name}" for name in PYSCRIPT_FILES)
    own = (interpreter,) if interpreter else ()
    return ("pyodide/pyodide.mjs", "pyodide/pyodide.asm.mjs", *pyscript, *own)
