"""The page's JS (templates/) checked by ESLint and by Node's own test runner, on real
parts: onnxruntime-web's CPU bundle from shipyard's asset cache, small ONNX models, and
plans made by Python's `page_plan`.

This module writes those fixtures into a temporary folder and hands node their paths
through environment variables (`SHIPYARD_JS_FIXTURES`, `SHIPYARD_ORT`, `SHIPYARD_ORT_WASM`;
tests/js/fixtures.mjs reads them; and `SHIPYARD_BROTLI`, the brotli decoder's folder, for
unbrotli.test.mjs), so that `python -m pytest` covers the JS too. ESLint
comes from package-lock.json, installed with `npm ci` when node_modules is missing or stale.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from onnx import TensorProto, helper

from examples.samples import noise
from shipyard.model.picture_graph import write_picture_graphs
from shipyard.site.gpu import gpu_check
from shipyard.site.npm_assets import BROTLI_DECODER, ONNXRUNTIME_WEB, ensure_asset
from shipyard_runtime.dtypes import DTYPES
from shipyard_runtime.hooks import Hooks
from shipyard_runtime.picture_prep import picture_files
from shipyard_runtime.plan import page_plan
from shipyard_runtime.spec import AppSpec
from shipyard_runtime.tensors import FeedLayout
from shipyard_runtime.values import InputError, from_api, image_row
from tests.support.models import identity_model, keyed_identity_model, save
from tests.support.pictures import picture_inputs
from tests.support.sites import ROOT

JS_TESTS = ROOT / "tests" / "js"
LOCK = ROOT / "package-lock.json"
# The hash of the lock node_modules was last installed from (npm ci empties the folder first).
INSTALLED = ROOT / "node_modules" / ".shipyard-lock-sha256"

Inputs = dict[str, dict[str, Any]]

IDENTITY: Inputs = {f"in_{n}": {"type": n, "shape": [None, 2]} for n in DTYPES}
# Bounds and choices on every kind: a float32 bound that rounding to float32 crosses,
# choices JS must compare as given (labels are not values), a choice out of bounds.
IDENTITY_BOUNDED: Inputs = IDENTITY | {
    "in_float32": IDENTITY["in_float32"] | {"min": -1, "max": 0.99999999},
    "in_float64": IDENTITY["in_float64"] | {"choices": {"half": 0.5, "big": 1e30}, "max": 1},
    "in_int8": IDENTITY["in_int8"] | {"min": 0, "max": 10},
    "in_int64": IDENTITY["in_int64"] | {"choices": {"one": 1, "two": 2}},
    "in_bool": IDENTITY["in_bool"] | {"choices": {"Yes": True}},
    "in_string": IDENTITY["in_string"] | {"choices": {"Red": "red", "Blue": "blue"}},
}
ADD: Inputs = {"x": {"type": "float32", "shape": [1, 4]}}
ADD_BOUNDED: Inputs = {"x": ADD["x"] | {"min": -100, "max": 100}}
# Packed inputs of several widths (offset 0 first), and two that travel on their own, in
# order: a string, and a float array longer than PACKED_MAX.
MIXED: Inputs = {
    "f": {"type": "float32", "shape": [1, 3]},
    "i": {"type": "int64", "shape": [1, 2]},
    "t": {"type": "string", "shape": [1, 1]},
    "l": {"type": "float32", "shape": [1, 100]},
    "b": {"type": "bool", "shape": [1, 2]},
    "d": {"type": "float64", "shape": [1, 1]},
}
MIXED_VALUES = {
    "f": [0.1, -1.5, 3.4028234663852886e38],
    "i": [2**40, -3],
    "t": "héllo",
    "l": [i / 7 for i in range(100)],
    "b": [True, False],
    "d": 0.1,
}

# A sequence the value sizes (a free dimension), beside a fixed input.
FREE: Inputs = {
    "tokens": {"type": "int64", "shape": ["batch", "sequence"]},
    "f": {"type": "float32", "shape": [1, 2]},
}
FREE_VALUES = {"tokens": [5, 6, 7], "f": [0.5, 1.5]}

# Each model's inputs, as given to the plan without hooks ("plain") or with bounds.
SPECS: dict[str, dict[str, Inputs]] = {
    "identity": {"plain": IDENTITY, "bounded": IDENTITY_BOUNDED},
    "add": {"plain": ADD, "bounded": ADD_BOUNDED},
    "mixed": {"plain": MIXED},
    "free": {"plain": FREE},
}

# Inputs the fast path refuses: (model, plan, inputs), with Python's answer for them.
REFUSED = {
    "add_nested": ("add", "plain", {"x": [[1, 2, 3, 4]]}),
    "add_nothing": ("add", "plain", {}),
    "add_out_of_bounds": ("add", "bounded", {"x": [1, 2, 3, 400]}),
    "mixed_nested": ("mixed", "plain", MIXED_VALUES | {"f": [MIXED_VALUES["f"]]}),
}


def _postprocess(outputs: dict[str, Any], inputs: dict[str, Any]) -> dict[str, Any]:
    return {}


def app(inputs: Inputs) -> AppSpec:
    """An app with these inputs (the plan never reads the outputs: each is `<key>_out`)."""
    outputs = {f"{key}_out": {"type": s["type"], "shape": s["shape"]} for key, s in inputs.items()}
    return AppSpec.from_dict({"name": "js tests", "inputs": inputs, "outputs": outputs})


def plans(specs: dict[str, Inputs]) -> dict[str, Any]:
    """The plans JS gets for a model: each of its specs without hooks, and the plain one
    with a hook ("hooked")."""
    made = {name: page_plan(app(inputs), Hooks(), FeedLayout(app(inputs))) for name, inputs in specs.items()}
    plain = app(specs["plain"])
    return made | {"hooked": page_plan(plain, Hooks(postprocess=_postprocess), FeedLayout(plain))}


def prepared_by_python(spec: AppSpec, inputs: dict[str, Any]) -> dict[str, Any]:
    """What `Page.prepare_api` (runtime/browser.py) hands JS for these inputs on a site
    without hooks: the submission `{packed, own, dims, run}`, as lists, or `{error}`."""
    try:
        values = from_api(spec, inputs)
    except InputError as error:
        return {"error": f"Invalid input: {error}"}
    packed, own, dims = FeedLayout(spec).pack(values)
    return {"packed": list(packed), "own": [list(v) for v in own], "dims": dims, "run": 1}


def as_tensors(spec: AppSpec, inputs: dict[str, Any]) -> dict[str, list[Any]]:
    """Each input's values as its tensor holds them (float32 rounded, bools as bools)."""
    values = from_api(spec, inputs)
    return {s.key: s.dtype.unpack(s.dtype.pack(values[s.key])) for s in spec.inputs}


