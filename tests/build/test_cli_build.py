"""The command line on real builds: `static` as modelship spells it, and `serve`."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

import pytest

from shipyard.site.serve import make_server, url_of
from shipyard_runtime.names import FILES
from tests.support.cli import run
from tests.support.sites import EXAMPLES

HOUSING = EXAMPLES / "housing"

MODEL, METADATA = str(HOUSING / "model.onnx"), str(HOUSING / "metadata.yml")


def test_static_is_modelships_command_line_for_build(tmp_path: Path) -> None:
    assert run("static", "--output", str(tmp_path / "a"), "--metadata", METADATA, MODEL)[0] == 0
    assert run("build", MODEL, "--metadata", METADATA, "--output", str(tmp_path / "b"))[0] == 0
    a, b = (sorted(p.relative_to(tmp_path / n) for p in (tmp_path / n).rglob("*")) for n in "ab")
    assert a == b
    assert (tmp_path / "a/index.html").read_text() == (tmp_path / "b/index.html").read_text()


def test_serve_sends_wasm_and_module_types_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    run("build", MODEL, "--metadata", METADATA, "--output", str(tmp_path / "site"))
    server = subprocess.Popen(
        [sys.executable, "-m", "shipyard", "serve", str(tmp_path / "site"), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # as from a terminal: a child inherits an ignored SIGINT, and earlier browser tests
        # can leave this process ignoring it
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    assert server.stdout is not None and server.stderr is not None
    url = server.stdout.readline().strip()
    assert url.startswith("http://127.0.0.1:")
    types = {
        path: urllib.request.urlopen(url + path).headers["Content-Type"]
        for path in (FILES.brotli_wasm, "ort/ort.wasm.bundle.min.mjs", "gunzip.mjs", "index.html")
    }
    assert types == {
        FILES.brotli_wasm: "application/wasm",
        "ort/ort.wasm.bundle.min.mjs": "text/javascript",
        "gunzip.mjs": "text/javascript",
        "index.html": "text/html",
    }
    server.send_signal(signal.SIGINT)
    assert server.wait(timeout=10) == 0
    assert "Traceback" not in server.stderr.read()


@pytest.mark.parametrize(("threads", "isolated"), [("1", False), ("2", True)])
def test_serve_sends_isolation_headers_to_a_site_built_with_threads(
    tmp_path: Path, threads: str, isolated: bool
) -> None:
    run("build", MODEL, "--metadata", METADATA, "--output", str(tmp_path / "site"), "--threads", threads)
    server = make_server(tmp_path / "site", 0, quiet=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        headers = urllib.request.urlopen(url_of(server) + "index.html").headers
    finally:
        server.shutdown()
        server.server_close()
    policies = (headers["Cross-Origin-Opener-Policy"], headers["Cross-Origin-Embedder-Policy"])
    assert policies == (("same-origin", "require-corp") if isolated else (None, None))
