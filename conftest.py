"""Fixtures shared by every test layer: the example folders, built sites, a served site, a browser.

Browser start-ups are slow (~3 s on two cores), so one Chromium serves the whole
session and each site is built and served once per session.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import settings
from playwright.sync_api import Browser

from tests.browser import CHROMIUM, SitePage, launch_chromium

# pytest-pyodide's --dist-dir: a fresh temporary folder per run (tests/pyodide/dist.py).
pytest_plugins = ["tests.pyodide.dist"]

# CI replays the same hypothesis examples each run, so a landing never hinges on luck;
# a developer's runs keep exploring new ones.
settings.register_profile("ci", derandomize=True)
settings.load_profile("ci" if os.environ.get("CI") else "default")

ROOT = Path(__file__).parent
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install the Debian packages chromium and chromium-driver")
    with launch_chromium() as browser:
        yield browser


class Server:
    """`shipyard serve` in a subprocess on a free port; its log is shown when a test fails."""

    def __init__(self, site: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "shipyard", "serve", str(site), "--port", "0"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        self.url = self.process.stdout.readline().strip()
        if not self.url.startswith("http://127.0.0.1:"):
            self.stop()
            raise RuntimeError(f"shipyard serve did not start: {self.log()}")

    def log(self) -> str:
        return self.process.stderr.read() if self.process.stderr else ""

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture(scope="session")
def serve() -> Iterator[Callable[[Path], Server]]:
    servers: list[Server] = []

    def start(site: Path) -> Server:
        servers.append(Server(site))
        return servers[-1]

    yield start
    for server in servers:
        server.stop()


@pytest.fixture(scope="session")
def opened_pages() -> list[SitePage]:
    """Every site page opened in this session (tests/e2e checks none left its origin)."""
    return []


@pytest.fixture(scope="session")
def open_site(
    chromium: Browser, serve: Callable[[Path], Server], opened_pages: list[SitePage]
) -> Iterator[Callable[..., SitePage]]:
    """Open a built site in a fresh browser context, with init scripts if given; returns a
    ready `SitePage`."""

    def open_(site: Path, *init_scripts: str) -> SitePage:
        opened_pages.append(SitePage.open(chromium, serve(site).url, *init_scripts))
        return opened_pages[-1]

    yield open_
    for page in opened_pages:
        page.close()


@pytest.fixture(scope="session")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("sites")


def build_example(name: str, output: Path) -> Path:
    from shipyard.build import build_site

    folder = EXAMPLES / name
    build_site(folder / "model.onnx", folder / "metadata.yml", output / name)
    return output / name


@functools.cache
def example_module(name: str, file: str) -> ModuleType:
    """An example's Python file (`app.py`, `train.py`) imported once, as `<name>_<stem>`."""
    path = EXAMPLES / name / file
    spec = importlib.util.spec_from_file_location(f"{name}_{path.stem}", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
