"""Native onnxruntime on CPython: the reference every browser result is compared with."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import onnxruntime as ort

from shipyard_runtime.spec import AppSpec

REL_TOL = 1e-5


def run_reference(model: Path, app: AppSpec, values: dict[str, list[Any]]) -> dict[str, list[Any]]:
    """Outputs of native onnxruntime for one submission, flattened like the page's results."""
    session = ort.InferenceSession(str(model), providers=["CPUExecutionProvider"])
    feeds = {
        spec.key: np.array(values[spec.key], dtype=spec.dtype.numpy).reshape(spec.dims) for spec in app.inputs
    }
    names = [o.name for o in session.get_outputs()]
    results = session.run(names, feeds)
    return {name: np.asarray(out).ravel().tolist() for name, out in zip(names, results, strict=True)}


def assert_same(browser: list[Any], native: list[Any]) -> None:
    """Floats within 1e-5 relative, everything else exactly equal."""
    assert len(browser) == len(native)
    for got, want in zip(browser, native, strict=True):
        if isinstance(want, float):
            assert math.isclose(got, want, rel_tol=REL_TOL, abs_tol=1e-12), (got, want)
        else:
            assert got == want
