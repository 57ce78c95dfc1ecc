"""CSV batches: 1,000 rows through the page in one batched run, shown as a table and
downloaded as CSV, equal to onnxruntime on CPython; hooks run per row; a model without a
batch dimension is run row by row; bad rows are named by line and column."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import numpy as np
import onnxruntime as ort
import pytest

from examples.samples import HOUSING, housing_rows, to_csv
from shipyard.build import build_site
from shipyard.verify.chromium import LOAD_TIMEOUT_MS
from tests.support.models import gather_model
from tests.support.reference import assert_same, value_and_entries
from tests.support.site_page import SitePage
from tests.support.sites import EXAMPLES, build_example

TABLE_CELLS = (
    "[...document.querySelectorAll('.batch-table tbody tr')].map(r => [...r.cells].map(c => c.innerText))"
)


def native_housing(rows: list[dict[str, str]]) -> list[float]:
    session = ort.InferenceSession(
        str(EXAMPLES / "housing" / "model.onnx"), providers=["CPUExecutionProvider"]
    )
    feeds = {key: np.array([[float(r[key])] for r in rows], dtype=np.float32) for key in HOUSING}
    return session.run(None, feeds)[0].ravel().tolist()


@pytest.fixture(scope="module")
def housing(sites: Path, open_site: Callable[[Path], SitePage]) -> SitePage:
    return open_site(build_example("housing", sites))


def test_a_thousand_rows_give_a_table_and_a_download_equal_to_cpython(
    housing: SitePage, tmp_path: Path
) -> None:
    rows = housing_rows(1000)
    (tmp_path / "districts.csv").write_text(to_csv(rows))
    page = housing.page
    page.set_input_files("#shipyard-batch-file", str(tmp_path / "districts.csv"))
    link = page.get_by_text("Download the results as CSV")
    link.wait_for(timeout=LOAD_TIMEOUT_MS)
    assert page.inner_text("#shipyard-batch-status").startswith("1000 rows predicted.")
    with page.expect_download() as info:
        link.click()
    assert info.value.suggested_filename == "districts-predictions.csv"
    downloaded = list(csv.DictReader(io.StringIO(Path(info.value.path()).read_text())))
    want = native_housing(rows)
    assert [r["id"] for r in downloaded] == [r["id"] for r in rows]  # the CSV's own columns are kept
    assert_same([float(r["variable"]) for r in downloaded], want)
    table = page.evaluate(TABLE_CELLS)
    assert len(table) == 200 and "and 800 more rows" in page.inner_text("#shipyard-batch-result")
    assert_same([float(row[-1]) for row in table], want[:200])


def test_a_bad_csv_is_named_by_line_and_column(housing: SitePage) -> None:
    text = "MedInc,HouseAge,AveRooms,Latitude\n3,20,5,37\n3,abc,5,37\n99,20,5,37\n"
    message = housing.page.evaluate("(t) => window.shipyard.predictCsv(t).catch((e) => e.message)", text)
    assert (
        message == "line 3, column HouseAge: 'abc' is not a number\nline 4, column MedInc: must be at most 15"
    )
    missing = housing.page.evaluate(
        "(t) => window.shipyard.predictCsv(t).catch((e) => e.message)", "x,y\n1,2\n"
    )
    assert missing.startswith("the CSV has no column MedInc, HouseAge, AveRooms, Latitude")


def test_hooks_run_for_every_row(sites: Path, open_site: Callable[[Path], SitePage]) -> None:
    built = build_example("diabetes", sites)
    site = open_site(built)
    cases = [
        {
            "age": 30 + i,
            "sex": ("female", "male")[i % 2],
            "height": 150 + i,
            "weight": 60 + i,
            "pressure": 90,
            "glucose": 80 + i,
        }
        for i in range(40)
    ]
    header = list(cases[0])
    text = ",".join(header) + "\n" + "".join(",".join(str(c[k]) for k in header) + "\n" for c in cases)
    result = site.page.evaluate("(t) => window.shipyard.predictCsv(t)", text)
    assert result["rows"] == 40
    rows = list(csv.DictReader(io.StringIO(result["csv"])))
    for row, case in zip(rows, cases, strict=True):
        score, shown = value_and_entries(built, case)
        assert_same([float(row["variable"])], [score])
        assert row["summary"] == shown["summary"]


def test_a_model_without_a_batch_dimension_runs_row_by_row(
    tmp_path_factory: pytest.TempPathFactory, open_site: Callable[[Path], SitePage]
) -> None:
    folder = tmp_path_factory.mktemp("gather")
    build_site(gather_model(folder / "gather.onnx"), None, folder / "site")
    site = open_site(folder / "site")
    result = site.page.evaluate("(t) => window.shipyard.predictCsv(t)", "index\n2\n0\n1\n")
    assert result["csv"] == "index,value\n2,30.0\n0,10.0\n1,20.0\n"
