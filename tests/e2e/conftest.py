"""Every end-to-end test ends by checking that no page made a request outside its own origin."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.site_page import SitePage


@pytest.fixture(autouse=True)
def no_request_leaves_the_origin(opened_pages: list[SitePage]) -> Iterator[None]:
    yield
    foreign = {page.origin: page.foreign_requests() for page in opened_pages}
    assert {origin: urls for origin, urls in foreign.items() if urls} == {}
