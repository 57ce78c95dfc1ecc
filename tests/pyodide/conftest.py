"""Runtime tests inside Pyodide, in the session's headless Chromium (pytest-pyodide).

The dist dir is filled here, when these tests are collected: `run_in_pyodide`
reads its lock while the test module is imported, to decide what to load.
"""

from __future__ import annotations

import os

import pytest

from tests.pyodide.dist import prepare

# Only used with `--runner selenium`: find the Debian chromedriver, and never go online.
os.environ.setdefault("SE_CHROMEDRIVER", "/usr/bin/chromedriver")
os.environ.setdefault("SE_OFFLINE", "true")


@pytest.hookimpl(trylast=True)  # after pytest-pyodide resolved --dist-dir
def pytest_configure(config: pytest.Config) -> None:
    prepare(config.option.dist_dir)


@pytest.fixture(scope="session")
def playwright_browsers(request: pytest.FixtureRequest) -> dict[str, object]:
    """pytest-pyodide's playwright runner opens its pages in the root conftest's Chromium."""
    if request.config.option.runner != "playwright":
        return {}
    return {"chrome": request.getfixturevalue("chromium")}
