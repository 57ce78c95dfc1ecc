"""`shipyard serve --compress` and the benchmarks' host: a real request, answered gzipped as
GitHub Pages and most CDNs answer it, or as it is."""

from __future__ import annotations

import gzip
import urllib.request
from pathlib import Path

from shipyard.site.serve import CompressingHandler, served
from shipyard_runtime.names import FILES


def fetch(url: str, accept: str | None = "gzip, deflate, br") -> tuple[dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": accept} if accept else {})
    with urllib.request.urlopen(request) as response:
        return dict(response.headers), response.read()


def test_a_file_that_compresses_comes_gzipped(site: Path) -> None:
    with served(site, handler=CompressingHandler) as url:
        headers, body = fetch(url + "pyodide/pyodide.asm.mjs")
    assert headers["Content-Encoding"] == "gzip"
    assert headers["Vary"] == "Accept-Encoding"
    assert int(headers["Content-Length"]) == len(body)
    assert len(body) < (site / "pyodide" / "pyodide.asm.mjs").stat().st_size
    assert gzip.decompress(body) == (site / "pyodide" / "pyodide.asm.mjs").read_bytes()


def test_the_page_comes_gzipped_at_the_folder_url(site: Path) -> None:
    with served(site, handler=CompressingHandler) as url:
        headers, body = fetch(url)
    assert headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(body) == (site / "index.html").read_bytes()


def test_a_gzipped_file_is_sent_as_it_is(site: Path) -> None:
    with served(site, handler=CompressingHandler) as url:
        headers, body = fetch(url + FILES.ort_wasm)
    assert "Content-Encoding" not in headers
    assert body == (site / FILES.ort_wasm).read_bytes()


def test_nothing_is_compressed_for_a_browser_that_does_not_accept_gzip(site: Path) -> None:
    with served(site, handler=CompressingHandler) as url:
        headers, body = fetch(url + FILES.model, accept=None)
        refused, _ = fetch(url + FILES.model, accept="gzip;q=0, identity")
    assert "Content-Encoding" not in headers and "Content-Encoding" not in refused
    assert body == (site / FILES.model).read_bytes()
