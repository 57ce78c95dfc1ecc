"""A static host that breaks one file of a site the ways real deploys break them.

`/<fault>/<file>/...` serves the site with `<file>` (its path, with "/" written "~")
broken by `<fault>`; any other file comes as it is. Every case has a path of its own, so
that no case's cache or service worker reaches another's.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from urllib.parse import unquote

from shipyard.site.serve import SiteHandler, served

LFS_POINTER = (
    b"version https://git-lfs.github.com/spec/v1\n"
    b"oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12345\n"
)
HTML_PAGE = b"<!DOCTYPE html>\n<html><head><title>Page not found</title></head><body>404</body></html>\n"


def _truncated(content: bytes) -> bytes:
    return content[: len(content) // 2]


def _flipped(content: bytes) -> bytes:
    """The same size and first bytes, one byte further on changed: only the hash can tell."""
    at = min(len(content) - 1, max(16, len(content) // 2))
    return content[:at] + bytes([content[at] ^ 0xFF]) + content[at + 1 :]


# What each fault serves in place of a file's content (None: a 404).
FAULTS: dict[str, Callable[[bytes], bytes] | None] = {
    "missing": None,
    "truncated": _truncated,
    "lfs-pointer": lambda content: LFS_POINTER,
    "html-page": lambda content: HTML_PAGE,
    "corrupt": _flipped,
}


class FaultyHandler(SiteHandler):
    def do_GET(self) -> None:
        fault, target, rest = _route(self.path)
        self.path = "/" + rest
        if rest.split("?")[0] != target or fault not in FAULTS:
            super().do_GET()
            return
        change = FAULTS[fault]
        if change is None:
            self.send_error(404)
            return
        content = change(Path(self.directory, target).read_bytes())
        self.send_response(200)
        self.send_header("Content-Type", "text/html" if content is HTML_PAGE else self.guess_type(target))
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)


def _route(path: str) -> tuple[str, str, str]:
    parts = path.lstrip("/").split("/", 2)
    if len(parts) < 3:
        return "", "", path.lstrip("/")
    fault, target, rest = parts
    return fault, unquote(target).replace("~", "/"), rest


def case_path(fault: str, file: str) -> str:
    return f"{fault}/{file.replace('/', '~')}/"


def faulty_host(site: Path) -> AbstractContextManager[str]:
    """`site` served on 127.0.0.1 by FaultyHandler; yields the server's URL."""
    return served(site, handler=FaultyHandler)
