"""The digits example: pictures of digits given as files go through the browser's decoder,
Python's resizing and the example's preprocess, and the page shows what CPython computes:
the bars, the digit, and the 8 × 8 picture the model saw."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import onnxruntime as ort
import pytest
from sklearn.datasets import load_digits

from conftest import EXAMPLES, build_example, example_module
from shipyard.site.page import read_site_app
from shipyard_runtime.hooks import hook_inputs
from shipyard_runtime.images import ImageSpec, Pixels
from shipyard_runtime.spec import AppSpec
from shipyard_runtime.values import image_row
from tests.browser import SitePage
from tests.pictures import png
from tests.reference import assert_same

SEEN = """() => {
  const canvas = document.querySelector("[data-output=seen] canvas");
  return [canvas.width, canvas.height, Array.from(canvas.getContext("2d").getImageData(0, 0, 8, 8).data)];
}"""


def picture(index: int, scale: int, pad: int, paper: tuple[int, int, int]) -> Pixels:
    """Dataset digit `index` drawn large in dark ink on coloured paper, with a margin."""
    ink = np.pad(np.kron(load_digits().images[index] / 16, np.ones((scale, scale))), pad)
    rgb = np.stack([(1 - ink) * level for level in paper], axis=-1).round().astype(np.uint8)
    rgba = np.concatenate([rgb, np.full((*ink.shape, 1), 255, np.uint8)], axis=-1)
    return Pixels(ink.shape[1], ink.shape[0], rgba.tobytes())


CASES = {  # (dataset index, scale, margin, paper colour)
    "small white": (-1, 5, 4, (255, 255, 255)),
    "large cream": (-2, 12, 30, (250, 240, 215)),
    "wide margin": (-3, 7, 60, (255, 255, 255)),
    "bluish": (-4, 9, 15, (225, 235, 255)),
}


def on_cpython(app: AppSpec, pixels: Pixels) -> tuple[list[float], dict[str, Any]]:
    """The same picture through the same Python and onnxruntime: probabilities and entries."""
    hooks = example_module("digits", "app.py")
    inputs = hook_inputs(app, {"digit": image_row(app.form[0], pixels)})
    image = np.array(hooks.preprocess(inputs)["image"], dtype=np.float32)
    session = ort.InferenceSession(
        str(EXAMPLES / "digits" / "model.onnx"), providers=["CPUExecutionProvider"]
    )
    (probabilities,) = session.run(None, {"image": image})
    return probabilities.ravel().tolist(), hooks.postprocess({"probabilities": probabilities}, inputs)


@pytest.fixture(scope="module")
def built(sites: Path) -> Path:
    return build_example("digits", sites)


@pytest.fixture(scope="module")
def site(built: Path, open_site: Callable[[Path], SitePage]) -> SitePage:
    return open_site(built)


@pytest.mark.parametrize("case", list(CASES))
def test_a_picture_file_is_read_as_cpython_reads_it(site: SitePage, built: Path, case: str) -> None:
    index, scale, pad, paper = CASES[case]
    pixels = picture(index, scale, pad, paper)
    site.page.evaluate("document.querySelectorAll('[data-output]').forEach(e => e.textContent = '')")
    site.page.set_input_files(
        "#in-digit", files=[{"name": f"{case}.png", "mimeType": "image/png", "buffer": png(pixels)}]
    )
    site.page.wait_for_selector("[data-output=seen] canvas")
    want, entries = on_cpython(read_site_app(built), pixels)
    shown = dict(site.bars("probabilities"))
    assert_same([shown[str(digit)] for digit in range(10)], want)
    assert site.page.inner_text("[data-output=digit]") == str(entries["digit"])
    assert entries["digit"] == load_digits().target[index]  # and the example reads it right
    width, height, data = site.page.evaluate(SEEN)
    seen = ImageSpec().to_pixels([v for row in entries["seen"] for v in row], (8, 8))
    assert Pixels(width, height, bytes(data)) == seen


def test_predict_returns_the_digit_and_what_the_model_saw(site: SitePage, built: Path) -> None:
    pixels = picture(-5, 6, 10, (255, 255, 255))
    result = site.predict(
        {"digit": {"width": pixels.width, "height": pixels.height, "data": list(pixels.rgba)}}
    )
    want, entries = on_cpython(read_site_app(built), pixels)
    assert_same(result["probabilities"]["data"], want)
    assert result["postprocess"]["digit"] == entries["digit"]
    assert_same(sum(result["postprocess"]["seen"], []), sum(entries["seen"], []))


def test_the_apps_module_is_preloaded_with_the_rest(site: SitePage) -> None:
    hinted = site.page.evaluate("[...document.querySelectorAll('link[rel=preload]')].map((l) => l.href)")
    assert f"{site.origin}/app.py" in hinted and f"{site.origin}/app.py" in site.requests
