"""A page restored from Pyodide's start-up snapshot: a first visit starts Pyodide afresh and
fetches the snapshot once ready, the visits after it restore Pyodide from it, each drawing
its own random numbers, and the warm-up once ready shows nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from shipyard.build import build_site
from shipyard.site.page import read_page_data
from shipyard.verify.chromium import LOAD_TIMEOUT_MS, WAIT_PYTHON
from shipyard_runtime.names import FILES, MARKS
from tests.support.site_page import HOLDS_FILE, SitePage, wait_until
from tests.support.sites import EXAMPLES

HOUSING = EXAMPLES / "housing"
INPUTS = {"MedInc": 3.5, "HouseAge": 25, "AveRooms": 5.5, "Latitude": 37.77}
RESTORED = "(mark) => performance.getEntriesByName(mark).length > 0"

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


def visit(context: BrowserContext, url: str) -> Page:
    page = context.new_page()
    page.goto(url, timeout=LOAD_TIMEOUT_MS)
    page.evaluate(WAIT_PYTHON, LOAD_TIMEOUT_MS)
    return page


def test_a_first_visit_boots_afresh_and_later_ones_restore_the_snapshot_drawing_anew(
    site: Path, chromium: Browser, serve: Callable[[Path], str]
) -> None:
    """The first visit fetches the snapshot once ready, not before; the visits after it
    restore Pyodide from it, and each draws its own random numbers."""
    url, snapshot = serve(site), read_page_data(site)["manifest"][FILES.snapshot]
    context = chromium.new_context()
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url.removeprefix(url)))
    first = visit(context, url)
    assert first.evaluate(RESTORED, MARKS.restored) is False
    wait_until(first, HOLDS_FILE, snapshot)
    assert {FILES.snapshot, FILES.ort_wasm} <= set(requests)
    draws = []
    for _ in range(2):
        requests.clear()
        again = visit(context, url)
        assert again.evaluate(RESTORED, MARKS.restored) is True
        draws.append(
            again.evaluate("(inputs) => window.shipyard.predict(inputs)", INPUTS)["postprocess"]["draw"]
        )
        assert FILES.snapshot not in requests
    assert draws[0] != draws[1]
    context.close()


def test_the_warm_up_once_ready_shows_nothing(site: Path, open_site: Callable[[Path], SitePage]) -> None:
    visit = open_site(site)
    visit.page.wait_for_timeout(500)  # past the idle callback that warms up
    shown = visit.page.evaluate("[...document.querySelectorAll('[data-output]')].map((e) => e.textContent)")
    assert shown and set(shown) == {""}
    assert visit.page.evaluate("location.hash") == "" and visit.errors == []
