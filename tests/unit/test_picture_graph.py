"""The picture graph (shipyard/model/picture_graph.py) run by onnxruntime on CPython gives the
tensor the Python path gives (runtime/images.py), to the input type's rounding: for pictures of
several sizes and aspect ratios, opaque and transparent, and every `image:` option."""

from __future__ import annotations

from typing import Any

import numpy
import onnxruntime as ort
import pytest

from shipyard.model.picture_graph import PICTURE, picture_graph
from shipyard_runtime.images import Pixels
from shipyard_runtime.picture_prep import prepares
from shipyard_runtime.spec import AppSpec, InputSpec
from shipyard_runtime.values import image_row
from tests.support.pictures import OPTIONS, PICTURES


def picture_input(type_: str, shape: list[int], image: dict[str, Any]) -> InputSpec:
    entry = {"type": type_, "shape": shape, "widget": "image", "image": image}
    outputs = {"y": {"type": "float32", "shape": [1]}}
    app = AppSpec.from_dict({"name": "x", "inputs": {"photo": entry}, "outputs": outputs})
    return app.inputs[0]


def run_graph(spec: InputSpec, pixels: Pixels) -> Any:
    graph = picture_graph(spec).SerializeToString()
    session = ort.InferenceSession(graph, providers=["CPUExecutionProvider"])
    rgba = numpy.frombuffer(pixels.rgba, numpy.uint8).reshape(pixels.height, pixels.width, 4)
    return session.run(None, {PICTURE: rgba})[0]


@pytest.mark.parametrize(("type_", "shape", "image"), OPTIONS)
def test_the_graph_gives_the_python_paths_tensor(type_: str, shape: list[int], image: dict[str, Any]) -> None:
    spec = picture_input(type_, shape, image)
    assert prepares(spec)
    for pixels in PICTURES:
        expected = numpy.asarray(list(image_row(spec, pixels)), dtype=numpy.float64)
        got = run_graph(spec, pixels)
        assert list(got.shape) == list(spec.dims)
        assert got.dtype == numpy.dtype(type_)
        # Both compute in float64 and round once to the input's type; numpy adds in its own
        # order, so a value a hair from an integer's .5 may round to either side.
        tolerance = 1e-6 if type_.startswith("float") else 1
        numpy.testing.assert_allclose(got.ravel(), expected.astype(type_), rtol=1e-6, atol=tolerance)


def test_a_picture_with_free_sides_is_left_to_python() -> None:
    assert not prepares(picture_input("float32", [1, 3, "height", "width"], {}))
