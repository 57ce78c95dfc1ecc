"""shipyard's wheel, built once per session, and a venv that installed it (see
`tests/support/installed`)."""

from __future__ import annotations

import pytest

from tests.support.installed import Installed, build_wheel


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    """shipyard installed from its wheel into a fresh venv, with its declared dependencies."""
    wheel = build_wheel(tmp_path_factory.mktemp("wheel"))
    return Installed.install(wheel, tmp_path_factory.mktemp("installed") / "venv")
