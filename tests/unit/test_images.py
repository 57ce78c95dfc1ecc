"""Pictures made tensors and tensors made pictures, on CPython: layouts, colours, fitting,
numpy and pure Python agreeing, and the metadata's `image` options checked."""

from __future__ import annotations

import builtins
from typing import Any

import pytest

from examples.samples import noise
from shipyard_runtime.images import ImageSpec, Pixels
from shipyard_runtime.problems import SpecError
from shipyard_runtime.spec import AppSpec
from shipyard_runtime.values import NO_IMAGE, InputError, from_api, from_form

# A 2 × 1 picture: a red pixel, then a half-transparent blue one.
RED_BLUE = Pixels(2, 1, bytes([255, 0, 0, 255, 0, 0, 255, 128]))


def hide_numpy(monkeypatch: pytest.MonkeyPatch) -> None:
    """From now on in this test, `import numpy` fails, as in a site without numpy."""
    real = builtins.__import__

    def refuse(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "numpy":
            raise ImportError(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", refuse)


def test_channels_follow_the_layout_and_colour_order() -> None:
    blue_over_white = 127 / 255  # 128/255 of blue laid over white: red and green at 127 of 255
    nchw = ImageSpec(scale=1 / 255).to_tensor(RED_BLUE, (1, 3, 1, 2))
    assert nchw == pytest.approx([1, blue_over_white, 0, blue_over_white, 0, 1])
    nhwc = ImageSpec(layout="NHWC", color="BGR").to_tensor(RED_BLUE, (1, 1, 2, 3))
    assert nhwc == pytest.approx([0, 0, 1, 1, blue_over_white, blue_over_white])


def test_gray_is_luma_and_normalisation_is_per_channel() -> None:
    gray = ImageSpec(scale=1.0).to_tensor(RED_BLUE, (1, 1, 1, 2))
    assert gray[0] == pytest.approx(0.299 * 255)
    spec = ImageSpec(mean=(0.5, 0.0, 0.0), std=(0.5, 1.0, 2.0))
    assert spec.to_tensor(Pixels(1, 1, bytes([255, 255, 255, 255])), (1, 3, 1, 1)) == pytest.approx(
        [1, 1, 0.5]
    )


def test_resizing_averages_what_each_target_pixel_covers() -> None:
    stripes = Pixels(4, 1, bytes([0, 0, 0, 255, 255, 255, 255, 255] * 2))
    assert ImageSpec(scale=1.0).to_tensor(stripes, (1, 1, 1, 2)) == pytest.approx([127.5, 127.5])
    assert ImageSpec(scale=1.0).to_tensor(stripes, (1, 1, 1, 8)) == pytest.approx([0, 0, 255, 255] * 2)


def test_crop_keeps_the_centre_at_the_target_aspect() -> None:
    # 3 × 1: black, white, black. Cropped to a square, only the white middle is left.
    picture = Pixels(3, 1, bytes([0, 0, 0, 255, 255, 255, 255, 255, 0, 0, 0, 255]))
    assert ImageSpec(fit="crop", scale=1.0).to_tensor(picture, (1, 1, 1, 1)) == pytest.approx([255])
    assert ImageSpec(scale=1.0).to_tensor(picture, (1, 1, 1, 1)) == pytest.approx([85])


@pytest.mark.parametrize(
    ("size", "opaque", "color", "dims"),
    [
        ((37, 23), False, "RGB", (1, 3, 10, 12)),
        ((37, 23), True, "BGR", (1, 10, 12, 3)),
        ((37, 23), True, "gray", (1, 1, 40, 9)),
        ((37, 23), False, "gray", (9, 40)),
        ((300, 200), True, "RGB", (1, 3, 7, 11)),  # many source columns per target column
        ((48, 20), True, "RGB", (1, 3, 10, 24)),  # exactly half: every source column whole
    ],
)
def test_numpy_and_pure_python_agree(
    monkeypatch: pytest.MonkeyPatch, size: tuple[int, int], opaque: bool, color: str, dims: tuple[int, ...]
) -> None:
    picture = noise(*size, seed=4, opaque=opaque)
    spec = ImageSpec(color=color, fit="crop", mean=(0.485, 0.456, 0.406), std=(0.229, 0.224, 0.225))
    if color == "gray":
        spec = ImageSpec(color=color, mean=(0.5,), std=(0.25,))
    with_numpy = spec.to_tensor(picture, dims)
    hide_numpy(monkeypatch)
    assert spec.to_tensor(picture, dims) == pytest.approx(with_numpy, rel=1e-12)


def test_an_output_becomes_pixels_clipped_to_the_byte_range() -> None:
    pixels = ImageSpec().to_pixels([0.0, 0.5, 2.0, -1.0], (1, 1, 2, 2))
    assert (pixels.width, pixels.height) == (2, 2)
    assert pixels.rgba == bytes([0, 0, 0, 255, 128, 128, 128, 255, 255, 255, 255, 255, 0, 0, 0, 255])
    rgb = ImageSpec(layout="NHWC").to_pixels([1.0, 0.0, 0.0], (1, 1, 1, 3))
    assert rgb.rgba == bytes([255, 0, 0, 255])


def image_app(image: dict[str, Any] | None = None, type_: str = "float32") -> AppSpec:
    entry: dict[str, Any] = {"type": type_, "shape": [None, 3, 4, 4], "widget": "image"}
    if image is not None:
        entry["image"] = image
    return AppSpec.from_dict(
        {"name": "x", "inputs": {"photo": entry}, "outputs": {"y": {"type": "float32", "shape": [1]}}}
    )


def test_a_picture_fills_an_image_input_from_the_form_and_the_api() -> None:
    app = image_app({"scale": 1.0}, type_="uint8")
    picture = noise(9, 5, seed=5)
    row = from_form(app, {}, {"photo": picture})["photo"]
    assert len(row) == 48 and all(isinstance(v, int) and 0 <= v <= 255 for v in row)
    given = {"photo": {"width": 9, "height": 5, "data": memoryview(picture.rgba)}}
    assert from_api(app, given)["photo"] == row
    with pytest.raises(InputError) as missing:
        from_form(app, {}, {})
    assert dict(missing.value.problems) == {"photo": NO_IMAGE}
    with pytest.raises(InputError, match="expected a picture"):
        from_api(app, {"photo": {"width": 9, "height": 5, "data": b"short"}})


@pytest.mark.parametrize(
    ("image", "message"),
    [
        ({"layout": "CHW"}, "inputs.photo.image.layout: unknown value 'CHW'"),
        ({"colour": "RGB"}, "inputs.photo.image.colour: unknown field (did you mean 'color'?)"),
        ({"mean": [0.5, 0.5]}, "inputs.photo.image.mean: expected 1 or 3 numbers, one per channel"),
        ({"std": 0}, "inputs.photo.image.std: must be greater than 0"),
        ({"scale": -1}, "inputs.photo.image.scale: must be greater than 0"),
    ],
)
def test_image_options_are_checked(image: dict[str, Any], message: str) -> None:
    with pytest.raises(SpecError) as error:
        image_app(image)
    assert message in str(error.value)


def test_a_tensor_that_is_no_picture_is_refused() -> None:
    doc = {
        "name": "x",
        "inputs": {"v": {"type": "float32", "shape": [1, 5, 4, 4], "widget": "image"}},
        "outputs": {},
    }
    with pytest.raises(SpecError, match=r"inputs.v.image: shape \[1, 5, 4, 4\] is not an image"):
        AppSpec.from_dict(doc)


def test_image_options_survive_a_round_trip() -> None:
    app = image_app({"layout": "NCHW", "color": "BGR", "mean": [1, 2, 3], "fit": "crop"})
    assert AppSpec.from_dict(app.to_dict()) == app
