"""Requirements in the page: a pure-Python package from PyPI (used by preprocess and postprocess)
and one of Pyodide's own, from a local distribution, each with a dependency that only the lock's
`depends` brings in."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from shipyard.build import build_site
from shipyard.metadata.read import load_metadata
from shipyard.packages.index_wheels import fetch_pure_wheel
from shipyard.packages.site_lock import write_site_lock
from shipyard.site.npm_assets import PYODIDE, ensure_asset
from tests.support.reference import assert_same, run_reference
from tests.support.site_page import SitePage
from tests.support.sites import EXAMPLES

HOUSING = EXAMPLES / "housing"

APP = '''\
"""The latitude of a city named in any spelling, matched by its slug (python-slugify, from PyPI);
a slug of the price, and the year built (python-dateutil, Pyodide's)."""

from datetime import date

from dateutil.relativedelta import relativedelta
from slugify import slugify

LATITUDES = {"los-angeles": 34.05, "san-jose": 37.34, "san-francisco": 37.77}


def preprocess(inputs):
    rows = {key: [[inputs[key]]] for key in ("MedInc", "HouseAge", "AveRooms")}
    return rows | {"Latitude": [[LATITUDES[slugify(inputs["city"])]]]}


def postprocess(outputs, inputs):
    value = float(outputs["variable"][0][0])
    built = date(2024, 2, 29) - relativedelta(years=int(inputs["HouseAge"]))
    return {"slug": slugify(f"Maison à Zürich {value:.3f}"), "built": built.isoformat()}
'''

FIELDS = """\
python: app.py
requirements: requirements.txt
fields:
  MedInc: {type: float32, default: 3.5}
  HouseAge: {type: float32, default: 25}
  AveRooms: {type: float32, default: 5.5}
  city: {type: string, default: San Francisco}
"""
REQUIREMENTS = """\
# slugify needs text-unidecode; dateutil needs six
python-slugify==8.0.4
python-dateutil
"""


def pyodide_distribution(folder: Path) -> Path:
    """A folder laid out like a Pyodide distribution, holding python-dateutil and six (PyPI's wheels)."""
    folder.mkdir()
    for pin in ("python-dateutil==2.9.0.post0", "six==1.17.0"):
        wheel = fetch_pure_wheel(Requirement(pin), "3.14")
        (folder / wheel.name).write_bytes(wheel.read_bytes())
    write_site_lock(ensure_asset(PYODIDE) / "pyodide-lock.json", sorted(folder.glob("*.whl")), folder)
    return folder


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, open_site: Callable[[Path], SitePage]) -> SitePage:
    folder = tmp_path_factory.mktemp("requirements")
    (folder / "app.py").write_text(APP)
    (folder / "requirements.txt").write_text(REQUIREMENTS)
    metadata = "name: Housing by city\n" + FIELDS
    (folder / "metadata.yml").write_text(metadata)
    distribution = str(pyodide_distribution(folder / "pyodide-dist"))
    build_site(
        HOUSING / "model.onnx", folder / "metadata.yml", folder / "site", pyodide_packages=distribution
    )
    return open_site(folder / "site")


def site_lock(site: SitePage) -> dict[str, dict[str, object]]:
    url = site.origin + "/pyodide/pyodide-lock.json"
    return json.loads(site.page.evaluate("(url) => fetch(url).then(r => r.text())", url))["packages"]


def test_a_pure_python_package_from_pypi_runs_in_preprocess_and_postprocess(site: SitePage) -> None:
    result = site.predict({"MedInc": 8.3, "HouseAge": 41, "AveRooms": 6.9, "city": "  Los Ángeles "})
    value = result["variable"]["data"][0]
    values = {"MedInc": [8.3], "HouseAge": [41], "AveRooms": [6.9], "Latitude": [34.05]}
    assert_same(
        [value],
        run_reference(HOUSING / "model.onnx", load_metadata(HOUSING / "metadata.yml"), values)["variable"],
    )
    assert result["postprocess"]["slug"] == "maison-a-zurich-" + f"{value:.3f}".replace(".", "-")
    assert site_lock(site)["python-slugify"]["depends"] == ["text-unidecode"]  # loaded through it


def test_a_package_pyodide_distributes_comes_from_the_local_distribution(site: SitePage) -> None:
    shown = site.submit_form({"HouseAge": "25"})
    assert shown["built"] == "1999-02-28"  # relativedelta keeps to the month's last day
    lock = site_lock(site)
    assert lock["python-dateutil"]["depends"] == ["six"] and "six" in lock
    assert not str(lock["six"]["file_name"]).startswith("http")
