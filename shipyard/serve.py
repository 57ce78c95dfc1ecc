"""A local preview server for a built site, on 127.0.0.1, with the MIME types browsers require."""

from __future__ import annotations

import functools
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .errors import OutputError

MIME_TYPES = {
    ".wasm": "application/wasm",  # required for streaming wasm compilation
    ".mjs": "text/javascript",  # module scripts are refused without a JS type
    ".js": "text/javascript",
    ".json": "application/json",
    ".onnx": "application/octet-stream",
    ".whl": "application/zip",
    ".gz": "application/gzip",  # unpacked by the page (templates/gunzip.mjs), not by the browser
}


class SiteHandler(SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, **MIME_TYPES}

    def handle(self) -> None:
        # A browser that cancels a download (navigation, a closed tab) is not an error.
        try:
            super().handle()
        except (BrokenPipeError, ConnectionResetError):
            pass

    def end_headers(self) -> None:
        # A rebuilt site must show at once, not after the browser's heuristic cache expires.
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()


class QuietSiteHandler(SiteHandler):
    """For a server inside another command (`shipyard verify`), whose stderr is its progress."""

    def log_message(self, format: str, *args: object) -> None:
        pass


def make_server(site: Path, port: int, host: str = "127.0.0.1", quiet: bool = False) -> ThreadingHTTPServer:
    """A server for `site`; `quiet` drops the per-request log lines."""
    if not (site / "index.html").is_file():
        raise OutputError("holds no index.html; build a site into it first", file=site)
    handler = functools.partial(QuietSiteHandler if quiet else SiteHandler, directory=str(site))
    try:
        return ThreadingHTTPServer((host, port), handler)
    except OSError as error:
        raise OutputError(f"cannot listen on {host}:{port} ({error.strerror})", key="--port") from None


def url_of(server: ThreadingHTTPServer) -> str:
    host, port = server.server_address[:2]
    return f"http://{host!s}:{port}/"
