"""The CSV batch path on CPython, with onnxruntime running the model: parsing, stacking,
splitting and the table, as the page runs them."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import onnxruntime as ort
import pytest

from conftest import EXAMPLES
from shipyard.metadata import load_metadata
from shipyard_runtime.batch import MAX_PROBLEMS, BatchError, RunModel, Table, predict_csv, read_csv
from shipyard_runtime.dtypes import DTYPES
from shipyard_runtime.hooks import Hooks
from shipyard_runtime.spec import AppSpec
from shipyard_runtime.tensors import Feed, Output

HOUSING = EXAMPLES / "housing"


def onnxruntime_runner(model: str, app: AppSpec) -> tuple[RunModel, list[int]]:
    """onnxruntime on CPython as the batch path's model runner; `runs` records each run's rows."""
    session = ort.InferenceSession(model, providers=["CPUExecutionProvider"])
    runs: list[int] = []

    async def run(feeds: list[Feed]) -> list[Output]:
        runs.append(feeds[0].dims[0])
        arrays = {f.name: np.array(f.data, dtype=f.dtype.numpy).reshape(f.dims) for f in feeds}
        results = session.run(None, arrays)
        outputs = []
        for meta, result in zip(session.get_outputs(), results, strict=True):
            dtype = next(d for d in DTYPES.values() if d.numpy == str(result.dtype))
            show = next((o.show for o in app.outputs if o.key == meta.name), None)
            outputs.append(Output(meta.name, dtype, result.shape, result.ravel().tolist(), show))
        return outputs

    return run, runs


def run_apart(coroutine: Coroutine[Any, Any, Table]) -> Table:
    """Run a coroutine to its end in a thread of its own: Playwright's sync API keeps an event
    loop running in the test thread once a browser test has run."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def test_rows_stack_into_one_run_and_keep_their_own_columns() -> None:
    app = load_metadata(HOUSING / "metadata.yml")
    run, runs = onnxruntime_runner(str(HOUSING / "model.onnx"), app)
    text = "note,MedInc,HouseAge\nfirst,3.5,20\nsecond,8,\n"  # missing cells take the defaults
    table = run_apart(predict_csv(app, Hooks(), text, run))
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
