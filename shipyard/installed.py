"""shipyard's own files as installed (the templates, PyScript's vendored files, the runtime's
sources, the Node scripts): a failure to read one is a broken installation, whatever the
file is for, and says so."""

from __future__ import annotations

from importlib.resources.abc import Traversable
from pathlib import Path

from shipyard.errors import InstallError, os_reason

REINSTALL = "reinstall shipyard (pip install --force-reinstall shipyard, or as you installed it)"


def own_file(file: Traversable | Path) -> bytes:
    try:
        return file.read_bytes()
    except OSError as error:
        raise InstallError(
            f"cannot read it ({os_reason(error)}); shipyard's installation is incomplete",
            file=str(file),
            fix=REINSTALL,
        ) from None
