"""The browser runtime as a pure-Python wheel, built byte for byte the same each time.

Fixed timestamps and file order give a stable sha256, so an unchanged
runtime keeps its hash in the site's lock (and in the browser's cache). Its
entries are stored, not deflated: the site ships it brotli-compressed whole,
which packs it far smaller (see assemble).
"""

from __future__ import annotations

import base64
import hashlib
import io
import zipfile
from importlib import metadata
from pathlib import Path

import shipyard_runtime
from shipyard.installed import own_file

NAME = "shipyard_runtime"
INIT = f"{NAME}/__init__.py"
_EPOCH = (1980, 1, 1, 0, 0, 0)


def runtime_version() -> str:
    return metadata.version("shipyard")


def build_runtime_wheel(folder: Path, bytecode: bytes | None = None) -> Path:
    """Write `shipyard_runtime-<version>-py3-none-any.whl` into `folder` and return its path.

    `bytecode`: a zip of the modules compiled by the page's Pyodide (`name.pyc`, made by the
    build's trace, shipyard/site/stdlib.py), shipped in place of the sources, as Pyodide
    ships its own packages: Python imports them without compiling. A traceback through the
    runtime then names its file and line without the line's text; user code's never shows
    the runtime's frames (hooks.py). Its `__init__.py`, empty, stays a source: a lock finds
    a wheel's packages by their sources (pyodide_lock's `parse_top_level_import_name`).
    """
    version = runtime_version()
    source = Path(shipyard_runtime.__file__).parent
    files = _sources(source)
    if bytecode is not None:
        compiled = _entries(bytecode)
        files = {INIT: files[INIT]} | {name: data for name, data in compiled.items() if name != f"{INIT}c"}
    files[f"{NAME}/py.typed"] = own_file(source / "py.typed")
    info = f"{NAME}-{version}.dist-info"
    files[f"{info}/METADATA"] = (
        f"Metadata-Version: 2.1\nName: shipyard-runtime\nVersion: {version}\n"
        "Summary: shipyard's browser runtime (form, validation, tensors)\n"
    ).encode()
    files[f"{info}/WHEEL"] = (
        b"Wheel-Version: 1.0\nGenerator: shipyard\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    )
    files[f"{info}/top_level.txt"] = f"{NAME}\n".encode()
    files[f"{info}/RECORD"] = _record(files, f"{info}/RECORD")
    path = folder / f"{NAME}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as wheel:
        for name, data in files.items():
            entry = zipfile.ZipInfo(name, _EPOCH)
            entry.external_attr = 0o644 << 16
            wheel.writestr(entry, data, zipfile.ZIP_STORED)
    return path


def _sources(package: Path) -> dict[str, bytes]:
    return {f"{NAME}/{path.name}": own_file(path) for path in sorted(package.glob("*.py"))}


def _entries(archive: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(archive)) as pycs:
        return {name: pycs.read(name) for name in sorted(pycs.namelist())}


def _record(files: dict[str, bytes], record_name: str) -> bytes:
    lines = []
    for name, data in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        lines.append(f"{name},sha256={digest},{len(data)}")
    lines.append(f"{record_name},,")
    return ("\n".join(lines) + "\n").encode()
