"""Files larger than a host takes, shipped as parts.

GitHub Pages refuses files over 100 MB and Cloudflare Pages over 25 MiB, and a model or
its weights may be far larger. A file the page fetches is cut into parts of at most the
limit, `NAME.part000`, `NAME.part001`, ...; the page fetches them in parallel, checks each
against its sha256 and joins them (templates/files.mjs). A file the browser loads itself
(a module, the page, its style) cannot be joined, so one over the limit fails the build.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

from shipyard.errors import HostLimitError
from shipyard.site.layout import site_files
from shipyard.site.manifest import Piece

_COPY = 1 << 20


def split_large(site: Path, fetched: Iterable[str], limit: int) -> dict[str, tuple[Piece, ...]]:
    """Split every file of `site` larger than `limit` bytes; returns the parts by file. Only
    the `fetched` files (those the page gets with `fetch`) may be split."""
    splittable = set(fetched)
    parts = {}
    for path, file in site_files(site).items():
        if file.stat().st_size <= limit:
            continue
        if path not in splittable:
            raise HostLimitError(
                f"is {file.stat().st_size:,} bytes, over the host's limit of {limit:,}, and cannot be "
                "split: the browser loads it itself",
                file=Path(path),
                key="--max-file-size",
                fix="raise --max-file-size, or choose a host that takes larger files",
            )
        parts[path] = split(file, path, limit)
    return parts


def split(file: Path, path: str, limit: int) -> tuple[Piece, ...]:
    """Cut `file` (at `path` in its site) into parts of `limit` bytes but the last, then remove it."""
    pieces = []
    with file.open("rb") as stream:
        for index in range(-(-file.stat().st_size // limit)):
            part = file.with_name(f"{file.name}.part{index:03d}")
            with part.open("wb") as out:
                _copy(stream, out, limit)
            pieces.append(Piece.of(f"{path}.part{index:03d}", part))
    file.unlink()
    return tuple(pieces)


def _copy(source: BinaryIO, target: BinaryIO, count: int) -> None:
    while count > 0 and (chunk := source.read(min(_COPY, count))):
        target.write(chunk)
        count -= len(chunk)
