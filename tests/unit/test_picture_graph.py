"""The picture graph (shipyard/model/picture_graph.py) run by onnxruntime on CPython gives the
tensor the Python path gives (runtime/images.py), to the input type's rounding: for pictures of
several sizes and aspect ratios, opaque and transparent, and every `image:` option."""

from __future__ import annotations

from typing import Any

import numpy
import onnxruntime as ort
import pytest

from examples.samples import digit_picture, noise
from shipyard.model.picture_graph import PICTURE, picture_graph
from shipyard_runtime.images import Pixels
from shipyard_runtime.picture_prep import prepares
from shipyard_runtime.spec import AppSpec, InputSpec
from shipyard_runtime.values import image_row

OPTIONS: list[tuple[str, list[int], dict[str, Any]]] = [
    ("float32", [1, 3, 8, 8], {}),
    ("float32", [1, 3, 7, 11], {"fit": "crop", "color": "BGR", "mean": [0.4, 0.5, 0.6], "std": [2, 3, 1]}),
    ("float32", [1, 5, 9, 3], {"layout": "NHWC", "scale": 1.0, "mean": 10, "std": 3}),
    ("float32", [1, 1, 6, 13], {"fit": "crop"}),
    ("float32", [8, 8], {"color": "gray", "scale": 2.5}),
    ("float64", [1, 12, 4, 1], {"layout": "NHWC", "fit": "crop", "color": "gray"}),
    ("uint8", [1, 3, 5, 5], {"scale": 1.0}),
    ("int64", [1, 3, 16, 10], {"scale": 1.0, "mean": 100, "fit": "crop"}),
]
PICTURES = [
    noise(9, 5, seed=1),
    noise(1, 1, seed=2),
    noise(3, 40, seed=3),
    noise(64, 48, seed=4, opaque=False),
    noise(5, 5, seed=5),
    digit_picture(3, scale=5, pad=3, paper=(250, 240, 200)),
]


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
