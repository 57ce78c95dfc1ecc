"""The one folder where shipyard keeps what it fetched or made once: npm tarballs and their
files, pure-Python wheels, brotli-compressed assets and Pyodide snapshots.

An entry made from other files (an asset's files, a compressed file, a snapshot) has its sizes
noted beside it once complete, so that an entry cut short or damaged since is made again
rather than shipped; and a cache that cannot be read or written is reported as the cache's
problem, with its path, not as the site's.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

import platformdirs

from shipyard.errors import AssetError, os_reason


def cache_dir() -> Path:
    """`SHIPYARD_CACHE_DIR`, or the user cache directory."""
    override = os.environ.get("SHIPYARD_CACHE_DIR")
    return Path(override) if override else Path(platformdirs.user_cache_dir("shipyard"))


def cache_error(error: OSError, entry: Path) -> AssetError:
    """A failure to read or make `entry` of the cache (named rather than the file the error
    names, which may be a temporary one)."""
    return AssetError(
        f"cannot read or write it in shipyard's cache ({os_reason(error)})",
        file=entry,
        fix="delete it and build again, or set SHIPYARD_CACHE_DIR to a folder you can write",
    )


def read_cached(file: Path) -> bytes:
    try:
        return file.read_bytes()
    except OSError as error:
        raise cache_error(error, file) from None


def record_sizes(files: Iterable[Path], record: Path) -> None:
    """Note in `record` the size of each of `files` (one folder's), once they are complete."""
    sizes = {file.name: file.stat().st_size for file in files}
    with tempfile.NamedTemporaryFile("w", dir=record.parent, suffix=".partial", delete=False) as partial:
        json.dump(sizes, partial)
    Path(partial.name).replace(record)


def whole(files: Iterable[Path], record: Path) -> bool:
    """Each of `files` is there, at the size `record` noted when it was made."""
    try:
        sizes = json.loads(record.read_text())
        return isinstance(sizes, dict) and all(sizes.get(file.name) == file.stat().st_size for file in files)
    except (OSError, ValueError):
        return False


def sizes_of(entry: Path) -> Path:
    """Where the sizes of `entry` (a file, or a folder of files) are noted."""
    return entry.with_name(f"{entry.name}.sizes.json")


def made_once(target: Path, make: Callable[[], bytes]) -> Path:
    """`target`, an entry of the cache holding the bytes `make` gives, made if it is not whole."""
    if whole([target], sizes_of(target)):
        return target
    data = make()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as tmp:
            tmp.write(data)
        Path(tmp.name).replace(target)
        record_sizes([target], sizes_of(target))
    except OSError as error:
        raise cache_error(error, target) from None
    return target
