"""Python hooks in the browser: friendlier fields turned into model inputs by preprocess, an
async postprocess that formats the result, and user errors shown with their traceback."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from shipyard.build import build_site
from shipyard.metadata.read import load_metadata
from tests.support.reference import run_reference
from tests.support.site_page import SitePage
from tests.support.sites import EXAMPLES

HOUSING = EXAMPLES / "housing"

APP = '''\
"""Dollars instead of tens of thousands; a price instead of hundreds of thousands."""


def preprocess(inputs):
    if inputs["age"] == 13:
        raise RuntimeError("unlucky age")
    return {
        "MedInc": [[inputs["income"] / 10_000]],
        "HouseAge": [[inputs["age"]]],
        "AveRooms": [[inputs["rooms"]]],
        "Latitude": [[inputs["latitude"]]],
    }


async def postprocess(outputs, inputs):
    value = float(outputs["variable"][0][0])
    return {"price": f"${value * 100_000:,.0f}", "income": inputs["income"]}
'''

METADATA = """\
name: Friendly housing
python: app.py
fields:
  income: {name: Household income ($), type: float64, min: 5000, max: 150000, default: 35000}
  age: {name: House age (years), type: int32, min: 1, max: 52, default: 25}
  rooms: {name: Rooms, type: float32, min: 1, max: 10, default: 5.5}
  latitude: {name: Latitude, type: float32, min: 32.5, max: 42, default: 37.77}
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, open_site: Callable[[Path], SitePage]) -> SitePage:
    folder = tmp_path_factory.mktemp("hooks")
    (folder / "app.py").write_text(APP)
    (folder / "metadata.yml").write_text(METADATA)
    build_site(HOUSING / "model.onnx", folder / "metadata.yml", folder / "site")
    return open_site(folder / "site")


def native_price(income: float, age: int, rooms: float, latitude: float) -> str:
    app = load_metadata(HOUSING / "metadata.yml")
    values = {"MedInc": [income / 10_000], "HouseAge": [age], "AveRooms": [rooms], "Latitude": [latitude]}
    value = run_reference(HOUSING / "model.onnx", app, values)["variable"][0]
    return f"${value * 100_000:,.0f}"


def test_preprocess_and_async_postprocess_run_in_the_page(site: SitePage) -> None:
    result = site.predict({"income": 83_000, "age": 41, "rooms": 6.9, "latitude": 37.88})
    assert result["postprocess"] == {"price": native_price(83_000, 41, 6.9, 37.88), "income": 83_000}
    site.submit_form({"income": "19000", "age": "15", "rooms": "4.2", "latitude": "34.05"})
    site.page.wait_for_selector("[data-output=price]:not(:empty)")  # a slot postprocess added
    assert site.read_outputs()["price"] == native_price(19_000, 15, 4.2, 34.05)
    assert "MedInc" not in site.page.inner_text("#shipyard-form")  # the form shows the fields


def test_an_exception_in_user_code_shows_its_traceback_and_the_next_run_works(site: SitePage) -> None:
    message = site.predict_error({"age": 13})
    assert "preprocess raised an exception" in message and "RuntimeError: unlucky age" in message
    site.submit_form({"age": "13"})
    shown = site.page.inner_text("#shipyard-form-error")
    assert "shipyard_app.py" in shown and "RuntimeError: unlucky age" in shown
    assert "hooks.py" not in shown  # shipyard's own frames are left out
    assert site.submit_form({"age": "14"})["price"].startswith("$")
    assert site.page.is_hidden("#shipyard-form-error")
