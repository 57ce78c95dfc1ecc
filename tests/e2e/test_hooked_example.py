"""The diabetes example: its hooks run in the browser and on CPython and agree."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.reference import assert_same, value_and_entries
from tests.support.site_page import SitePage
from tests.support.sites import build_example

CASES = [
    {"age": 50, "sex": "female", "height": 170, "weight": 75, "pressure": 95, "glucose": 90},
    {"age": 35, "sex": "male", "height": 182, "weight": 78, "pressure": 85, "glucose": 80},
    {"age": 71, "sex": "male", "height": 175.5, "weight": 101.2, "pressure": 121, "glucose": 118},
]


@pytest.fixture(scope="module")
def built(sites: Path) -> Path:
    return build_example("diabetes", sites)


@pytest.fixture(scope="module")
def site(built: Path, open_site: Callable[[Path], SitePage]) -> SitePage:
    return open_site(built)


@pytest.mark.parametrize("case", range(len(CASES)))
def test_browser_hooks_agree_with_the_same_hooks_on_cpython(site: SitePage, built: Path, case: int) -> None:
    inputs = CASES[case]
    score, shown = value_and_entries(built, inputs)
    result = site.predict(inputs)
    assert_same(result["variable"]["data"], [score])
    assert result["postprocess"] == shown


def test_the_form_and_an_example_button_show_the_summary(site: SitePage, built: Path) -> None:
    site.page.evaluate("document.querySelectorAll('[data-output]').forEach(e => e.textContent = '')")
    site.page.click("[data-example='0']")
    site.page.wait_for_selector("[data-output=summary]:not(:empty)")
    _, shown = value_and_entries(
        built, {"age": 35, "sex": "male", "height": 182, "weight": 78, "pressure": 85, "glucose": 80}
    )
    assert site.read_outputs()["summary"] == shown["summary"]
    assert site.page.input_value("select[name=sex]") == "male"
