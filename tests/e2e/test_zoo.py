"""Models as other tools export them (tests/support/zoo.py), each built without metadata and
predicting in Chromium what onnxruntime predicts on CPython for the same inputs."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from onnx.reference import ReferenceEvaluator

from examples.samples import noise
from shipyard.build import build_site
from shipyard.site.page import read_site_app
from tests.support.reference import assert_same, reference
from tests.support.site_page import SitePage, tensor
from tests.support.zoo import MODELS

RNG = np.random.default_rng(11)


@dataclass(frozen=True)
class ZooSite:
    model: Path  # the file as written
    site: Path  # built from it without metadata
    page: SitePage

    def check(self, given: dict[str, Any]) -> dict[str, Any]:
        """`predict` in the page, checked output by output (dims, then values) against
        onnxruntime on CPython running the site's model on the same inputs; returns the
        page's result."""
        result = self.page.predict(given)
        want = reference(self.site, given).to_result()
        assert result.keys() == want.keys()
        for name, output in want.items():
            assert result[name]["dims"] == output["dims"], name
            assert_same(result[name]["data"], output["data"])
        return result


@pytest.fixture(scope="module")
def zoo(sites: Path, open_site: Callable[[Path], SitePage]) -> Callable[[str], ZooSite]:
    """A zoo model built without metadata and opened, once per module."""

    @functools.cache
    def open_(name: str) -> ZooSite:
        folder = sites / f"zoo-{name}"
        folder.mkdir()
        model = MODELS[name](folder / f"{name}.onnx")
        build_site(model, None, folder / "site")
        return ZooSite(model, folder / "site", open_site(folder / "site"))

    return open_


def picture(width: int, height: int, seed: int) -> dict[str, Any]:
    """A picture as `predict` takes one: `{width, height, data}` with RGBA bytes."""
    return {"width": width, "height": height, "data": list(noise(width, height, seed=seed).rgba)}


def random(*shape: int) -> np.ndarray:
    return RNG.standard_normal(shape).astype(np.float32)


def test_a_convolutional_network_takes_pictures_of_any_size(zoo: Callable[[str], ZooSite]) -> None:
    conv = zoo("conv")
    (pixel_values,) = read_site_app(conv.site).inputs
    assert pixel_values.widget == "image"
    for width, height in ((20, 12), (9, 16)):
        result = conv.check({"pixel_values": picture(width, height, seed=width)})
        assert result["mask"]["dims"] == [1, 1, height, width]  # the picture kept its own size
    result = conv.check({"pixel_values": tensor(random(2, 3, 10, 14))})
    assert result["logits"]["dims"] == [2, 2] and result["mask"]["dims"] == [2, 1, 10, 14]


def test_a_recurrent_model_starts_from_zeros_and_takes_its_state_back(zoo: Callable[[str], ZooSite]) -> None:
    gru = zoo("recurrent")
    h0 = next(spec for spec in read_site_app(gru.site).inputs if spec.key == "h0")
    assert set(h0.default or ()) == {0.0}
    first = gru.check({"x": tensor(random(5, 1, 3))})  # h0 left out: it starts as zeros
    assert first["y"]["dims"] == [5, 2, 1, 8] and first["hn"]["dims"] == [2, 1, 8]
    state = {"dims": first["hn"]["dims"], "data": first["hn"]["data"]}
    later = gru.check({"x": tensor(random(3, 1, 3)), "h0": state})  # the next 3 steps
    assert later["y"]["dims"] == [3, 2, 1, 8]


def test_a_transformer_encoder_over_token_ids(zoo: Callable[[str], ZooSite]) -> None:
    encoder = zoo("transformer")
    assert encoder.check({"input_ids": [[1, 5, 7, 2]]})["logits"]["dims"] == [1, 3]
    assert encoder.check({"input_ids": [[3, 4, 5, 6, 7, 8, 9, 30, 31]]})["pooled"]["dims"] == [1, 16]
    ids = RNG.integers(0, 32, (2, 6), dtype=np.int64)
    assert encoder.check({"input_ids": tensor(ids)})["logits"]["dims"] == [2, 3]  # a batch of two


def test_a_model_whose_dynamic_sizes_are_minus_one(zoo: Callable[[str], ZooSite]) -> None:
    detector = zoo("minus_one")
    app = read_site_app(detector.site)
    assert app.inputs[0].shape == (None, 3, None, None) and app.inputs[0].widget == "image"
    assert app.outputs[0].shape == (None, 1, None, None) and app.outputs[0].show.display == "image"
    result = detector.check({"x": picture(17, 11, seed=3)})
    assert result["prob_map"]["dims"] == [1, 1, 11, 17]


def test_scalar_inputs(zoo: Callable[[str], ZooSite]) -> None:
    scalars = zoo("scalar")
    result = scalars.check({"signal": list(range(8)), "gain": 2.5, "sample_rate": 16_000})
    assert result["duration"]["dims"] == [] and result["scaled"]["dims"] == [1, 8]
    shown = scalars.page.submit_form({"signal": ["1"] * 8, "gain": "2", "sample_rate": "8000"})
    assert shown["duration"].strip() == "0.001"


def _matches_the_original(zoo_site: ZooSite, feeds: dict[str, np.ndarray]) -> None:
    """The site's (repaired) model computes what the file computes, as onnx's reference
    implementation runs the file; `feeds` are one submission's (a batch of 1)."""
    result = zoo_site.check({name: array.ravel().tolist() for name, array in feeds.items()})
    original = ReferenceEvaluator(str(zoo_site.model)).run(None, feeds)
    for output, want in zip(read_site_app(zoo_site.site).outputs, original, strict=True):
        assert_same(result[output.key]["data"], want.ravel().tolist())


def test_a_model_of_the_current_ir_version(zoo: Callable[[str], ZooSite]) -> None:
    _matches_the_original(zoo("ir14"), {"x": random(1, 3)})


def test_a_model_of_opset_6(zoo: Callable[[str], ZooSite]) -> None:
    _matches_the_original(zoo("opset6"), {"x": random(1, 2, 4, 4)})
