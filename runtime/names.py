"""The names the generator, the runtime and the page's JS must agree on: the site's files,
the page's element ids and data attributes, and the page's one JSON block.

They are written here and nowhere else. The generator lays the site out by them and
renders the page with them, the runtime finds its elements by them, and JS reads them
from the page's JSON block (`PAGE_DATA`, made by `page_data`): the id of that block is
the only name JS spells itself.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

# The id of the JSON block that carries the app spec and every name below to the page.
PAGE_DATA = "shipyard-page"
# The module name the app's Python file has in the page (PyScript writes it there).
USER_MODULE = "shipyard_app"


@dataclass(frozen=True)
class Files:
    """Site files, by their path from the page."""

    model: str = "model.onnx"  # the graph
    model_data: str = "model.data"  # its weights, which the page hands onnxruntime-web as externalData
    # onnxruntime-web's CPU build, in one module, and its wasm, shipped brotli-compressed; a --gpu site
    # holds the WebGPU build under these same paths (shipyard/site/gpu.py)
    ort: str = "ort/ort.wasm.bundle.min.mjs"
    ort_wasm: str = "ort/ort-wasm-simd-threaded.wasm.br"
    pyodide_wasm: str = "pyodide/pyodide.asm.wasm.br"  # Pyodide's wasm, shipped brotli-compressed too
    brotli: str = "brotli/brotli_dec_wasm.js"  # the page's brotli decoder (its wasm beside it)
    brotli_wasm: str = "brotli/brotli_dec_wasm_bg.wasm"
    unbrotli: str = "unbrotli_worker.mjs"  # the worker that runs it, off the page's thread
    snapshot: str = "pyodide/snapshot.bin.gz"  # Pyodide's memory after start-up
    # the standard modules the page imports, compiled, in one brotli-compressed zip (shipyard/site/stdlib.py)
    stdlib: str = "pyodide/python_stdlib.zip.br"
    stdlib_rest: str = "pyodide/python_stdlib_rest.zip"  # the standard modules fetched on import
    worker: str = "sw.js"  # the service worker: the site offline, and isolated for --threads
    manifest: str = "files.json"  # every file's size and sha256, as the page checks them
    web_manifest: str = "app.webmanifest"  # what makes the site installable as an app
    pyscript: str = "pyscript/core.js"  # PyScript's entry, which the page's JS imports
    user_code: str = "app.py"  # the app's Python module, imported as USER_MODULE


@dataclass(frozen=True)
class Ids:
    """The page's elements, by id."""

    status: str = "shipyard-status"
    progress: str = "shipyard-progress"
    form: str = "shipyard-form"
    form_error: str = "shipyard-form-error"
    run: str = "shipyard-run"
    outputs: str = "shipyard-outputs"
    batch_file: str = "shipyard-batch-file"
    batch_status: str = "shipyard-batch-status"
    batch_result: str = "shipyard-batch-result"


@dataclass(frozen=True)
class Attributes:
    """The data attributes the form's HTML carries and the page's code looks elements up by."""

    input: str = "data-input"  # a field, by its input key
    output: str = "data-output"  # an output's slot, by its name
    error_for: str = "data-error-for"  # a field's problem, by its input key
    image_for: str = "data-image-for"  # a picture's drop zone, by its input key
    slider_for: str = "data-for"  # a slider, by the id of the number box it mirrors
    example: str = "data-example"  # an example button, by the example's index
    state: str = "data-state"  # the status line's state: loading, ready or error


@dataclass(frozen=True)
class Marks:
    """Performance marks the page sets, for benchmarks and embedders."""

    ready: str = "shipyard-ready"  # `predict` works: before Python for a site without hooks
    python: str = "shipyard-python"  # Python runs too: the form, its Run button and every path
    restored: str = "shipyard-restored"  # Pyodide was restored from its start-up snapshot


FILES, IDS, ATTRIBUTES, MARKS = Files(), Ids(), Attributes(), Marks()


def page_data(
    app: dict[str, Any],
    threads: int,
    snapshot: bool,
    session: dict[str, Any] | None = None,
    manifest: dict[str, Any] | None = None,
    plan: dict[str, Any] | None = None,
    gpu: dict[str, Any] | None = None,
    python_modules: tuple[str, ...] = (),
    python_worker: bool = True,
) -> dict[str, Any]:
    """The page's JSON block: the app spec the runtime reads, the names JS uses (keys in
    JS's own camelCase; of the files, those the site holds: the snapshot, the model's
    weights and the app's module only when it ships them), onnxruntime-web's threads, its options for opening
    the model (`session`, made by the generator; its `externalData` names the weights' file
    when there is one), the site's `manifest` of its own files (shipyard/site/manifest.py),
    the JS `plan` made at build time (`plan.built_plan`; null when Python makes it), and for
    a --gpu site the check of WebGPU's outputs (`gpu`, shipyard/site/gpu.py; null for a
    site that runs on the CPU only), the modules Python needs, which the page preloads
    as it starts Python (`pythonModules`, shipyard/site/layout.py), and whether Python runs
    in a worker (`pythonWorker`, templates/python_worker.mjs) or on the page."""
    session = session or {}
    names = {kind: _camel(asdict(value)) for kind, value in _NAMES.items()}
    absent = {"snapshot": not snapshot, "modelData": "externalData" not in session}
    absent["userCode"] = not app.get("python")
    names["files"] = {key: path for key, path in names["files"].items() if not absent.get(key)}
    return {
        "app": app,
        "names": names,
        "threads": threads,
        "session": session,
        "manifest": manifest or {},
        "plan": plan,
        "gpu": gpu,
        "pythonModules": list(python_modules),
        "pythonWorker": python_worker,
    }


_NAMES: dict[str, Files | Ids | Attributes | Marks] = {
    "files": FILES,
    "ids": IDS,
    "attributes": ATTRIBUTES,
    "marks": MARKS,
}


def _camel(names: dict[str, str]) -> dict[str, str]:
    return {_camel_case(key): value for key, value in names.items()}


def _camel_case(name: str) -> str:
    first, *rest = name.split("_")
    return first + "".join(part.capitalize() for part in rest)
