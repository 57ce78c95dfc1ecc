"""Where each file sits in a built site, and which of them the page fetches from the start."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

PYSCRIPT = Path(str(resources.files("shipyard") / "vendor" / "pyscript"))
MODEL_FILE = "model.onnx"
ORT_ENTRY = "ort/ort.wasm.bundle.min.mjs"
ORT_WASM = "ort-wasm-simd-threaded.wasm"
ISOLATING_WORKER = "mini-coi.js"  # `shipyard serve` isolates a site that holds it
SNAPSHOT_INTERPRETER = "interpreter.mjs"  # restores Pyodide from its start-up snapshot
SNAPSHOT_FILE = "snapshot.bin.gz"  # in pyodide/
USER_CODE = "app.py"  # the app's Python module, imported in the page as `shipyard_app`

# PyScript's config: the local Pyodide (without it PyScript loads one from a CDN), restored
# from its start-up snapshot by interpreter.mjs unless the site is built without one, and
# packages loaded straight from the site's lock, with no micropip and no package index.
# `packages` names the runtime and the app's requirements; Pyodide adds their `depends`.
PYSCRIPT_CONFIG: dict[str, object] = {"packages_cache": "passthrough"}
INTERPRETER = {True: f"./{SNAPSHOT_INTERPRETER}", False: "./pyodide/pyodide.mjs"}
RUNTIME_PACKAGE = "shipyard-runtime"

# The PyScript files a page loads (measured: core.js imports these chunks at start-up).
# The rest of the vendored dist (editor, terminal, TOML parser, MicroPython) is never fetched.
PYSCRIPT_FILES = (
    "core.js",
    "core-C9KDLldu.js",
    "deprecations-manager-UpAPKqCb.js",
    "donkey-4Hrqd7WZ.js",
    "error-D2315lOB.js",
    "py-editor-C4XsZtn7.js",
    "py-game-DWiCrr7a.js",
    "py-terminal-CwQ6kcjg.js",
    "pyodide_graph-CX6fRcVL.js",
)

# Every file on the way to "ready", fetched from the first moment rather than when the
# module that needs it asks (PyScript asks for Pyodide's files only after its own chunks).
MODULE_PRELOADS = (
    ORT_ENTRY,
    "gunzip.mjs",
    "pyodide/pyodide.mjs",
    "pyodide/pyodide.asm.mjs",
    *(f"pyscript/{name}" for name in PYSCRIPT_FILES[1:]),
)
FETCH_PRELOADS = (
    MODEL_FILE,
    f"ort/{ORT_WASM}.gz",
    "pyodide/pyodide.asm.wasm",
    "pyodide/python_stdlib.zip",
    "pyodide/pyodide-lock.json",
)
