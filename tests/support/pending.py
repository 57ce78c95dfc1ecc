"""Tests written for parts of issue 11 that other branches bring: each marker names the part
it waits for. They are strict, so a test that starts passing fails until its marker goes;
remove a marker (and its uses) when its part is merged."""

from __future__ import annotations

import pytest

# Any dimension of any input dynamic, `predict` taking `{dims, data}`, rank-0 inputs.
DYNAMIC_DIMS = pytest.mark.xfail(
    strict=True, reason="waits for the runtime's dynamic dimensions and {dims, data} (issue 11)"
)
# The build opens the model in onnxruntime-web in Node, repairs what it can (IR version
# lowered, old opsets converted) and refuses the rest.
REPAIRS = pytest.mark.xfail(
    strict=True, reason="waits for the build-time check in onnxruntime-web and its repairs (issue 11)"
)
# The spec refuses a fixed input of more than 2**20 elements (`MAX_ELEMENTS` in
# runtime/spec.py), whatever the metadata says: a [1, 3, 1024, 1024] picture cannot build.
ELEMENT_LIMIT = pytest.mark.xfail(
    strict=True, reason="waits for the runtime to take fixed inputs past MAX_ELEMENTS (issue 11)"
)
