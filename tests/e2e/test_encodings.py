"""A host's own compression leaves the site working: a host that gzips what is not
compressed already (as GitHub Pages and most CDNs do), and one that sends the brotli file
with `Content-Encoding: br`, which the browser then decodes before the page sees it (the
page tells it by its size: templates/unbrotli.mjs)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Response

from shipyard.site.serve import CompressingHandler, served
from shipyard.verify.chromium import LOAD_TIMEOUT_MS, WAIT_PYTHON
from shipyard_runtime.names import FILES
from tests.support.sites import build_example

INPUTS = {"MedInc": 3.5, "HouseAge": 25, "AveRooms": 5.5, "Latitude": 37.77}


class BrotliEncodingHandler(CompressingHandler):
    """Also sends each `.br` file brotli-encoded, as its content, as hosts that serve
    pre-compressed files do."""

    def end_headers(self) -> None:
        if self.path.split("?")[0].endswith(".br"):
            self.send_header("Content-Encoding", "br")
        super().end_headers()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_example("housing", tmp_path_factory.mktemp("encodings"))


@pytest.mark.parametrize("handler", [CompressingHandler, BrotliEncodingHandler], ids=["gzip", "br"])
def test_the_site_works_through_the_hosts_encoding(
    site: Path, chromium: Browser, handler: type[CompressingHandler]
) -> None:
    encodings: dict[str, str] = {}

    def record(response: Response) -> None:
        encodings[response.url.removeprefix(url)] = response.headers.get("content-encoding", "")

    with served(site, handler=handler) as url:
        page = chromium.new_context().new_page()
        page.on("response", record)
        page.goto(url, timeout=LOAD_TIMEOUT_MS)
        page.evaluate(WAIT_PYTHON, LOAD_TIMEOUT_MS)
        result = page.evaluate("(inputs) => window.shipyard.predict(inputs)", INPUTS)
        page.context.close()
    assert result["variable"]["data"]
    for wasm in (FILES.ort_wasm, FILES.pyodide_wasm):
        assert encodings[wasm] == ("br" if handler is BrotliEncodingHandler else "")
    assert encodings["pyodide/pyodide.asm.mjs"] == "gzip"
