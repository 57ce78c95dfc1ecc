"""Where Python runs: in a worker by default, so that the page's thread never runs it, and
on the page with --python-on-page, where a hook may use the page itself (`js.document`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from shipyard.build import build_site
from tests.support.site_page import SitePage
from tests.support.sites import EXAMPLES

HOUSING = EXAMPLES / "housing"

# A hook that says where it runs, and reads the page's title where there is a page.
APP = """\
import js


def postprocess(outputs, inputs):
    scope = js.globalThis.constructor.name
    return {"scope": scope, "title": js.document.title if scope == "Window" else "no page"}
"""


def hooked_site(folder: Path, on_page: bool) -> Path:
    (folder / "app.py").write_text(APP)
    metadata = (HOUSING / "metadata.yml").read_text() + "python: app.py\n"
    (folder / "metadata.yml").write_text(metadata)
    build_site(HOUSING / "model.onnx", folder / "metadata.yml", folder / "site", python_on_page=on_page)
    return folder / "site"


@pytest.fixture(scope="module", params=[False, True], ids=["worker", "on-page"])
def site(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    open_site: Callable[[Path], SitePage],
) -> SitePage:
    return open_site(hooked_site(tmp_path_factory.mktemp("where"), request.param))


def test_hooks_run_in_a_worker_unless_the_site_puts_python_on_the_page(site: SitePage) -> None:
    on_page = not site.page_data()["pythonWorker"]
    result = site.predict({"MedInc": 3.5, "HouseAge": 20, "AveRooms": 5, "Latitude": 37})
    if on_page:
        assert result["postprocess"] == {"scope": "Window", "title": "California housing"}
    else:
        assert result["postprocess"] == {"scope": "DedicatedWorkerGlobalScope", "title": "no page"}
    worker = site.page.evaluate("document.querySelector('script[type=py]').hasAttribute('worker')")
    assert worker is not on_page


def test_the_form_shows_what_either_returns(site: SitePage) -> None:
    shown = site.submit_form({"MedInc": "4.1"})
    on_page = not site.page_data()["pythonWorker"]
    assert shown["scope"] == ("Window" if on_page else "DedicatedWorkerGlobalScope")
    assert shown["title"] == ("California housing" if on_page else "no page")
