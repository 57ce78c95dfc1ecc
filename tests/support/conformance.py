"""The onnx wheel's own conformance data, through shipyard: every model that native
onnxruntime runs, as it is or after `onnx.version_converter`, must build without metadata
and predict its reference outputs in headless Chromium; every other must fail the build
with a message and leave no site behind.

The data is `onnx/backend/test/data/pytorch-converted` and `pytorch-operator`: each case a
`model.onnx` with `test_data_set_0/input_N.pb` and `output_N.pb`, its inputs in the
order of the graph's inputs that are not initializers, its outputs in the graph's order.
Used by tests/e2e/test_conformance.py and benchmarks/conformance.py.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import onnx
from onnx import version_converter
from playwright.sync_api import Browser

from shipyard.site.serve import served
from shipyard.verify.chromium import WAIT_READY, predict_in_page
from shipyard.verify.compare import Tolerance, comparable, compare
from shipyard.verify.inputs import InputSet
from shipyard.verify.native import TYPE_NAMES
from shipyard_runtime.names import FILES
from tests.support.cli import run
from tests.support.refused_models import BACKEND, backend_case
from tests.support.site_page import tensor

FOLDERS = ("pytorch-converted", "pytorch-operator")
TOLERANCE = Tolerance(rtol=1e-3, atol=1e-5)
PYODIDE_WASM = f"**/{FILES.pyodide_wasm}"
# The opset an old model is converted to, to learn whether native onnxruntime runs it then.
CONVERTED_OPSET = 13
# What native onnxruntime makes of a case.
AS_IS, AFTER_CONVERSION, REFUSED = "as is", "after conversion", "refused"

# The default run's spread: both folders; models onnxruntime runs as they are (a stack of
# two 3 × 8 × 8 tensors in and out, an int64 input, two outputs, NaN outputs, a big input),
# ones that need converting (opset 6: AveragePool-1, BatchNormalization-6, Gemm-6,
# broadcasting Add on float64, int64 Mul) and one no conversion saves (PReLU's multiparam).
FAST = (
    "pytorch-converted/test_Conv2d_dilated",
    "pytorch-converted/test_Embedding",
    "pytorch-operator/test_operator_chunk",
    "pytorch-operator/test_operator_sqrt",
    "pytorch-operator/test_operator_convtranspose",
    "pytorch-converted/test_AvgPool2d",
    "pytorch-converted/test_BatchNorm2d_eval",
    "pytorch-converted/test_Linear",
    "pytorch-operator/test_operator_add_broadcast",
    "pytorch-operator/test_operator_non_float_params",
    "pytorch-converted/test_PReLU_2d_multiparam",
)


@dataclass(frozen=True)
class Case:
    folder: str  # one of FOLDERS
    name: str

    @property
    def id(self) -> str:
        return f"{self.folder}/{self.name}"

    @property
    def model(self) -> Path:
        return BACKEND / self.folder / self.name / "model.onnx"

    def inputs(self) -> dict[str, np.ndarray]:
        """The reference inputs by graph input name (initializers are not fed)."""
        return backend_case(self.id)[0]

    def outputs(self) -> dict[str, np.ndarray]:
        """The reference outputs by graph output name."""
        graph = onnx.load(str(self.model), load_external_data=False).graph
        return dict(zip([o.name for o in graph.output], backend_case(self.id)[1], strict=True))

    def operators(self) -> set[str]:
        return {node.op_type for node in onnx.load(str(self.model), load_external_data=False).graph.node}


def all_cases() -> list[Case]:
    return [
        Case(folder, d.name) for folder in FOLDERS for d in sorted((BACKEND / folder).iterdir()) if d.is_dir()
    ]


def fast_cases() -> list[Case]:
    return [Case(*case_id.split("/")) for case_id in FAST]


@functools.cache
def native_kind(case: Case) -> str:
    """Whether native onnxruntime runs the model as it is, after conversion, or not at all."""
    model = onnx.load(str(case.model))
    if _runs_natively(model, case.inputs()):
        return AS_IS
    try:
        converted = version_converter.convert_version(model, CONVERTED_OPSET)
    except Exception:  # the converter raises anything from its C++ core
        return REFUSED
    return AFTER_CONVERSION if _runs_natively(converted, case.inputs()) else REFUSED


def _runs_natively(model: onnx.ModelProto, inputs: dict[str, np.ndarray]) -> bool:
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.log_severity_level = 4  # silent: failing is an answer here
    try:
        session = ort.InferenceSession(model.SerializeToString(), options, providers=["CPUExecutionProvider"])
        session.run(None, inputs)
    except Exception:  # onnxruntime's errors share no base class worth naming
        return False
    return True


@dataclass
class Outcome:
    """What shipyard made of a case: built or refused (with the message), and if built,
    whether the site's model is the file as it is, and how its predictions compare."""

    case: Case
    code: int  # the build's exit code
    message: str  # the build's output
    leftovers: list[str] = field(default_factory=list)  # what a refused build left in its folder
    repaired: bool = False  # the site's model.onnx differs from the file
    problems: list[str] = field(default_factory=list)  # outputs that differ, or why none came

    @property
    def built(self) -> bool:
        return self.code == 0

    @property
    def matched(self) -> bool:
        return self.built and not self.problems


def check_case(browser: Browser, case: Case, folder: Path) -> Outcome:
    """Build `case` without metadata into `folder / "site"` as a user would, and if it
    builds, predict its reference inputs in the site and compare them with its outputs."""
    site = folder / "site"
    code, message = run("build", str(case.model), "--output", str(site))
    if code != 0:
        return Outcome(case, code, message, sorted(p.name for p in folder.iterdir()))
    outcome = Outcome(
        case, code, message, repaired=(site / FILES.model).read_bytes() != case.model.read_bytes()
    )
    with served(site) as url:
        # The model's outputs only: `predict` works once ready, before Python on these sites,
        # whose start is held off (it holds the page's thread for seconds; the suite's time).
        page = predict_in_page(browser, url, [predict_inputs(case.inputs())], WAIT_READY, [PYODIDE_WASM])
    foreign = page.foreign_requests(url)
    if page.load_error or foreign:
        outcome.problems = [page.load_error or f"requests outside the site: {foreign}"]
        return outcome
    checks, errors = compare(
        [InputSet(case.id, {})], [comparable(page.results[0])], [reference_result(case.outputs())], TOLERANCE
    )
    outcome.problems = errors + [f"{c.name}: {c.first_mismatch}" for c in checks if not c.passed]
    return outcome


def predict_inputs(arrays: dict[str, np.ndarray]) -> dict[str, Any]:
    """Each input as an explicit tensor `{dims, data}`."""
    return {name: tensor(array) for name, array in arrays.items()}


def reference_result(arrays: dict[str, np.ndarray]) -> dict[str, dict[str, Any]]:
    """The reference outputs as `window.shipyard.predict` gives outputs: {type, dims, data}."""
    return {
        name: {
            "type": TYPE_NAMES[array.dtype.name],
            "dims": list(array.shape),
            "data": array.ravel().tolist(),
        }
        for name, array in arrays.items()
    }
