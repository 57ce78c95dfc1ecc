"""The one folder where shipyard keeps what it fetched or made once: npm tarballs and their
files, pure-Python wheels, gzipped assets and Pyodide snapshots."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs


def cache_dir() -> Path:
    """`SHIPYARD_CACHE_DIR`, or the user cache directory."""
    override = os.environ.get("SHIPYARD_CACHE_DIR")
    return Path(override) if override else Path(platformdirs.user_cache_dir("shipyard"))
