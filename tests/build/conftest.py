"""shipyard's wheel, built once per session, and a venv that installed it (see
`tests/support/installed`); the housing example built once per module."""

from __future__ import annotations

from pathlib import Path

import pytest

from shipyard.build import build_site
from tests.support.installed import Installed, build_wheel
from tests.support.sites import EXAMPLES

HOUSING = EXAMPLES / "housing"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The housing example, built with its metadata."""
    output = tmp_path_factory.mktemp("build") / "site"
    build_site(HOUSING / "model.onnx", HOUSING / "metadata.yml", output)
    return output


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    """shipyard installed from its wheel into a fresh venv, with its declared dependencies."""
    wheel = build_wheel(tmp_path_factory.mktemp("wheel"))
    return Installed.install(wheel, tmp_path_factory.mktemp("installed") / "venv")
