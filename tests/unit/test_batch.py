"""The CSV batch path on CPython, with onnxruntime running the model: parsing, stacking,
splitting and the table, as the page runs them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import onnxruntime as ort
import pytest

from shipyard.metadata.read import load_metadata
from shipyard.verify.native import NativeModel, finished
from shipyard_runtime.batch import MAX_PROBLEMS, BatchError, RunBatch, Table, predict_csv, read_csv
from shipyard_runtime.hooks import Hooks
from shipyard_runtime.pipeline import Pipeline
from shipyard_runtime.spec import AppSpec
from shipyard_runtime.tensors import Feed, Output
from tests.support.sites import EXAMPLES

HOUSING = EXAMPLES / "housing"


def onnxruntime_runner(model: Path, app: AppSpec) -> tuple[RunBatch, list[int]]:
    """onnxruntime on CPython as the batch path's model runner; `runs` records each run's rows."""
    native = NativeModel(model, app)
    runs: list[int] = []

    async def run(feeds: list[Feed]) -> list[Output]:
        runs.append(feeds[0].dims[0])
        return native.run_feeds(feeds)

    return run, runs


def test_rows_stack_into_one_run_and_keep_their_own_columns() -> None:
    app = load_metadata(HOUSING / "metadata.yml")
    run, runs = onnxruntime_runner(HOUSING / "model.onnx", app)
    text = "note,MedInc,HouseAge\nfirst,3.5,20\nsecond,8,\n"  # missing cells take the defaults
    table = finished(predict_csv(Pipeline(app, Hooks()), text, run))
    assert runs == [2]
    assert table.columns == ["note", "MedInc", "HouseAge", "variable"]
    assert [row[:3] for row in table.rows] == [["first", "3.5", "20"], ["second", "8", ""]]
    session = ort.InferenceSession(str(HOUSING / "model.onnx"), providers=["CPUExecutionProvider"])
    feeds = {
        "MedInc": np.array([[3.5], [8]], np.float32),
        "HouseAge": np.array([[20], [25]], np.float32),
        "AveRooms": np.array([[5.5], [5.5]], np.float32),
        "Latitude": np.array([[37.77], [37.77]], np.float32),
    }
    want = session.run(None, feeds)[0].ravel().tolist()
    assert [float(row[3]) for row in table.rows] == want


def test_problems_are_listed_by_line_up_to_a_limit() -> None:
    app = load_metadata(HOUSING / "metadata.yml")
    text = "MedInc\n" + "x\n" * (MAX_PROBLEMS + 3)
    with pytest.raises(BatchError) as error:
        read_csv(app, text)
    lines = str(error.value).splitlines()
    assert lines[0] == "line 2, column MedInc: 'x' is not a number" and lines[-1] == "and 3 more"
    with pytest.raises(BatchError, match="no rows to predict"):
        read_csv(app, "MedInc\n\n")


def test_the_table_writes_csv_and_shows_the_first_rows() -> None:
    table = Table(["a", "b"], [["1", 'say "hi", then go'] for _ in range(205)])
    assert table.to_csv().splitlines()[1] == '1,"say ""hi"", then go"'
    assert table.to_html().count("<tr>") == 201 and "and 5 more rows" in table.to_html()


def echo_runner(app: AppSpec) -> tuple[RunBatch, list[dict[str, list[Any]]]]:
    """A model that gives back each input's values as the output of the same name (with the
    metadata's display), so a test sees what each row fed the model and how cells are written."""
    fed: list[dict[str, list[Any]]] = []

    async def run(feeds: list[Feed]) -> list[Output]:
        fed.append({f.name: list(f.data) for f in feeds})
        shows = {o.key: o.show for o in app.outputs}
        return [Output(f.name, f.dtype, f.dims, f.dtype.unpack(f.data), shows.get(f.name)) for f in feeds]

    return run, fed


