"""Fixtures shared by every test layer, and the layers themselves.

Each folder of tests/ is a layer, and its tests carry its marker (`pytest -m unit`):
unit (CPython alone), build (also Node.js and npm, for the assets and the snapshot),
pyodide (the runtime in Pyodide, in Chromium), e2e (built sites in Chromium) and js (the
page's JS under Node's test runner, and its linter). Browser start-ups are slow, so one
Chromium serves the whole session and each site is built and served once per session.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from _pytest.mark.expression import Expression  # how -m reads its expression
from hypothesis import settings
from playwright.sync_api import Browser

from shipyard.cache import cache_dir
from shipyard.site.serve import served
from shipyard.verify.chromium import CHROMIUM, chromium_flags, launch_chromium
from tests.support.locales import provide_locale
from tests.support.site_page import SitePage

# pytest-pyodide's --dist-dir: a fresh temporary folder per run (tests/pyodide/dist.py).
pytest_plugins = ["tests.pyodide.dist"]

TESTS = Path(__file__).parent / "tests"
LAYERS = ("unit", "build", "pyodide", "e2e", "js")

# Every run replays the same hypothesis examples, so a landing never hinges on luck;
# `pytest --hypothesis-profile explore` tries new ones (and keeps what fails in .hypothesis/).
settings.register_profile("replay", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile("replay")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--full-conformance",
        action="store_true",
        help="tests/e2e/test_conformance.py over all 117 models of the onnx wheel's conformance data"
        " (by default, a spread of them)",
    )
    parser.addoption(
        "--all-faults",
        action="store_true",
        help="tests/e2e/test_broken_deploys.py over every file on the way to ready"
        " (by default, a spread of them)",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Native onnxruntime needs the en_US.UTF-8 locale for scikit-learn's text models; on a
    system without it, the session makes one of its own (see `tests/support/locales`)."""
    provide_locale(cache_dir() / "test-locales")


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """Leave out the folders of the layers `-m` does not select: collecting some of them
    needs what their layer needs (tests/pyodide fetches Pyodide as it is collected)."""
    markers = config.option.markexpr
    if not markers or collection_path.parent != TESTS or collection_path.name not in LAYERS:
        return None
    return not Expression.compile(markers).evaluate(lambda name, **_: name == collection_path.name) or None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        layer = item.path.relative_to(TESTS).parts[0]
        if layer in LAYERS:
            item.add_marker(layer)


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install the Debian packages chromium and chromium-driver")
    with launch_chromium() as browser:
        yield browser


@pytest.fixture(scope="session")
def webgpu_chromium(chromium: Browser) -> Iterator[Browser]:
    """A second Chromium, from the same Playwright, with a (software) WebGPU adapter; the
    other tests' browser has none."""
    browser = chromium.browser_type.launch(executable_path=CHROMIUM, args=chromium_flags(webgpu=True))
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def serve() -> Iterator[Callable[[Path], str]]:
    """Serve a built site on a free port for the rest of the session; returns its URL."""
    with ExitStack() as servers:
        yield lambda site: servers.enter_context(served(site))


@pytest.fixture(scope="session")
def opened_pages() -> list[SitePage]:
    """Every site page opened in this session (tests/e2e checks none left its origin)."""
    return []


@pytest.fixture(scope="session")
def open_site(
    chromium: Browser, serve: Callable[[Path], str], opened_pages: list[SitePage]
) -> Iterator[Callable[..., SitePage]]:
    """Open a built site in a fresh browser context, with init scripts if given; returns a
    ready `SitePage`."""

    def open_(site: Path, *init_scripts: str) -> SitePage:
        opened_pages.append(SitePage.open(chromium, serve(site), *init_scripts))
        return opened_pages[-1]

    yield open_
    for page in opened_pages:
        page.close()


@pytest.fixture(scope="session")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("sites")
