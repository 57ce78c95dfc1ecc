"""The command line, run in this process as a user types it."""

from __future__ import annotations

from click.testing import CliRunner

from shipyard.cli import main


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    """The exit code and the output of `shipyard ARGS`. Any exception but SystemExit fails
    the test: a traceback is a bug in shipyard."""
    result = CliRunner().invoke(main, list(args), env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output
