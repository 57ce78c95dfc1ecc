"""The failures a user can fix, one class per kind; the CLI turns them into messages."""

from __future__ import annotations

from pathlib import Path


class ShipyardError(Exception):
    """A user-facing failure: what went wrong, where (file and key), and what to do."""

    def __init__(self, reason: str, file: Path | str | None = None, key: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.file = file
        self.key = key

    def __str__(self) -> str:
        where = ": ".join(str(part) for part in (self.file, self.key) if part)
        return f"{where}: {self.reason}" if where else self.reason


class MetadataError(ShipyardError):
    """The metadata file cannot be read or does not describe a valid app."""

    def __init__(self, file: Path | str, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        lines = [f"{key}: {reason}" if key else reason for key, reason in problems]
        super().__init__("\n  ".join(["invalid metadata", *lines]), file)


class ModelError(ShipyardError):
    """The model file is not usable ONNX, or disagrees with the metadata."""


class UserCodeError(ShipyardError):
    """The app's Python module is missing or does not compile."""


class RequirementError(ShipyardError):
    """A requirement of the app's Python module is invalid, or no wheel the browser can load exists."""

    def __init__(
        self, file: Path | str, problems: list[tuple[str, str]], key: str | None = None, fix: str = ""
    ) -> None:
        self.problems = problems
        lines = [f"{where}: {reason}" if where else reason for where, reason in problems]
        if len(lines) == 1:
            reason = lines[0] + (f"; {fix}" if fix else "")
        else:
            reason = "\n  ".join([f"{len(lines)} problems", *lines, *([f"To fix: {fix}"] if fix else [])])
        super().__init__(reason, file, key)


class AssetError(ShipyardError):
    """A pinned browser asset could not be fetched or failed its integrity check."""


class SnapshotError(ShipyardError):
    """Pyodide's start-up snapshot could not be made (see `snapshot`)."""


class OutputError(ShipyardError):
    """The output directory cannot be written."""


class VerifyError(ShipyardError):
    """`shipyard verify` cannot check the site: a tool it needs is missing, or the folder is no site."""


class NoBrowserError(VerifyError):
    """No Chromium to open the site in; the site itself was not checked (exit code 3, not a failure)."""


def os_reason(error: OSError | UnicodeDecodeError) -> str:
    """Why a file operation failed, as the system words it ("No such file or directory")."""
    return getattr(error, "strerror", None) or str(error)


def last_line(text: str) -> str:
    """A tool's last non-blank line of output: the one that says what failed."""
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else ""
