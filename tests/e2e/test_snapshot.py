"""A page restored from Pyodide's start-up snapshot: it fetches the snapshot and the gzipped
onnxruntime-web wasm, each visit draws its own random numbers, and the warm-up once ready
shows nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from shipyard.build import build_site
from tests.support.site_page import SitePage
from tests.support.sites import EXAMPLES

HOUSING = EXAMPLES / "housing"

APP = """\
import random


def postprocess(outputs, inputs):
    return {"draw": random.random()}
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("snapshot")
    (folder / "app.py").write_text(APP)
    metadata = (HOUSING / "metadata.yml").read_text() + "python: app.py\n"
    (folder / "metadata.yml").write_text(metadata)
    build_site(HOUSING / "model.onnx", folder / "metadata.yml", folder / "site")
    return folder / "site"


def test_the_page_is_restored_from_the_snapshot_and_each_visit_draws_anew(
    site: Path, open_site: Callable[[Path], SitePage]
) -> None:
    inputs = {"MedInc": 3.5, "HouseAge": 25, "AveRooms": 5.5, "Latitude": 37.77}
    visits = [open_site(site) for _ in range(2)]
    draws = [visit.predict(inputs)["postprocess"]["draw"] for visit in visits]
    assert draws[0] != draws[1]
    for visit in visits:
        fetched = {url.removeprefix(visit.origin) for url in visit.requests}
        assert {"/pyodide/snapshot.bin.gz", "/ort/ort-wasm-simd-threaded.wasm.br"} <= fetched
        assert visit.foreign_requests() == [] and visit.errors == []


def test_the_warm_up_once_ready_shows_nothing(site: Path, open_site: Callable[[Path], SitePage]) -> None:
    visit = open_site(site)
    visit.page.wait_for_timeout(500)  # past the idle callback that warms up
    shown = visit.page.evaluate("[...document.querySelectorAll('[data-output]')].map((e) => e.textContent)")
    assert shown and set(shown) == {""}
    assert visit.page.evaluate("location.hash") == "" and visit.errors == []
