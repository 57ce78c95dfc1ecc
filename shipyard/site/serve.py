"""A local preview server for a built site, on 127.0.0.1, with the MIME types browsers require."""

from __future__ import annotations

import functools
import gzip
import io
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from shipyard.errors import OutputError, os_reason
from shipyard.site.hosts import ISOLATION
from shipyard.site.layout import PAGE
from shipyard.site.manifest import MIME_TYPES
from shipyard.site.page import read_page_data


class SiteHandler(SimpleHTTPRequestHandler):
    """`isolated`: send the headers that make a page cross-origin isolated (a site built with
    --threads); `quiet`: drop the per-request log lines (a server inside `shipyard verify`,
    whose stderr is its progress)."""

    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, **MIME_TYPES}

    def __init__(self, *args: Any, isolated: bool = False, quiet: bool = False, **kwargs: Any) -> None:
        self.isolated, self.quiet = isolated, quiet  # set first: the base class serves from __init__
        super().__init__(*args, **kwargs)

    def handle(self) -> None:
        # A browser that cancels a download (navigation, a closed tab) is not an error.
        try:
            super().handle()
        except (BrokenPipeError, ConnectionResetError):
            pass

    def end_headers(self) -> None:
        # A rebuilt site must show at once, not after the browser's heuristic cache expires.
        self.send_header("Cache-Control", "no-cache")
        if self.isolated:
            for name, value in ISOLATION.items():
                self.send_header(name, value)
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        if not self.quiet:
            super().log_message(format, *args)


class GzippingHandler(SiteHandler):
    """A host as GitHub Pages and most CDNs are: it gzips every response whose file is not
    compressed already, when the request accepts gzip (for the tests and the benchmarks)."""

    COMPRESSED = (".gz", ".br", ".zip", ".whl", ".png")
    _packed: dict[str, bytes] = {}

    def send_head(self) -> Any:
        path = Path(self.translate_path(self.path))
        accepted = "gzip" in self.headers.get("Accept-Encoding", "")
        if not path.is_file() or path.suffix in self.COMPRESSED or not accepted:
            return super().send_head()
        body = self._packed.setdefault(str(path), gzip.compress(path.read_bytes(), 6))
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def make_server(
    site: Path,
    port: int,
    host: str = "127.0.0.1",
    quiet: bool = False,
    isolated: bool | None = None,
    handler: type[SiteHandler] = SiteHandler,
) -> ThreadingHTTPServer:
    """A server for `site`; `quiet` drops the per-request log lines. `isolated`: send the
    isolation headers; by default to a site built with threads, as no other site needs them."""
    if not (site / PAGE).is_file():
        raise OutputError(f"holds no {PAGE}; build a site into it first", file=site)
    if isolated is None:
        isolated = read_page_data(site).get("threads", 1) > 1
    serving = functools.partial(handler, directory=str(site), isolated=isolated, quiet=quiet)
    try:
        return ThreadingHTTPServer((host, port), serving)
    except OSError as error:
        raise OutputError(f"cannot listen on {host}:{port} ({os_reason(error)})", key="--port") from None


def url_of(server: ThreadingHTTPServer) -> str:
    host, port = server.server_address[:2]
    return f"http://{host!s}:{port}/"


@contextmanager
def served(
    site: Path, isolated: bool | None = None, handler: type[SiteHandler] = SiteHandler
) -> Iterator[str]:
    """`site` on 127.0.0.1 at a free port, from a thread of this process; yields its URL.
    The one way `shipyard verify`, the tests and the benchmarks serve a site (`handler`: a
    SiteHandler of their own, such as a host that breaks files)."""
    server = make_server(site, 0, quiet=True, isolated=isolated, handler=handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield url_of(server)
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
