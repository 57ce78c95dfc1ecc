"""The digits example: pictures of digits given as files go through the browser's decoder,
Python's resizing and the example's preprocess, and the page shows what CPython computes:
the bars, the digit, and the 8 × 8 picture the model saw."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sklearn.datasets import load_digits

from examples.samples import digit_picture, png
from shipyard_runtime.images import ImageSpec, Pixels
from tests.support.reference import assert_same, reference
from tests.support.site_page import SitePage
from tests.support.sites import build_example

SEEN = """() => {
  const canvas = document.querySelector("[data-output=seen] canvas");
  return [canvas.width, canvas.height, Array.from(canvas.getContext("2d").getImageData(0, 0, 8, 8).data)];
}"""


CASES = {  # (dataset index, scale, margin, paper colour)
    "small white": (-1, 5, 4, (255, 255, 255)),
    "large cream": (-2, 12, 30, (250, 240, 215)),
    "wide margin": (-3, 7, 60, (255, 255, 255)),
    "bluish": (-4, 9, 15, (225, 235, 255)),
}


def probabilities_and_entries(built: Path, pixels: Pixels) -> tuple[list[Any], dict[str, Any]]:
    """The same picture through the same Python and onnxruntime."""
    picture = {"width": pixels.width, "height": pixels.height, "data": pixels.rgba}
    prediction = reference(built, {"digit": picture})
    return prediction.outputs[0].values, prediction.entries or {}


@pytest.fixture(scope="module")
def built(sites: Path) -> Path:
    return build_example("digits", sites)


@pytest.fixture(scope="module")
def site(built: Path, open_site: Callable[[Path], SitePage]) -> SitePage:
    return open_site(built)


@pytest.mark.parametrize("case", list(CASES))
def test_a_picture_file_is_read_as_cpython_reads_it(site: SitePage, built: Path, case: str) -> None:
    index, scale, pad, paper = CASES[case]
    pixels = digit_picture(index, scale, pad, paper)
    site.page.evaluate("document.querySelectorAll('[data-output]').forEach(e => e.textContent = '')")
    site.page.set_input_files(
        "#in-digit", files=[{"name": f"{case}.png", "mimeType": "image/png", "buffer": png(pixels)}]
    )
    site.page.wait_for_selector("[data-output=seen] canvas")
    want, entries = probabilities_and_entries(built, pixels)
    shown = dict(site.bars("probabilities"))
    assert_same([shown[str(digit)] for digit in range(10)], want)
    assert site.page.inner_text("[data-output=digit]") == str(entries["digit"])
    assert entries["digit"] == load_digits().target[index]  # and the example reads it right
    width, height, data = site.page.evaluate(SEEN)
    seen = ImageSpec().to_pixels([v for row in entries["seen"] for v in row], (8, 8))
    assert Pixels(width, height, bytes(data)) == seen


def test_predict_returns_the_digit_and_what_the_model_saw(site: SitePage, built: Path) -> None:
    pixels = digit_picture(-5, 6, 10, (255, 255, 255))
    result = site.predict(
        {"digit": {"width": pixels.width, "height": pixels.height, "data": list(pixels.rgba)}}
    )
    want, entries = probabilities_and_entries(built, pixels)
    assert_same(result["probabilities"]["data"], want)
    assert result["postprocess"]["digit"] == entries["digit"]
    assert_same(sum(result["postprocess"]["seen"], []), sum(entries["seen"], []))


def test_the_apps_module_is_fetched_with_the_rest(site: SitePage) -> None:
    assert site.page_data()["manifest"]["app.py"]["fetch"] is True
    assert f"{site.origin}/app.py" in site.requests