def picture_fixture(folder: Path) -> dict[str, Any]:
    """A site's picture graphs (shipyard/model/picture_graph.py), written under `folder`, for
    inputs of several `image:` options, with pictures and Python's tensors of them."""
    spec = app(picture_inputs())
    pictures = [noise(9, 5, seed=1), noise(7, 12, seed=4, opaque=False)]
    return {
        "folder": str(folder),
        "files": picture_files(spec),
        "written": list(write_picture_graphs(folder, spec)),
        "pictures": [{"width": p.width, "height": p.height, "rgba": list(p.rgba)} for p in pictures],
        "tensors": [{s.key: list(image_row(s, p)) for s in spec.inputs} for p in pictures],
        "dims": {s.key: list(s.dims) for s in spec.inputs},
    }


def add_model(path: Path) -> Path:
    """y = x + [10, 20, 30, 40], float32 [1, 4]."""
    shape = [1, 4]
    tens = helper.make_tensor("tens", TensorProto.FLOAT, shape, [10.0, 20.0, 30.0, 40.0])
    node = helper.make_node("Add", ["x", "tens"], ["y"])
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, shape)
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, shape)
    return save(helper.make_graph([node], "add", [x], [y], [tens]), path)


@pytest.fixture(scope="module")
def fixtures(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment that points node at the fixtures (see tests/js/fixtures.mjs)."""
    folder = tmp_path_factory.mktemp("js")
    data = {
        "models": {
            "identity": str(identity_model(folder / "identity.onnx")),
            "add": str(add_model(folder / "add.onnx")),
            "mixed": str(keyed_identity_model(folder / "mixed.onnx", MIXED)),
            "free": str(keyed_identity_model(folder / "free.onnx", FREE)),
        },
        "plans": {model: plans(specs) for model, specs in SPECS.items()},
        "mixed": {
            "inputs": MIXED_VALUES,
            "submission": prepared_by_python(app(MIXED), MIXED_VALUES),
            "tensors": as_tensors(app(MIXED), MIXED_VALUES),
        },
        "free": {
            "submission": prepared_by_python(app(FREE), FREE_VALUES),
            "tensors": as_tensors(app(FREE), FREE_VALUES),
        },
        "refused": {
            name: {"inputs": inputs, "answer": prepared_by_python(app(SPECS[model][plan]), inputs)}
            for name, (model, plan, inputs) in REFUSED.items()
        },
        "pictures": picture_fixture(folder / "site"),
        "gpu": gpu_check(),  # a --gpu page's check, as its JSON block carries it
    }
    (folder / "fixtures.json").write_text(json.dumps(data, allow_nan=False))
    ort = ensure_asset(ONNXRUNTIME_WEB)
    return {
        "SHIPYARD_JS_FIXTURES": str(folder / "fixtures.json"),
        "SHIPYARD_ORT": str(ort / "ort.wasm.bundle.min.mjs"),
        "SHIPYARD_ORT_WASM": str(ort / "ort-wasm-simd-threaded.wasm"),
        "SHIPYARD_BROTLI": str(ensure_asset(BROTLI_DECODER)),
    }


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is missing: the JS tests need Node.js 20 or newer and npm")
    return found


def _run(command: list[str], env: dict[str, str] | None = None) -> str:
    """The command's output; the test fails with it unless the command succeeds."""
    result = subprocess.run(
        command, cwd=ROOT, env=os.environ | (env or {}), capture_output=True, text=True, timeout=600
    )
    output = f"$ {' '.join(command)}\n{result.stdout}{result.stderr}"
    if result.returncode != 0:
        pytest.fail(output, pytrace=False)
    return output


@pytest.fixture(scope="session")
def npm_tools() -> Path:
    """node_modules, installed from package-lock.json unless it already was."""
    digest = hashlib.sha256(LOCK.read_bytes()).hexdigest()
    if not INSTALLED.is_file() or INSTALLED.read_text() != digest:
        _run([_tool("npm"), "ci", "--no-audit", "--no-fund"])
        INSTALLED.write_text(digest)
    return ROOT / "node_modules"


def test_the_page_js_passes_its_node_tests(fixtures: dict[str, str], tmp_path: Path) -> None:
    files = [str(path) for path in sorted(JS_TESTS.glob("*.test.mjs"))]
    # The spec report ends with the failures, to show; TAP marks every skip, a suite's too
    # (both summaries count only tests' skips).
    tap = tmp_path / "node.tap"
    reports = ["--test-reporter=spec", "--test-reporter-destination=stdout"]
    reports += ["--test-reporter=tap", f"--test-reporter-destination={tap}"]
    output = _run([_tool("node"), "--test", *reports, *files], fixtures)
    assert "# SKIP" not in tap.read_text(), f"node skipped tests it should have run:\n{output}"


def test_the_page_js_is_lint_clean(npm_tools: Path) -> None:
    _run([_tool("node"), str(npm_tools / "eslint" / "bin" / "eslint.js"), "--max-warnings", "0", "."])
