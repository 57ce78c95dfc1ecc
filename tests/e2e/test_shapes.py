"""Whole fixed-shape inputs in the page: nested or flat arrays through predict, grids in the form,
each compared exactly with native onnxruntime on the same values."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import onnxruntime as ort
import pytest

from shipyard.build import build_site
from shipyard.metadata.read import load_metadata
from shipyard_runtime.display import format_output
from shipyard_runtime.spec import AppSpec
from tests.support.models import shapes_model
from tests.support.site_page import SitePage

METADATA = """\
name: Shapes
inputs:
  x:
    name: Matrix
    type: float32
    shape: [3, 2]
    min: -100
    max: 100
    default: [[1, 2], [3, 4], [5, 6]]
  cube:
    name: Cube
    type: int32
    shape: [batch, 2, 2, 3]
    default: 0
  big:
    name: Big
    type: float32
    shape: [batch, 9, 9]
    default: 0.5
outputs:
  y: {name: Row sums, type: float32, shape: [3]}
  x_out: {name: Matrix back, type: float32, shape: [3, 2]}
  cube_out: {name: Cube back, type: int32, shape: [batch, 2, 2, 3]}
  big_out: {name: Big back, type: float32, shape: [batch, 9, 9]}
"""
MATRIX = [[0.1, -2.5], [1e-3, 4], [99.75, -100]]
CUBE = [[[1, -2, 3], [4, 5, -6]], [[7, 8, 9], [-(2**31), 0, 2**31 - 1]]]
BIG = [[r * 9 + c + 0.25 for c in range(9)] for r in range(9)]


def flat(nested: Any) -> list[Any]:
    return np.asarray(nested).ravel().tolist()


@pytest.fixture(scope="module")
def model(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("shapes")
    (folder / "m.yml").write_text(METADATA)
    return shapes_model(folder / "m.onnx"), folder / "m.yml"


@pytest.fixture(scope="module")
def app(model: tuple[Path, Path]) -> AppSpec:
    return load_metadata(model[1])


@pytest.fixture(scope="module")
def site(model: tuple[Path, Path], open_site: Callable[[Path], SitePage]) -> SitePage:
    onnx_file, metadata = model
    build_site(onnx_file, metadata, onnx_file.parent / "site")
    return open_site(onnx_file.parent / "site")


def native(model: tuple[Path, Path], app: AppSpec, inputs: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """What CPython's onnxruntime gives, shaped by numpy (not by shipyard), as predict reports it."""
    session = ort.InferenceSession(str(model[0]), providers=["CPUExecutionProvider"])
    feeds = {
        spec.key: np.asarray(inputs.get(spec.key, spec.default), dtype=spec.dtype.numpy).reshape(spec.dims)
        for spec in app.inputs
    }
    names = [o.name for o in session.get_outputs()]
    types = {o.key: o.dtype.name for o in app.outputs}
    results = session.run(names, feeds)
    return {
        name: {"type": types[name], "dims": list(out.shape), "data": out.ravel().tolist()}
        for name, out in zip(names, results, strict=True)
    }


@pytest.mark.parametrize(
    "inputs",
    [
        {"x": MATRIX},
        {"x": flat(MATRIX)},
        {"x": MATRIX, "cube": [CUBE], "big": [BIG]},  # with the batch dimension
        {"x": MATRIX, "cube": CUBE, "big": BIG},  # without it
        {"x": flat(MATRIX), "cube": flat(CUBE), "big": flat(BIG)},
    ],
    ids=["nested", "flat", "with-batch", "without-batch", "all-flat"],
)
def test_nested_and_flat_arrays_predict_exactly_what_native_onnxruntime_does(
    site: SitePage, model: tuple[Path, Path], app: AppSpec, inputs: dict[str, Any]
) -> None:
    result = site.predict(inputs)
    want = native(model, app, inputs)
    assert result == want
    assert result["y"]["dims"] == [3] and result["x_out"]["dims"] == [3, 2]
    assert result["cube_out"]["dims"] == [1, 2, 2, 3]


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        ({"x": [[1, 2], [3, 4]]}, "x: expected shape [3, 2], got [2, 2]"),
        ({"x": [MATRIX]}, "x: expected shape [3, 2], got [1, 3, 2]"),
        ({"x": [[1, 2], [3, 4], [5]]}, "x: expected shape [3, 2], got lists of different lengths"),
        ({"x": [1, 2, 3]}, "x: expected 6 values (shape [3, 2]), got 3"),
        ({"cube": [[1, 2, 3], [4, 5, 6]]}, "cube: expected shape [2, 2, 3], got [2, 3]"),
        ({"x": [[1, 2], [3, 4], [5, 600]]}, "x: value [2, 1]: must be at most 100"),
    ],
)
def test_a_value_of_the_wrong_shape_is_rejected_naming_the_expected_shape(
    site: SitePage, inputs: dict[str, Any], message: str
) -> None:
    assert site.predict_error(inputs) == f"Invalid input: {message}"


def test_the_form_shows_a_labelled_grid_per_leading_index(site: SitePage) -> None:
    page = site.page
    assert page.locator('[data-input="x"] table').count() == 1
    assert page.locator('[data-input="cube"] caption').all_inner_texts() == ["[0]", "[1]"]
    assert page.locator('textarea[name="big"]').count() == 1
    assert page.get_by_label("Matrix [1, 0]", exact=True).input_value() == "3"
    assert page.get_by_label("Cube [1, 0, 2]", exact=True).get_attribute("id") == "in-cube-8"
    # Laid out as 3 rows of 2: a row shares its top, a column its left edge, nothing overlaps.
    boxes = [page.locator('[name="x"]').nth(i).bounding_box() for i in range(6)]
    assert all(box is not None for box in boxes)
    grid = [[boxes[r * 2 + c] for c in range(2)] for r in range(3)]
    for r in range(3):
        assert grid[r][0]["y"] == grid[r][1]["y"]
        assert grid[r][0]["x"] + grid[r][0]["width"] < grid[r][1]["x"]
    for c in range(2):
        assert grid[0][c]["x"] == grid[1][c]["x"] == grid[2][c]["x"]
        assert grid[0][c]["y"] + grid[0][c]["height"] < grid[1][c]["y"]
    field = page.locator('[data-input="x"]').bounding_box()
    assert field is not None and grid[0][1]["x"] + grid[0][1]["width"] <= field["x"] + field["width"]


def test_the_form_grid_predicts_exactly_what_native_onnxruntime_does(
    site: SitePage, model: tuple[Path, Path], app: AppSpec
) -> None:
    inputs = {"x": MATRIX, "cube": CUBE, "big": BIG}
    texts = {
        "x": [repr(v) for v in flat(MATRIX)],
        "cube": [str(v) for v in flat(CUBE)],
        "big": "\n".join(", ".join(str(v) for v in row) for row in BIG),
    }
    shown = site.submit_form(texts)
    want = native(model, app, inputs)
    for name, output in want.items():
        assert shown[name].split() == [format_output(v) for v in output["data"]], name
    assert site.predict(inputs) == want
    assert site.field_error("x") == ""


def test_a_bad_grid_field_is_named_by_its_position_beside_the_grid(site: SitePage) -> None:
    texts = [repr(v) for v in flat(MATRIX)]
    site.submit_form({"x": [*texts[:5], "1000"]})
    assert site.field_error("x") == "value [2, 1]: must be at most 100"
    site.submit_form({"x": texts})
    assert site.field_error("x") == ""
