"""The user's Python module (`--python`, or `python:` in the metadata), found and checked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from shipyard.errors import MetadataError, Problem, UserCodeError


def find_module(given: dict[str, Any], metadata: Path | None, option: Path | None) -> Path | None:
    """`--python` wins; a `python:` entry is relative to the metadata file."""
    if option is not None:
        return option
    entry = given.get("python")
    if entry is None:
        return None
    if not isinstance(entry, str) or not entry.strip():
        raise MetadataError(
            [Problem("python", "expected the path of a Python file")], file=metadata or "metadata"
        )
    path = (metadata.parent if metadata else Path.cwd()) / entry
    if not path.is_file():
        raise UserCodeError(f"{path} is not a file", file=metadata, key="python")
    return path


def read_module(path: Path) -> bytes:
    """The module's source, once it is known to compile."""
    source = path.read_bytes()
    try:
        compile(source, str(path), "exec")
    except SyntaxError as error:
        where = f"line {error.lineno}" if error.lineno else None
        raise UserCodeError(f"invalid Python: {error.msg}", file=path, key=where) from None
    return source
