"""Runtime tests inside Pyodide, in the session's headless Chromium (pytest-pyodide).

The dist dir (see dist.py) is filled here, when these tests are collected:
`run_in_pyodide` reads its lock while the test module is imported, to decide
what to load.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from functools import partial
from http.server import ThreadingHTTPServer

import pytest
from pytest_pyodide.server import DefaultHandler
from pytest_pyodide.utils import built_packages

from tests.pyodide.dist import prepare

# Only used with `--runner selenium`: find the Debian chromedriver, and never go online.
os.environ.setdefault("SE_CHROMEDRIVER", "/usr/bin/chromedriver")
os.environ.setdefault("SE_OFFLINE", "true")


@pytest.hookimpl(trylast=True)  # after pytest-pyodide resolved --dist-dir
def pytest_configure(config: pytest.Config) -> None:
    if not config.pluginmanager.has_plugin("tests.pyodide.dist"):
        raise pytest.UsageError('add `pytest_plugins = ["tests.pyodide.dist"]` to the root conftest.py')
    prepare(config.option.dist_dir)
    # Under plain `pytest` this conftest loads during collection, after pytest-pyodide
    # cached the package list of the (then empty) dist dir: `run_in_pyodide` would
    # then load neither pytest nor tblib.
    built_packages.cache_clear()


@pytest.fixture(scope="session")
def playwright_browsers(request: pytest.FixtureRequest) -> dict[str, object]:
    """pytest-pyodide's playwright runner opens its pages in the root conftest's Chromium."""
    if request.config.option.runner != "playwright":
        return {}
    return {"chrome": request.getfixturevalue("chromium")}


class _QuietHandler(DefaultHandler):
    def log_message(self, format_: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def web_server_main(request: pytest.FixtureRequest) -> Iterator[tuple[str, int, None]]:
    """The dist dir served from a thread: pytest-pyodide's own server forks, which is unsafe
    (and warns) once the session's Chromium has started Playwright's threads."""
    handler = partial(_QuietHandler, directory=str(request.config.option.dist_dir))
    with ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        yield "127.0.0.1", server.server_port, None
        server.shutdown()