def echo_app(inputs: dict[str, Any], shows: dict[str, Any] | None = None) -> AppSpec:
    """An app whose outputs are its inputs, shown as `shows` says."""
    outputs = {
        key: {"type": spec["type"], "shape": spec["shape"]} | (shows or {}).get(key, {})
        for key, spec in inputs.items()
    }
    return AppSpec.from_dict({"name": "echo", "inputs": inputs, "outputs": outputs})


def test_cells_are_found_as_each_row_reaches_them() -> None:
    """A repeated column name takes the last one a row reaches; short rows leave the rest
    empty (so defaults), long rows keep their extra cells, and blank rows are skipped."""
    number = {"type": "float64", "shape": [None, 1], "default": 9}
    app = echo_app({"a": number, "b": number})
    run, fed = echo_runner(app)
    text = "a,b,a\n1,2,3\n\n , ,\n4,5\n6\n7,8,9,extra\n"
    table = finished(predict_csv(Pipeline(app, Hooks()), text, run))
    assert fed == [{"a": [3.0, 4.0, 6.0, 9.0], "b": [2.0, 5.0, 9.0, 8.0]}]
    assert table.columns == ["a", "b", "a", "a", "b"]
    assert table.rows == [
        ["1", "2", "3", "3.0", "2.0"],
        ["4", "5", "", "4.0", "5.0"],
        ["6", "", "", "6.0", "9.0"],
        ["7", "8", "9", "extra", "9.0", "8.0"],
    ]


def test_problems_are_ordered_by_line_then_column() -> None:
    app = load_metadata(HOUSING / "metadata.yml")
    text = "HouseAge,MedInc,AveRooms\n0,3,5\n1,x,5\n1,1e400,99\n1,3e39,5\n1,,nan\n52.5,15,10\n"
    with pytest.raises(BatchError) as error:
        read_csv(app, text)
    assert str(error.value).splitlines() == [
        "line 2, column HouseAge: must be at least 1",
        "line 3, column MedInc: 'x' is not a number",
        "line 4, column MedInc: enter a finite number",
        "line 4, column AveRooms: must be at most 10",
        "line 5, column MedInc: 3e+39 is too large for float32",
        "line 6, column AveRooms: enter a finite number",
        "line 7, column HouseAge: must be at most 52",
    ]


def test_integer_columns_read_whole_numbers_and_check_their_range() -> None:
    app = echo_app({"n": {"type": "int8", "shape": [None, 1], "min": -5}})
    run, fed = echo_runner(app)
    table = finished(predict_csv(Pipeline(app, Hooks()), "n\n 3 \n4.0\n1_0\n", run))
    assert fed == [{"n": [3, 4, 10]}] and [row[-1] for row in table.rows] == ["3", "4", "10"]
    with pytest.raises(BatchError) as error:
        read_csv(app, "n\n-6\n128\n1.5\n")
    assert str(error.value).splitlines() == [
        "line 2, column n: must be at least -5",
        "line 3, column n: 128 does not fit in int8 (-128 to 127)",
        "line 4, column n: '1.5' is not a whole number",
    ]


def test_output_cells_are_written_in_full() -> None:
    """Floats as Python prints them, a row of values space-separated, labelled probabilities
    a column per class, booleans and integers as the page shows them."""
    inputs = {
        "p": {"type": "float32", "shape": [None, 2]},
        "v": {"type": "float64", "shape": [None, 3]},
        "k": {"type": "int32", "shape": [None, 2]},
        "b": {"type": "bool", "shape": [None, 1]},
    }
    shows = {
        "p": {"display": "probabilities", "labels": ["no", "yes"]},
        "k": {"display": "probabilities", "labels": [0, 1]},
    }
    app = echo_app(inputs, shows)
    run, _ = echo_runner(app)
    text = "p,v,k,b\n0.1 0.9,1 2.5 1e20,3 -4,yes\n"
    table = finished(predict_csv(Pipeline(app, Hooks()), text, run))
    assert table.columns[4:] == ["p[no]", "p[yes]", "v", "k[0]", "k[1]", "b"]
    assert table.rows[0][4:] == [
        "0.10000000149011612",
        "0.8999999761581421",
        "1.0 2.5 1e+20",
        "3",
        "-4",
        "true",
    ]
