"""The site's list of its own files: path, size and sha256, and how each may arrive.

The page checks every response on the way to "ready" against it, names the file and the
likely cause when one is broken, and keeps the files it fetches in the browser's cache
under their sha256 (templates/files.mjs). It travels in the page's JSON block, and as
`files.json` for the service worker and for anyone checking a deployed copy.

Besides its own size and hash an entry may carry:
- `magic`: the first bytes (hex) of a file of its kind, for a clearer cause than a hash;
- `unpacked`: for a gzipped or brotli-compressed file, its content's path (its own without
  the suffix), size, hash and type: what arrives from a host that sends it with a
  `Content-Encoding`, and, for a brotli one, what the page serves under that path
  (templates/files.mjs);
- `parts`: the pieces a file too large for the host ships as (see `parts`), which the page
  fetches in parallel and joins;
- `later`: the page fetches it once ready, for later visits, not on the way to ready (the
  start-up snapshot: templates/interpreter.mjs).
"""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import brotli

# The types a host should send, by suffix: browsers compile wasm as it streams only when it
# comes as application/wasm, and run a module only when it comes as JavaScript. A .gz or .br
# file is unpacked by the page (templates/gunzip.mjs, unbrotli.mjs), not by the browser.
MIME_TYPES = {
    ".wasm": "application/wasm",
    ".mjs": "text/javascript",
    ".js": "text/javascript",
    ".json": "application/json",
    ".onnx": "application/octet-stream",
    ".whl": "application/zip",
    ".gz": "application/gzip",
    ".br": "application/octet-stream",
    ".webmanifest": "application/manifest+json",
}
# The first bytes of each kind of file a site fetches, by suffix (a wheel is a zip).
MAGIC = {
    ".wasm": b"\0asm",
    ".zip": b"PK\x03\x04",
    ".whl": b"PK\x03\x04",
    ".gz": b"\x1f\x8b",
}
_CHUNK = 1 << 20


@dataclass(frozen=True)
class Piece:
    """Bytes the page fetches or checks: a whole file, one of its parts, or its content."""

    path: str
    size: int
    sha256: str

    @classmethod
    def of(cls, path: str, *files: Path) -> Piece:
        """The piece at `path` holding `files` one after the other."""
        digest = hashlib.sha256()
        for file in files:
            with file.open("rb") as stream:
                while chunk := stream.read(_CHUNK):
                    digest.update(chunk)
        return cls(path, sum(file.stat().st_size for file in files), digest.hexdigest())

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "size": self.size, "sha256": self.sha256}


@dataclass(frozen=True)
class Entry:
    """One file of the site, as the page checks it."""

    whole: Piece
    parts: tuple[Piece, ...] = ()
    unpacked: Piece | None = None
    fetched: bool = False  # the page fetches it (files.mjs), rather than the browser loading it
    later: bool = False  # once ready, for later visits

    def to_dict(self) -> dict[str, Any]:
        entry = self.whole.to_dict()
        if self.fetched:
            entry["fetch"] = True
            entry["type"] = _type(self.whole.path)
        if self.later:
            entry["later"] = True
        magic = MAGIC.get(Path(self.whole.path).suffix)
        if magic:
            entry["magic"] = magic.hex()
        if self.unpacked:
            entry["unpacked"] = {**self.unpacked.to_dict(), "type": _type(self.unpacked.path)}
        if self.parts:
            entry["parts"] = [part.to_dict() for part in self.parts]
        return entry


def _type(path: str) -> str:
    return MIME_TYPES.get(Path(path).suffix, "application/octet-stream")


def entry_of(
    site: Path, path: str, parts: tuple[Piece, ...] = (), fetched: bool = False, later: bool = False
) -> Entry:
    """The entry for `path` in `site`; a split file is read back from its parts."""
    files = [site / part.path for part in parts] or [site / path]
    return Entry(Piece.of(path, *files), parts, _unpacked(files, path), fetched, later)


# How a compressed file's content is had back, by suffix (a brotli stream has no magic
# number: the page tells a file its host unpacked by its size, see templates/files.mjs).
UNPACK: dict[str, Callable[[bytes], bytes]] = {".gz": gzip.decompress, ".br": brotli.decompress}


def _unpacked(files: list[Path], path: str) -> Piece | None:
    """A compressed file's content (such files are a few MB: see `brotli`, `snapshot`)."""
    unpack = UNPACK.get(Path(path).suffix)
    if unpack is None:
        return None
    inner = unpack(b"".join(file.read_bytes() for file in files))
    content = PurePosixPath(path).with_suffix("").as_posix()
    return Piece(content, len(inner), hashlib.sha256(inner).hexdigest())


def manifest(entries: Iterable[Entry]) -> dict[str, dict[str, Any]]:
    """The manifest as the page and `files.json` carry it: entries by path, in path order."""
    return {entry.whole.path: entry.to_dict() for entry in sorted(entries, key=lambda e: e.whole.path)}
