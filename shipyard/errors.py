"""The failures a user can fix, one class per kind; the CLI turns them into messages.

Each is a `ShipyardError` (the runtime's, so that the generator and the page share one
family) and takes its arguments as every one does: what is wrong, then `file`, `key` and
`fix` by keyword.
"""

from __future__ import annotations

from shipyard_runtime.problems import Problem, ShipyardError

__all__ = [
    "AssetError",
    "BrowserCheckError",
    "DeployError",
    "MetadataError",
    "HostLimitError",
    "InstallError",
    "ModelError",
    "NoBrowserError",
    "NodeError",
    "OutputError",
    "Problem",
    "QuantizeError",
    "RequirementError",
    "ShipyardError",
    "SnapshotError",
    "UnrunnableModelError",
    "UserCodeError",
    "VerifyError",
    "last_line",
    "os_reason",
]


class MetadataError(ShipyardError):
    """The metadata file cannot be read or does not describe a valid app."""

    headline = "invalid metadata"


class ModelError(ShipyardError):
    """The model file is not usable ONNX, or disagrees with the metadata."""


class UnrunnableModelError(ModelError):
    """The model is ONNX, but a browser cannot run it as it is; a problem per reason."""

    headline = "cannot run in a browser:"


class BrowserCheckError(ModelError):
    """The site's own onnxruntime-web, run in Node at build time, cannot open or run the
    model, and no repair helps or a repair would change its results."""


class NodeError(ShipyardError):
    """Node.js, which runs the site's onnxruntime-web at build time, is missing or failed."""


class QuantizeError(ShipyardError):
    """`--quantize` cannot run (onnxruntime is missing), or onnxruntime's tools failed on the model."""


class UserCodeError(ShipyardError):
    """The app's Python module is missing or does not compile."""


class RequirementError(ShipyardError):
    """A requirement of the app's Python module is invalid, or no wheel the browser can load exists."""


class AssetError(ShipyardError):
    """A pinned browser asset could not be fetched or failed its integrity check, or the cache
    that keeps it could not be read or written."""


class InstallError(ShipyardError):
    """One of shipyard's own files (a template, the runtime) is missing or unreadable."""


class SnapshotError(ShipyardError):
    """Pyodide's start-up snapshot could not be made (see `snapshot`)."""


class OutputError(ShipyardError):
    """The output directory cannot be written."""


class HostLimitError(ShipyardError):
    """A file of the site is larger than the host takes and cannot be split."""


class DeployError(ShipyardError):
    """`shipyard deploy` cannot commit or push the site: no repository, no such remote, a
    rejected push, or a folder that holds no site built for the host."""


class VerifyError(ShipyardError):
    """`shipyard verify` cannot check the site: a tool it needs is missing, or the folder is no site."""


class NoBrowserError(VerifyError):
    """No Chromium to open the site in; the site itself was not checked (exit code 3, not a failure)."""


def os_reason(error: Exception) -> str:
    """Why an operation failed: an OS error as the system words it ("No such file or
    directory"), any other error by its message."""
    return getattr(error, "strerror", None) or str(error)


def last_line(text: str) -> str:
    """A tool's last non-blank line of output: the one that says what failed."""
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else ""
