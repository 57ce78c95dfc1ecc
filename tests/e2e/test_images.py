"""Pictures in and out: a PNG chosen, dropped or pasted is decoded by the browser and made a
tensor by the page's picture graph (tests/e2e/test_picture_prep.py checks it against Python's
on every option), and an image output is drawn on a canvas, each equal to CPython's."""

from __future__ import annotations

import base64
from collections.abc import Callable
from pathlib import Path

import pytest

from examples.samples import noise, png
from shipyard.build import build_site
from shipyard.model.prepared import prepare_model
from shipyard_runtime.images import ImageSpec, Pixels
from shipyard_runtime.spec import AppSpec
from shipyard_runtime.values import image_row
from tests.support.models import image_model
from tests.support.reference import assert_same, run_reference
from tests.support.site_page import SitePage

# Builds a File from base64 PNG bytes and hands it to an image zone as a drop or a paste.
DELIVER = """([how, data]) => {
  const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
  const transfer = new DataTransfer();
  transfer.items.add(new File([bytes], "picture.png", {type: "image/png"}));
  const zone = document.querySelector("[data-image-for=photo]");
  const event = how === "drop"
    ? new DragEvent("drop", {dataTransfer: transfer, bubbles: true, cancelable: true})
    : new ClipboardEvent("paste", {clipboardData: transfer, bubbles: true, cancelable: true});
  zone.dispatchEvent(event);
}"""
CANVAS = """() => {
  const canvas = document.querySelector("[data-output=negative] canvas");
  const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  return [canvas.width, canvas.height, Array.from(data)];
}"""


@pytest.fixture(scope="module")
def model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return image_model(tmp_path_factory.mktemp("image") / "photo.onnx")


@pytest.fixture(scope="module")
def site(model: Path, open_site: Callable[[Path], SitePage]) -> SitePage:
    build_site(model, None, model.parent / "site")  # no metadata: the picture input and output are inferred
    return open_site(model.parent / "site")


def expected(model: Path, pixels: Pixels) -> tuple[list[float], Pixels]:
    """onnxruntime on CPython for the same picture, made a tensor by the same Python: the
    brightness, and the negative as the page should draw it."""
    app = AppSpec.from_dict(prepare_model(model).inferred())
    outputs = run_reference(model, app, {"photo": image_row(app.inputs[0], pixels)})
    return outputs["brightness"], ImageSpec().to_pixels(outputs["negative"], (1, 3, 16, 24))


def shown(site: SitePage) -> tuple[float, Pixels]:
    """The brightness the page shows, and the picture on its output canvas."""
    site.page.wait_for_selector("[data-output=negative] canvas")
    brightness = float(site.page.inner_text("[data-output=brightness]"))
    width, height, data = site.page.evaluate(CANVAS)
    return brightness, Pixels(width, height, bytes(data))


def clear(site: SitePage) -> None:
    site.page.evaluate("document.querySelectorAll('[data-output]').forEach(e => e.textContent = '')")


def check_page(site: SitePage, model: Path, pixels: Pixels) -> None:
    brightness, canvas = shown(site)
    want_brightness, want_canvas = expected(model, pixels)
    assert_same([round(brightness, 4)], [round(want_brightness[0], 4)])  # the page shows 6 digits
    assert canvas == want_canvas


def test_a_chosen_file_runs_and_its_output_is_drawn(site: SitePage, model: Path) -> None:
    pixels = noise(48, 40, seed=1)  # another size and aspect than the model's 24 × 16
    clear(site)
    site.page.set_input_files(
        "#in-photo", files=[{"name": "a.png", "mimeType": "image/png", "buffer": png(pixels)}]
    )
    check_page(site, model, pixels)
    site.page.wait_for_selector(".image-preview:not([hidden])")
    # onnxruntime-web made the tensor Python checked (templates/picture_prep.mjs)
    assert site.page.evaluate("window.shipyardBoot.formTensor('photo').length") == 3 * 16 * 24


@pytest.mark.parametrize("how", ["drop", "paste"])
def test_a_dropped_or_pasted_picture_runs(site: SitePage, model: Path, how: str) -> None:
    pixels = noise(20, 30, seed=2, opaque=False)  # transparency is laid over white
    clear(site)
    site.page.evaluate(DELIVER, [how, base64.b64encode(png(pixels)).decode()])
    check_page(site, model, pixels)


def test_predict_takes_a_picture_as_image_data_or_a_blob(site: SitePage, model: Path) -> None:
    pixels = noise(5, 7, seed=3)
    want, _ = expected(model, pixels)
    as_data = {"width": 5, "height": 7, "data": list(pixels.rgba)}
    result = site.predict({"photo": as_data})
    assert_same(result["brightness"]["data"], want)
    blob = site.page.evaluate(
        """(data) => window.shipyard.predict({
             photo: new Blob([Uint8Array.from(atob(data), (c) => c.charCodeAt(0))], {type: "image/png"}),
           }).then((r) => r.brightness.data)""",
        base64.b64encode(png(pixels)).decode(),
    )
    assert_same(blob, want)


def test_predict_takes_the_tensor_itself_as_an_array_or_a_typed_array(site: SitePage, model: Path) -> None:
    values = [((i * 37) % 256) / 255 for i in range(3 * 16 * 24)]
    app = AppSpec.from_dict(prepare_model(model).inferred())
    want = run_reference(model, app, {"photo": values})
    assert_same(site.predict({"photo": values})["brightness"]["data"], want["brightness"])
    typed = site.page.evaluate(
        "(v) => window.shipyard.predict({photo: Float32Array.from(v)}).then((r) => r.brightness.data)", values
    )
    assert_same(typed, want["brightness"])
    message = site.predict_error({"photo": [*values[:-1], float("inf")]})
    assert message.endswith("photo: value [2, 15, 23]: enter a finite number")
    # A typed array is checked where it lives; one that fails is worded like any other row.
    with_nan = site.page.evaluate(
        """(v) => window.shipyard.predict({photo: Float32Array.from(v, (x, i) => (i === 5 ? NaN : x))})
                  .catch((error) => error.message)""",
        values,
    )
    assert with_nan.endswith("photo: value [0, 0, 5]: enter a finite number")
    as_float64 = site.page.evaluate(
        "(v) => window.shipyard.predict({photo: Float64Array.from(v)}).then((r) => r.brightness.data)", values
    )
    assert_same(as_float64, want["brightness"])


def test_running_without_a_picture_asks_for_one(model: Path, open_site: Callable[[Path], SitePage]) -> None:
    site = open_site(model.parent / "site")
    site.page.click("#shipyard-run")
    site.page.wait_for_selector("[data-error-for=photo]:not([hidden])")
    assert "choose an image" in site.field_error("photo")
    site.page.set_input_files(
        "#in-photo", files=[{"name": "x.png", "mimeType": "image/png", "buffer": b"no"}]
    )
    site.page.wait_for_function(
        "document.querySelector('[data-error-for=photo]').textContent.includes('x.png')"
    )
    assert "is not an image" in site.field_error("photo")
