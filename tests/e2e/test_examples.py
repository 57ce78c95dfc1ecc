"""Each bundled example, built, served and opened in Chromium, predicts what native onnxruntime does."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from shipyard.metadata.read import load_metadata
from shipyard.site.webapp import ICON_SIZES, icon_path
from shipyard_runtime.names import FILES
from tests.support.reference import assert_same, run_reference
from tests.support.site_page import SitePage
from tests.support.sites import EXAMPLES, build_example

HOUSING_INPUTS = [
    {"MedInc": 3.5, "HouseAge": 25, "AveRooms": 5.5, "Latitude": 37.77},
    {"MedInc": 0.5, "HouseAge": 1, "AveRooms": 1, "Latitude": 32.5},
    {"MedInc": 14.9, "HouseAge": 52, "AveRooms": 9.7, "Latitude": 41.19},
    {"MedInc": 7.25, "HouseAge": 12, "AveRooms": 3.33, "Latitude": 40.01},
]
SENTIMENT_INPUTS = [
    {"text": "A wonderful film with a moving story and great acting."},
    {"text": "A boring mess, I hated it."},
    {"text": "The plot was dull but the cast was fantastic."},
    {"text": "Ünïcödé and émojis 🎬 are fine too"},
]
CASES = {"housing": HOUSING_INPUTS, "sentiment": SENTIMENT_INPUTS}
# What the browser fetches of its own accord, when it likes: the app manifest and icons,
# to offer installing the site.
INSTALLING = {FILES.web_manifest, *(icon_path(size) for size in ICON_SIZES)}


@pytest.fixture(scope="module", params=sorted(CASES))
def example(
    request: pytest.FixtureRequest, sites: Path, open_site: Callable[[Path], SitePage]
) -> tuple[str, SitePage]:
    name = request.param
    return name, open_site(build_example(name, sites))


def _reference(name: str, inputs: dict[str, object]) -> dict[str, list[object]]:
    folder = EXAMPLES / name
    app = load_metadata(folder / "metadata.yml")
    values = {key: [value] for key, value in inputs.items()}
    return run_reference(folder / "model.onnx", app, values)


def test_api_predictions_equal_native_onnxruntime(example: tuple[str, SitePage]) -> None:
    name, site = example
    for inputs in CASES[name]:
        result = site.predict(inputs)
        native = _reference(name, inputs)
        assert set(result) == set(native)
        for output, values in native.items():
            assert_same(result[output]["data"], values)


def test_form_predictions_equal_native_onnxruntime(example: tuple[str, SitePage]) -> None:
    name, site = example
    for inputs in CASES[name]:
        shown = site.submit_form({k: str(v) for k, v in inputs.items()})
        api = site.predict(inputs)
        native = _reference(name, inputs)
        for output, text in shown.items():
            assert text, f"{output} shows nothing"
            assert_same(api[output]["data"], native[output])
            bars = site.bars(output)
            if bars:  # a classifier's probabilities: one bar per class, highest first
                assert_same([p for _, p in bars], sorted(native[output], reverse=True))
                assert text.splitlines()[0] == bars[0][0]
                continue
            first = native[output][0]
            expected = f"{first:.6g}" if isinstance(first, float) else str(first)
            assert expected in text
    assert site.errors == []


def test_site_ships_no_file_the_page_does_not_fetch(example: tuple[str, SitePage], sites: Path) -> None:
    name, site = example
    shipped = {str(p.relative_to(sites / name)) for p in (sites / name).rglob("*") if p.is_file()}
    fetched = {url.removeprefix(site.origin + "/") for url in site.requests + site.worker_requests}
    # For others than the page: the browser (its service worker; the app manifest and icons
    # when installing it) and anyone checking a deployed copy (files.json); and for an import
    # the trace of the site's imports did not see, the rest of the stdlib.
    others = {FILES.worker, FILES.manifest, FILES.stdlib_rest, *INSTALLING}
    assert shipped - fetched - {"index.html"} <= others


def test_loading_indicator_names_each_stage_then_run_enables(example: tuple[str, SitePage]) -> None:
    _, site = example
    history = site.status_history()
    assert history[-1] == "Ready"
    assert any("Loading the model" in text for text in history)
    assert any("Python: Loading" in text for text in history)
    assert site.page.is_enabled("#shipyard-run")


def test_every_file_on_the_way_to_ready_starts_at_once(example: tuple[str, SitePage]) -> None:
    """Each module is announced in the page's head, and each file the page fetches starts
    as the page's JS does (the entry scripts and the stylesheet are in the head already), so
    all downloads start at once."""
    _, site = example
    hinted = site.page.evaluate(
        "[...document.querySelectorAll('link[rel=modulepreload]')].map((l) => l.href)"
    )
    manifest = site.page_data()["manifest"]
    started = {f"{site.origin}/{path}" for path, entry in manifest.items() if entry.get("fetch")}
    entries = {f"{site.origin}/{name}" for name in ("", "shipyard.js", "pyscript/core.js", "style.css")}
    browser = {f"{site.origin}/{path}" for path in {FILES.worker, *INSTALLING}}
    made = {url for url in site.requests if url.startswith(f"blob:{site.origin}/")}  # PyScript's worker
    assert set(site.requests) - entries - set(hinted) - started - browser - made == set()
