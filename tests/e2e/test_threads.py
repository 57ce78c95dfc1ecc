"""A site built with --threads: onnxruntime-web runs on two threads where the page is
cross-origin isolated (by `shipyard serve`'s headers, or by the service worker on a host that
sends none, after one reload, however slowly the worker installs), and on one where the
browser refuses service workers."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from shipyard.build import build_site
from shipyard.metadata.read import load_metadata
from shipyard.site.serve import SiteHandler, served
from shipyard.verify.chromium import LOAD_TIMEOUT_MS, is_foreign
from tests.support.reference import assert_same, run_reference
from tests.support.site_page import SitePage
from tests.support.sites import EXAMPLES

HOUSING = EXAMPLES / "housing"
INPUTS = {"MedInc": 3.5, "HouseAge": 25, "AveRooms": 5.5, "Latitude": 37.77}
THREADS = (
    "import('./ort/ort.wasm.bundle.min.mjs').then((ort) => [crossOriginIsolated, ort.env.wasm.numThreads])"
)
PREDICT = "(inputs) => window.shipyard.ready.then(() => window.shipyard.predict(inputs))"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("threads") / "site"
    build_site(HOUSING / "model.onnx", HOUSING / "metadata.yml", output, threads=2)
    return output


@pytest.fixture(scope="module")
def plain_host(site: Path) -> Iterator[str]:
    """The site from a host that sends no isolation headers (most static hosts)."""
    with served(site, isolated=False) as url:
        yield url


class SlowInstallHandler(SiteHandler):
    """A host without isolation headers that is slow to answer the service worker's install,
    which fetches the page to keep it (as on a loaded machine or a slow link): the reload that
    an `updatefound` brings comes before the worker is active."""

    def do_GET(self) -> None:
        if self.path == "/" and self.headers.get("Sec-Fetch-Dest") != "document":
            time.sleep(3)
        super().do_GET()


@pytest.fixture(scope="module")
def slow_install_host(site: Path) -> Iterator[str]:
    with served(site, isolated=False, handler=SlowInstallHandler) as url:
        yield url


def expected() -> list[float]:
    app = load_metadata(HOUSING / "metadata.yml")
    return run_reference(HOUSING / "model.onnx", app, {k: [v] for k, v in INPUTS.items()})["variable"]


def test_shipyard_serve_isolates_the_page_and_the_model_runs_on_two_threads(
    site: Path, open_site: Callable[[Path], SitePage]
) -> None:
    page = open_site(site)
    assert page.page.evaluate(THREADS) == [True, 2]
    assert_same(page.predict(INPUTS)["variable"]["data"], expected())
    assert page.foreign_requests() == [] and page.errors == []


@pytest.mark.parametrize("host", ["plain_host", "slow_install_host"])
def test_on_a_host_without_headers_the_service_worker_isolates_after_one_reload(
    host: str, request: pytest.FixtureRequest, chromium: Browser
) -> None:
    url = request.getfixturevalue(host)
    context = chromium.new_context()
    requests: list[str] = []
    context.on("request", lambda sent: requests.append(sent.url))
    page = context.new_page()
    page.goto(url)
    page.wait_for_function("crossOriginIsolated && window.shipyard", timeout=LOAD_TIMEOUT_MS)
    assert_same(page.evaluate(PREDICT, INPUTS)["variable"]["data"], expected())
    assert page.evaluate(THREADS) == [True, 2]
    assert [u for u in requests if is_foreign(u, url.rstrip("/"))] == []
    context.close()


def test_a_browser_that_refuses_service_workers_runs_on_one_thread(
    plain_host: str, chromium: Browser
) -> None:
    context = chromium.new_context(service_workers="block")
    page = context.new_page()
    page.goto(plain_host)
    assert_same(page.evaluate(PREDICT, INPUTS)["variable"]["data"], expected())
    assert page.evaluate(THREADS) == [False, 1]
    context.close()
