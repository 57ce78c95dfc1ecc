"""Inputs whose value sets their dimensions, in the page: a sequence of any length typed into the
form, nested lists and tensors `{dims, data}` through predict, a picture at its own size, a
rank-0 input and a state that defaults to zeros; each equal to native onnxruntime."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import onnxruntime as ort
import pytest
from onnx import TensorProto, helper

from examples.samples import png
from shipyard.build import build_site
from shipyard_runtime.images import ImageSpec, Pixels
from tests.support.models import save
from tests.support.site_page import SitePage

METADATA = """\
name: Free dimensions
inputs:
  ids: {type: int64, shape: [batch, sequence], default: [[1, 2, 3]]}
  grid: {type: float32, shape: [batch, rows, cols], default: [[1, 2], [3, 4]]}
  state: {type: float32, shape: [2, batch, 3], default: 0}
  rate: {type: float32, shape: [], default: 2}
  photo: {type: float32, shape: [batch, 3, height, width], image: {max_side: 16}}
outputs:
  total: {type: int64, shape: [batch, 1]}
  scaled: {type: float32, shape: [batch, rows, cols]}
  state_out: {type: float32, shape: [2, batch, 3]}
  mean: {type: float32, shape: [batch, 3, 1, 1]}
  size: {type: int64, shape: [4]}
"""


def free_model(path: Path) -> Path:
    """total = Σ ids; scaled = grid × rate; state_out = state + 1; mean and size of the photo."""
    one = helper.make_tensor("one", TensorProto.FLOAT, [], [1.0])
    axes = helper.make_tensor("axes", TensorProto.INT64, [1], [1])
    nodes = [
        helper.make_node("ReduceSum", ["ids", "axes"], ["total"], keepdims=1),
        helper.make_node("Mul", ["grid", "rate"], ["scaled"]),
        helper.make_node("Add", ["state", "one"], ["state_out"]),
        helper.make_node("ReduceMean", ["photo"], ["mean"], axes=[2, 3], keepdims=1),
        helper.make_node("Shape", ["photo"], ["size"]),
    ]
    f, i = TensorProto.FLOAT, TensorProto.INT64
    inputs = [
        helper.make_tensor_value_info("ids", i, ["batch", "sequence"]),
        helper.make_tensor_value_info("grid", f, ["batch", "rows", "cols"]),
        helper.make_tensor_value_info("state", f, [2, "batch", 3]),
        helper.make_tensor_value_info("rate", f, []),
        helper.make_tensor_value_info("photo", f, ["batch", 3, "height", "width"]),
    ]
    outputs = [
        helper.make_tensor_value_info("total", i, ["batch", 1]),
        helper.make_tensor_value_info("scaled", f, ["batch", "rows", "cols"]),
        helper.make_tensor_value_info("state_out", f, [2, "batch", 3]),
        helper.make_tensor_value_info("mean", f, ["batch", 3, 1, 1]),
        helper.make_tensor_value_info("size", i, [4]),
    ]
    graph = helper.make_graph(nodes, "free", inputs, outputs, [one, axes])
    return save(graph, path, opset=17)


@pytest.fixture(scope="module")
def model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("free")
    (folder / "m.yml").write_text(METADATA)
    return free_model(folder / "m.onnx")


@pytest.fixture(scope="module")
def site(model: Path, open_site: Callable[[Path], SitePage]) -> SitePage:
    build_site(model, model.parent / "m.yml", model.parent / "site")
    return open_site(model.parent / "site")


PICTURE = Pixels(40, 20, bytes(range(256)) * 12 + bytes(128))


def picture(pixels: Pixels) -> dict[str, Any]:
    return {"width": pixels.width, "height": pixels.height, "data": list(pixels.rgba)}


def native(model: Path, feeds: dict[str, Any]) -> dict[str, list[Any]]:
    session = ort.InferenceSession(str(model), providers=["CPUExecutionProvider"])
    out = session.run(None, feeds)
    return {o.name: np.asarray(v).ravel().tolist() for o, v in zip(session.get_outputs(), out, strict=True)}


def feeds(ids: list[int], grid: Any, photo: Any) -> dict[str, Any]:
    return {
        "ids": np.array([ids], dtype=np.int64),
        "grid": np.array(grid, dtype=np.float32).reshape(1, *np.shape(grid)[-2:]),
        "state": np.zeros((2, 1, 3), dtype=np.float32),
        "rate": np.array(2, dtype=np.float32),
        "photo": photo,
    }


def photo_tensor(pixels: Pixels, height: int, width: int) -> Any:
    values = ImageSpec(layout="NCHW").to_tensor(pixels, (1, 3, height, width))
    return np.array(values, dtype=np.float32).reshape(1, 3, height, width)


def test_predict_takes_nested_lists_tensors_and_a_picture_at_its_own_size(
    site: SitePage, model: Path
) -> None:
    grid = [[1.5, 2, 3], [4, 5, 6]]
    got = site.predict(
        {
            "ids": [4, 5, 6, 7, 8],
            "grid": {"dims": [1, 2, 3], "data": [1.5, 2, 3, 4, 5, 6]},
            "photo": picture(PICTURE),
        }
    )
    want = native(model, feeds([4, 5, 6, 7, 8], grid, photo_tensor(PICTURE, 8, 16)))
    assert got["size"]["data"] == [1, 3, 8, 16]  # 40 × 20, its longest side within max_side 16
    assert got["scaled"]["dims"] == [1, 2, 3] and got["total"]["data"] == [30]
    for name, values in want.items():
        assert np.allclose(got[name]["data"], values, rtol=1e-5), name
    nested = site.predict({"ids": [[1, 2]], "grid": [grid], "photo": picture(PICTURE)})
    assert nested["scaled"]["data"] == got["scaled"]["data"] and nested["total"]["data"] == [3]


def test_a_value_of_the_wrong_shape_is_refused_naming_the_shape(site: SitePage) -> None:
    message = site.predict_error({"grid": [1, 2, 3], "photo": picture(PICTURE)})
    assert "grid: shape [rows, cols] has 2 free dimensions: give nested lists, or a tensor" in message


def test_the_form_takes_a_sequence_of_any_length_json_and_a_picture(site: SitePage) -> None:
    site.page.set_input_files(
        "#in-photo", files=[{"name": "a.png", "mimeType": "image/png", "buffer": png(PICTURE)}]
    )
    site.page.wait_for_selector(".image-preview:not([hidden])")
    shown = site.submit_form({"ids": "10, 20 30 40", "grid": "[[1, 2, 3]]", "rate": "3"})
    assert shown["total"] == "100"
    assert "3" in shown["scaled"] and "9" in shown["scaled"]
    assert "1" in shown["state_out"]  # the zeros it defaults to, plus one
