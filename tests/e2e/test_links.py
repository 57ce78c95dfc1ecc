"""Example buttons and shared links each reproduce their prediction."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from shipyard.metadata.read import load_metadata
from tests.support.reference import run_reference
from tests.support.site_page import SitePage
from tests.support.sites import EXAMPLES, build_example

HOUSING = EXAMPLES / "housing"


@pytest.fixture(scope="module")
def housing(sites: Path, open_site: Callable[[Path], SitePage]) -> SitePage:
    return open_site(build_example("housing", sites))


def expected(example: int) -> str:
    app = load_metadata(HOUSING / "metadata.yml")
    values = {key: list(row) for key, row in app.examples[example].items()}
    return f"{run_reference(HOUSING / 'model.onnx', app, values)['variable'][0]:.6g}"


@pytest.mark.parametrize("example", [0, 1])
def test_an_example_button_fills_the_form_and_shows_its_prediction(housing: SitePage, example: int) -> None:
    housing.page.evaluate("document.querySelectorAll('[data-output]').forEach(e => e.textContent = '')")
    housing.page.click(f"[data-example='{example}']")
    assert housing.read_outputs()["variable"].strip() == expected(example)
    assert housing.page.input_value("[name='MedInc']") == ["8.3", "1.9"][example]


def test_a_shared_link_reproduces_the_prediction(
    housing: SitePage, chromium: Browser, opened_pages: list[SitePage]
) -> None:
    housing.page.click("[data-example='1']")
    housing.read_outputs()
    link = housing.page.url
    assert "#MedInc=1.9&HouseAge=15&AveRooms=4.2&Latitude=34.05" in link
    visitor = SitePage.open(chromium, link)
    opened_pages.append(visitor)
    assert visitor.read_outputs()["variable"].strip() == expected(1)
    assert visitor.page.input_value("[name='Latitude']") == "34.05"
