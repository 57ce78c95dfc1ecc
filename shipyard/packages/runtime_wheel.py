"""The browser runtime as a pure-Python wheel, built byte for byte the same each time.

Fixed timestamps and file order give a stable sha256, so an unchanged
runtime keeps its hash in the site's lock (and in the browser's cache).
"""

from __future__ import annotations

import base64
import hashlib
import zipfile
from importlib import metadata
from pathlib import Path

import shipyard_runtime
from shipyard.installed import own_file

NAME = "shipyard_runtime"
_EPOCH = (1980, 1, 1, 0, 0, 0)


def runtime_version() -> str:
    return metadata.version("shipyard")


def build_runtime_wheel(folder: Path) -> Path:
    """Write `shipyard_runtime-<version>-py3-none-any.whl` into `folder` and return its path."""
    version = runtime_version()
    source = Path(shipyard_runtime.__file__).parent
    files = {
        f"{NAME}/{path.name}": own_file(path)
        for path in sorted(source.iterdir())
        if path.suffix == ".py" or path.name == "py.typed"
    }
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
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as wheel:
        for name, data in files.items():
            entry = zipfile.ZipInfo(name, _EPOCH)
            entry.external_attr = 0o644 << 16
            wheel.writestr(entry, data, zipfile.ZIP_DEFLATED)
    return path


def _record(files: dict[str, bytes], record_name: str) -> bytes:
    lines = []
    for name, data in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        lines.append(f"{name},sha256={digest},{len(data)}")
    lines.append(f"{record_name},,")
    return ("\n".join(lines) + "\n").encode()
