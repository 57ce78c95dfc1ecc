"""The site ships only the standard modules its trace saw; an app that imports another one
at predict time still predicts, from a snapshot or without one, on a first visit and on a
visit with the network off, and a page that imports nothing more never fetches the rest."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from statistics import mean

import pytest
from playwright.sync_api import Browser

from shipyard.build import build_site
from shipyard.site.serve import served
from shipyard.verify.chromium import LOAD_TIMEOUT_MS, WAIT_CONTROLLED, WAIT_KEPT, WAIT_PYTHON
from shipyard_runtime.names import FILES
from tests.support.site_page import SitePage
from tests.support.sites import EXAMPLES, build_example

HOUSING = EXAMPLES / "housing"
INPUTS = {"MedInc": 3.5, "HouseAge": 25, "AveRooms": 5.5, "Latitude": 37.77}
# The names are built at run time, so that the build's trace cannot see them.
APP = """\
import importlib


def postprocess(outputs, inputs):
    fractions = importlib.import_module("frac" + "tions")
    statistics = importlib.import_module("statis" + "tics")
    return {"mean": str(statistics.mean([fractions.Fraction(1, 3), fractions.Fraction(1, 6)]))}
"""
METADATA = "name: Housing with an import\npython: app.py\n"
PREDICT = "(inputs) => window.shipyard.predict(inputs)"
EXPECTED = str(mean([Fraction(1, 3), Fraction(1, 6)]))


def build(folder: Path, snapshot: bool) -> Path:
    (folder / "app.py").write_text(APP)
    (folder / "metadata.yml").write_text(METADATA)
    build_site(HOUSING / "model.onnx", folder / "metadata.yml", folder / "site", snapshot=snapshot)
    return folder / "site"


def fetched_rest(page: SitePage) -> bool:
    return any(url.endswith(FILES.stdlib_rest) for url in page.requests + page.worker_requests)


@pytest.mark.parametrize("snapshot", [True, False], ids=["snapshot", "no-snapshot"])
def test_an_import_the_trace_did_not_see_fetches_the_rest_and_predicts(
    tmp_path: Path, open_site: Callable[[Path], SitePage], snapshot: bool
) -> None:
    site = open_site(build(tmp_path, snapshot))
    assert not fetched_rest(site)
    assert site.predict(INPUTS)["postprocess"] == {"mean": EXPECTED}
    assert fetched_rest(site)


def test_a_page_that_imports_nothing_more_never_fetches_the_rest(
    tmp_path: Path, open_site: Callable[[Path], SitePage]
) -> None:
    site = open_site(build_example("housing", tmp_path))
    assert site.predict(INPUTS)["variable"]["data"]
    assert not fetched_rest(site)


def test_the_rest_fetched_once_is_there_offline(tmp_path: Path, chromium: Browser) -> None:
    with served(build(tmp_path, snapshot=True)) as url:
        context = chromium.new_context()
        first = context.new_page()
        first.goto(url, timeout=LOAD_TIMEOUT_MS)
        first.evaluate(WAIT_PYTHON, LOAD_TIMEOUT_MS)
        first.evaluate(WAIT_CONTROLLED)
        assert first.evaluate(PREDICT, INPUTS)["postprocess"] == {"mean": EXPECTED}
        first.evaluate(WAIT_KEPT)
        first.close()
        context.set_offline(True)
        again = context.new_page()
        again.goto(url, timeout=LOAD_TIMEOUT_MS)
        again.evaluate(WAIT_PYTHON, LOAD_TIMEOUT_MS)
        assert again.evaluate(PREDICT, INPUTS)["postprocess"] == {"mean": EXPECTED}
        context.close()
