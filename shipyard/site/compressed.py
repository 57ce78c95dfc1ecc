"""Responses gzipped as static hosts send them: GitHub Pages and most CDNs gzip every file
that is not compressed already when the browser accepts it. `shipyard serve --compress`
and the benchmarks serve a site this way, to see what a visitor downloads.
"""

from __future__ import annotations

import gzip
import threading
from pathlib import Path

# Suffixes of files that are compressed already: a host sends them as they are. wasm is
# not among them; it compresses well.
ALREADY_COMPRESSED = frozenset(
    {".gz", ".br", ".zip", ".whl", ".png", ".jpg", ".jpeg", ".webp", ".woff", ".woff2"}
)
LEVEL = 6  # what hosts use

_lock = threading.Lock()
_cache: dict[Path, tuple[tuple[int, int], bytes]] = {}  # by path: (mtime_ns, size), gzipped bytes


def compresses(path: Path) -> bool:
    return path.suffix.lower() not in ALREADY_COMPRESSED


def accepts_gzip(accept_encoding: str | None) -> bool:
    """Whether an Accept-Encoding header allows gzip (a `q=0` refuses it)."""
    for item in (accept_encoding or "").split(","):
        name, _, params = item.strip().partition(";")
        if name.strip().lower() in ("gzip", "*"):
            return params.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


def gzipped_body(path: Path) -> bytes:
    """`path` gzipped, made once per version of the file (its mtime and size) while the
    server runs, so that repeated visits do not pay for the compression."""
    stat = path.stat()
    version = (stat.st_mtime_ns, stat.st_size)
    with _lock:
        cached = _cache.get(path)
    if cached and cached[0] == version:
        return cached[1]
    body = gzip.compress(path.read_bytes(), LEVEL, mtime=0)
    with _lock:
        _cache[path] = (version, body)
    return body
