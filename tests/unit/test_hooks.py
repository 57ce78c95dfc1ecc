"""The hook machinery on CPython: what preprocess may return, what postprocess gets, and how
user errors and user modules are reported."""

from __future__ import annotations

import array
from pathlib import Path

import numpy as np
import pytest

from shipyard_runtime.dtypes import DTYPES, ValueProblem
from shipyard_runtime.hooks import HookError, call, hook_inputs, hook_outputs, model_rows, shown_entries
from shipyard_runtime.problems import SpecError
from shipyard_runtime.spec import AppSpec
from shipyard_runtime.tensors import Output
from tests.support.cli import run
from tests.support.sites import EXAMPLES

APP = AppSpec.from_dict(
    {
        "name": "Hooks",
        "python": "app.py",
        "fields": {"size": {"type": "float64"}, "row": {"type": "int32", "shape": [2]}},
        "inputs": {"x": {"type": "float32", "shape": [None, 2]}, "n": {"type": "int64", "shape": [1]}},
        "outputs": {"y": {"type": "float32", "shape": [None, 2]}},
        "examples": [{"size": 2.5, "row": [1, 2]}],
    }
)


def test_fields_are_the_form_and_preprocess_sees_one_value_per_field() -> None:
    assert [f.key for f in APP.form] == ["size", "row"]
    assert APP.examples == ({"size": (2.5,), "row": (1, 2)},)
    assert hook_inputs(APP, {"size": [2.5], "row": [1, 2]}) == {"size": 2.5, "row": [1, 2]}


@pytest.mark.parametrize(
    "x", [[[1.5, 2.0]], [1.5, 2.0], np.array([[1.5, 2.0]], np.float32), array.array("f", [1.5, 2.0])], ids=str
)
def test_preprocess_may_return_lists_numpy_or_buffers(x: object) -> None:
    rows = model_rows(APP, {"x": x, "n": np.int64(7)})
    assert rows == {"x": [1.5, 2.0], "n": [7]}
    assert all(type(v) is float for v in rows["x"]) and type(rows["n"][0]) is int


@pytest.mark.parametrize(
    ("arrays", "message"),
    [
        ([1, 2], "preprocess must return a dict keyed by model input name, not list"),
        ({"x": [1.0, 2.0]}, "preprocess returned no 'n' (model inputs: x, n)"),
        ({"x": [1.0, 2.0, 3.0], "n": 1}, "preprocess gave 'x' 3 values; the model takes [1, 2]"),
        ({"x": [[1.0], [2.0, 3.0]], "n": 1}, "ragged"),
        ({"x": [1.0, 2.0], "n": 2**70}, "does not fit in int64"),
    ],
)
def test_what_the_model_cannot_take_is_named(arrays: object, message: str) -> None:
    with pytest.raises(
        ValueProblem, match=message.replace("[", r"\[").replace("(", r"\(").replace(")", r"\)")
    ):
        model_rows(APP, arrays)


def test_postprocess_gets_outputs_shaped_by_their_dims() -> None:
    output = Output("y", DTYPES["float32"], (1, 2), [0.5, 1.5])
    got = hook_outputs([output])["y"]
    assert isinstance(got, np.ndarray) and got.shape == (1, 2) and got.dtype == np.float32


def test_a_user_error_keeps_the_users_frames_only() -> None:
    def preprocess(inputs: dict[str, object]) -> None:
        raise KeyError("colour")

    with pytest.raises(HookError) as error:
        call("preprocess", preprocess, {})
    report = str(error.value)
    assert report.startswith("preprocess raised an exception:\nTraceback")
    assert "in preprocess" in report and "KeyError: 'colour'" in report
    assert "shipyard_runtime" not in report and "def call" not in report


def test_fields_without_a_python_module_are_a_metadata_problem() -> None:
    with pytest.raises(SpecError, match="a form of its own needs a `python` module"):
        AppSpec.from_dict({"name": "x", "fields": {"a": {"type": "float32"}}, "inputs": {}, "outputs": {}})


def test_build_names_a_missing_or_broken_module(tmp_path: Path) -> None:
    model, site = str(EXAMPLES / "housing" / "model.onnx"), str(tmp_path / "s")
    (tmp_path / "m.yml").write_text("name: x\npython: nowhere.py\n")
    code, out = run("build", model, "--metadata", str(tmp_path / "m.yml"), "--output", site)
    assert code == 2 and "python: " in out and "nowhere.py is not a file" in out
    (tmp_path / "app.py").write_text("def preprocess(inputs):\n    return {\n")
    code, out = run("build", model, "--python", str(tmp_path / "app.py"), "--output", site)
    assert code == 2
    assert "app.py: line 2: invalid Python: '{' was never closed" in out
    assert not (tmp_path / "s").exists()


def test_postprocess_entries_are_plain_data_keyed_by_text() -> None:
    """What the page and the CSV path both make of postprocess's result."""
    assert shown_entries({1: (2, 3), "x": "y"}) == {"1": [2, 3], "x": "y"}
    with pytest.raises(ValueProblem, match=r"^postprocess must return a dict of values to show, not list$"):
        shown_entries(["not", "a", "dict"])
