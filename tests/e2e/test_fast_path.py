"""On a site without hooks, `predict` with plain inputs makes no call into Python; an input
only Python can read (a nested list) or reject (a value out of bounds) makes one, to
`prepare_api`. Counted in a real page, with the production JS as it is."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.support.models import keyed_identity_site
from tests.support.site_page import SitePage

# Before the page's own scripts: when the boot glue defines window.shipyardBoot, wrap its
# `attach` so that the Page proxy Python attaches reaches JS inside a Proxy that records
# every property JS reads on it (each read is a call into Python).
COUNT_PYTHON_CALLS = """
window.pythonCalls = [];
let boot;
Object.defineProperty(window, "shipyardBoot", {
  configurable: true,
  get: () => boot,
  set(value) {
    const attach = value.attach;
    const counted = (page) => new Proxy(page, {
      get(target, name) {
        window.pythonCalls.push(String(name));
        return target[name];
      },
    });
    boot = { ...value, attach: (page) => attach(counted(page)) };
  },
});
"""

# Each case's result (output data or error message) and the calls it made into Python.
PREDICT_COUNTED = """async (cases) => {
  const results = [];
  for (const inputs of cases) {
    const before = window.pythonCalls.length;
    const result = await window.shipyard.predict(inputs).then(
      (outputs) => Object.fromEntries(Object.entries(outputs).map(([k, o]) => [k, o.data])),
      (error) => error.message);
    results.push({result, calls: window.pythonCalls.slice(before)});
  }
  return results;
}"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, open_site: Callable[..., SitePage]) -> SitePage:
    inputs = {"x": {"type": "float32", "shape": [1, 3], "max": 10}, "t": {"type": "string", "shape": [1, 1]}}
    opened = open_site(keyed_identity_site(tmp_path_factory.mktemp("fast-path"), inputs), COUNT_PYTHON_CALLS)
    # The page warms up its Python path once it is ready: let that call go by first.
    opened.page.wait_for_function("window.pythonCalls.includes('warm_up')")
    return opened


def predict_counted(site: SitePage, cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return site.page.evaluate(PREDICT_COUNTED, cases)


def test_the_counter_sees_the_page_call_python(site: SitePage) -> None:
    calls = site.page.evaluate("window.pythonCalls")
    assert "warm_up" in calls
    assert "plan" not in calls  # a site without hooks has its plan in the page


def test_plain_inputs_predict_with_no_call_into_python(site: SitePage) -> None:
    got = predict_counted(site, [{"x": [1, 2.5, -3], "t": "a"}, {"x": [0, 0, 10], "t": ["b"]}])
    assert got == [
        {"result": {"x_out": [1, 2.5, -3], "t_out": ["a"]}, "calls": []},
        {"result": {"x_out": [0, 0, 10], "t_out": ["b"]}, "calls": []},
    ]


def test_inputs_only_python_can_read_or_reject_go_to_python(site: SitePage) -> None:
    got = predict_counted(site, [{"x": [[1, 2.5, -3]], "t": "a"}, {"x": [1, 2, 11], "t": "a"}])
    assert got == [
        {"result": {"x_out": [1, 2.5, -3], "t_out": ["a"]}, "calls": ["prepare_api"]},
        {"result": "Invalid input: x: value 3: must be at most 10", "calls": ["prepare_api"]},
    ]
