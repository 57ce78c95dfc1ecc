"""A broken deploy says which file is wrong and why, within 15 s, and never shows
"Loading…" forever: every fault real hosts make (a missing file, a truncated upload, a
Git LFS pointer committed in its place, an HTML page served for it, bytes that are not
the build's), on every file on the way to ready (tests/support/faulty_host.py).

By default a spread of the files runs (those the page fetches, an entry module of each
kind, and files.mjs, whose own checks cannot run when it is the broken one); `--all-faults`
runs every file (CI does)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser

from shipyard.site.layout import ENTRY, FETCHED, PYSCRIPT_ENTRY, interpreter, python_modules
from shipyard.verify.chromium import LOAD_TIMEOUT_MS, WAIT_PYTHON
from shipyard_runtime.names import ATTRIBUTES, FILES, IDS
from tests.support.faulty_host import FAULTS, case_path, faulty_host
from tests.support.sites import browser_loaded, build_example

DEADLINE_S = 15
RUNTIME_WHEEL = "pyodide/shipyard_runtime-0.1.0-py3-none-any.whl.br"
# The files on the way to ready: those the page fetches, and what the browser loads. (The
# snapshot is fetched once ready, for later visits: a broken one is never kept.)
FETCHED_FILES = (*FETCHED, FILES.model, RUNTIME_WHEEL)
LOADED = browser_loaded()
SPREAD = (
    *FETCHED_FILES,
    ENTRY,
    "files.mjs",
    PYSCRIPT_ENTRY,
    "pyscript/core-C9KDLldu.js",
    "pyodide/pyodide.asm.mjs",
    FILES.ort,
)
# Named by its status and size alone: the module whose checks name the others.
BY_SIZE = "files.mjs"
# Where the cause shows in the message, by fault.
CAUSES = {
    "missing": "missing (404",
    "truncated": "truncated",
    "lfs-pointer": "Git LFS pointer",
    "html-page": "HTML page instead",
    "corrupt": "integrity mismatch",
}
FAILED = f"document.getElementById('{IDS.status}').getAttribute('{ATTRIBUTES.state}') === 'error'"
# How `window.shipyard.ready` and `.python` settled (null where shipyard.js never ran):
# each rejects with the message shown, but `ready` on a site that predicts before Python
# (housing) when the broken file is one only Python needs: `predict` does work.
SETTLED = """async () => {
  if (!window.shipyard) return null;
  const pending = new Promise((resolve) => setTimeout(() => resolve("pending"), 5000));
  const settled = (promise) => Promise.race([promise.then(() => "ready", (e) => e.message), pending]);
  return { ready: await settled(window.shipyard.ready), python: await settled(window.shipyard.python) };
}"""
PYTHON_ONLY = frozenset(python_modules(interpreter(snapshot=True, worker=True)))


@pytest.fixture(scope="module")
def host(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    site = build_example("housing", tmp_path_factory.mktemp("broken"))
    with faulty_host(site) as url:
        yield url


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "file" in metafunc.fixturenames:
        every = metafunc.config.getoption("all_faults")
        metafunc.parametrize("file", sorted(set(FETCHED_FILES + LOADED)) if every else SPREAD)


@pytest.mark.parametrize("fault", FAULTS)
def test_a_broken_file_is_named_with_its_cause(host: str, chromium: Browser, file: str, fault: str) -> None:
    context = chromium.new_context()
    page = context.new_page()
    started = time.monotonic()
    try:
        page.goto(host + case_path(fault, file))
        page.wait_for_function(FAILED, timeout=DEADLINE_S * 1000)
        shown = page.inner_text(f"#{IDS.status}")
        settled = page.evaluate(SETTLED)
    finally:
        context.close()
    assert time.monotonic() - started < DEADLINE_S
    assert file in shown, shown
    if file != BY_SIZE:
        assert CAUSES[fault] in shown, shown
    if settled is not None:
        assert settled == {"ready": "ready" if file in PYTHON_ONLY else shown, "python": shown}


@pytest.mark.parametrize("fault", FAULTS)
def test_a_broken_snapshot_leaves_the_page_starting(host: str, chromium: Browser, fault: str) -> None:
    """The snapshot is fetched once ready, for later visits; a broken one is never kept."""
    context = chromium.new_context()
    page = context.new_page()
    try:
        page.goto(host + case_path(fault, FILES.snapshot))
        page.evaluate(WAIT_PYTHON, LOAD_TIMEOUT_MS)
        page.wait_for_timeout(1000)  # past the snapshot's fetch, once ready
        state = page.get_attribute(f"#{IDS.status}", ATTRIBUTES.state)
    finally:
        context.close()
    assert state == "ready"
