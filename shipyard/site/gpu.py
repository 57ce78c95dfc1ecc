"""A site built with --gpu: the onnxruntime-web build it ships, and what its page needs to
check WebGPU's outputs against the wasm backend's (templates/backend.mjs).

The check's tolerance is `shipyard verify`'s (shipyard/verify/compare.py owns it), handed to
the page as data, with the element types it applies to; every other type must be equal.
"""

from __future__ import annotations

from typing import Any

from shipyard.site.npm_assets import ONNXRUNTIME_WEB, ONNXRUNTIME_WEB_GPU, NpmAsset
from shipyard.verify.compare import Tolerance
from shipyard_runtime.dtypes import DTYPES


def ort_asset(gpu: bool) -> NpmAsset:
    """The onnxruntime-web files a site ships: its module, then its wasm."""
    return ONNXRUNTIME_WEB_GPU if gpu else ONNXRUNTIME_WEB


# How long WebGPU may take to open the model, and then for its first run, before the CPU
# takes over: a device that never answers must not hold the page.
WAIT_MS = 20_000


def gpu_check() -> dict[str, Any]:
    """The page's `gpu` data: how close WebGPU's floats must come to the wasm backend's, and
    how long the page waits for it."""
    tolerance = Tolerance()
    floats = sorted(name for name, dtype in DTYPES.items() if dtype.kind == "float")
    return {"rtol": tolerance.rtol, "atol": tolerance.atol, "floats": floats, "waitMs": WAIT_MS}
