"""A site without hooks predicts as soon as onnxruntime-web's session is up, before Python:
`window.shipyard.ready` resolves and `predict` answers while Pyodide's wasm is still held
back by the test, and the form's Run waits for Python. A site with hooks is ready only once
Python runs. Checked in a real page, with Pyodide's download held by the browser's router."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Route

from shipyard.verify.chromium import LOAD_TIMEOUT_MS, WAIT_PYTHON
from shipyard_runtime.names import FILES, IDS, MARKS
from tests.support.models import keyed_identity_site
from tests.support.sites import build_example

HELD = f"**/{FILES.pyodide_wasm}"

# What the page offers while Python is held back: `predict` of plain inputs, a mark, and
# a Run button still disabled.
BEFORE_PYTHON = f"""async (inputs) => {{
  await window.shipyard.ready;
  const result = await window.shipyard.predict(inputs);
  return {{
    result: Object.fromEntries(Object.entries(result).map(([k, o]) => [k, o.data])),
    marked: performance.getEntriesByName("{MARKS.ready}").length,
    pythonMarked: performance.getEntriesByName("{MARKS.python}").length,
    runDisabled: document.getElementById("{IDS.run}").disabled,
  }};
}}"""


# "answered" when the promise at `window[name]` settles within `ms`, else "waiting".
SETTLED_WITHIN = """([name, ms]) => Promise.race([
  Promise.resolve(window[name]).then(() => "answered"),
  new Promise((resolve) => setTimeout(resolve, ms, "waiting")),
])"""


class HeldPython:
    """Pyodide's wasm held back by the browser's router until `release()`, and let through
    at once from then on."""

    def __init__(self, page: Page) -> None:
        self.routes: list[Route] = []
        self.released = False
        page.route(HELD, self._hold)

    def _hold(self, route: Route) -> None:
        self.routes.append(route)
        if self.released:
            route.continue_()

    def release(self) -> None:
        self.released = True
        for route in self.routes:
            route.continue_()


@pytest.fixture
def held_page(chromium: Browser) -> Iterator[Callable[[str], tuple[Page, HeldPython]]]:
    contexts = []

    def open_(url: str) -> tuple[Page, HeldPython]:
        context = chromium.new_context()
        contexts.append(context)
        page = context.new_page()
        held = HeldPython(page)
        page.goto(url, timeout=LOAD_TIMEOUT_MS)
        return page, held

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture(scope="module")
def plain_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    inputs = {"x": {"type": "float32", "shape": [1, 3], "max": 10}}
    return keyed_identity_site(tmp_path_factory.mktemp("early"), inputs)


def test_a_site_without_hooks_predicts_before_python(
    plain_site: Path, serve: Callable[[Path], str], held_page: Callable[[str], tuple[Page, HeldPython]]
) -> None:
    page, held = held_page(serve(plain_site))
    got = page.evaluate(BEFORE_PYTHON, {"x": [1, 2.5, -3]})
    assert held.routes, "Pyodide's wasm was not asked for: the test held nothing back"
    assert got == {"result": {"x_out": [1, 2.5, -3]}, "marked": 1, "pythonMarked": 0, "runDisabled": True}
    held.release()
    page.evaluate(WAIT_PYTHON, LOAD_TIMEOUT_MS)
    assert page.locator(f"#{IDS.run}").is_enabled()


def test_an_input_only_python_reads_waits_for_python(
    plain_site: Path, serve: Callable[[Path], str], held_page: Callable[[str], tuple[Page, HeldPython]]
) -> None:
    page, held = held_page(serve(plain_site))
    page.evaluate("window.shipyard.ready")
    page.evaluate("() => { window.nested = window.shipyard.predict({x: [[1, 2, 3]]}); }")
    assert page.evaluate(SETTLED_WITHIN, ["nested", 500]) == "waiting"
    held.release()
    assert page.evaluate("window.nested.then((r) => Array.from(r.x_out.data))") == [1, 2, 3]


@pytest.fixture(scope="module")
def hooked_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_example("digits", tmp_path_factory.mktemp("hooked"))


def test_a_site_with_hooks_is_ready_once_python_runs(
    hooked_site: Path, serve: Callable[[Path], str], held_page: Callable[[str], tuple[Page, HeldPython]]
) -> None:
    page, held = held_page(serve(hooked_site))
    page.evaluate("() => { window.early = window.shipyard.ready; }")
    assert page.evaluate(SETTLED_WITHIN, ["early", 3000]) == "waiting"
    assert held.routes, "Pyodide's wasm was not asked for: the test held nothing back"
    held.release()
    page.evaluate("window.shipyard.ready")
    assert page.evaluate(f"performance.getEntriesByName('{MARKS.python}').length") == 1
