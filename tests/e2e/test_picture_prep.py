"""Pictures prepared in onnxruntime-web in the page (templates/picture_prep.mjs running the
graphs of shipyard/model/picture_graph.py): every `image:` option, on pictures of many sizes,
gives the tensor the Python path gives (runtime/images.py), here seen through a model that
returns its inputs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy
import pytest

from shipyard_runtime.images import Pixels
from shipyard_runtime.picture_prep import picture_files
from shipyard_runtime.spec import AppSpec
from shipyard_runtime.values import image_row
from tests.support.models import keyed_identity_site
from tests.support.pictures import OPTIONS, PICTURES, picture_inputs
from tests.support.site_page import SitePage

# predict with each input's picture as an ImageData, as a canvas gives it.
PREDICT = """(pictures) => window.shipyard.predict(Object.fromEntries(pictures.map(
  ([key, width, height, rgba]) => [key, new ImageData(Uint8ClampedArray.from(rgba), width, height)])))"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, open_site: Callable[[Path], SitePage]) -> SitePage:
    return open_site(keyed_identity_site(tmp_path_factory.mktemp("pictures"), picture_inputs()))


@pytest.fixture(scope="module")
def app() -> AppSpec:
    outputs = {"y": {"type": "float32", "shape": [1]}}
    return AppSpec.from_dict({"name": "x", "inputs": picture_inputs(), "outputs": outputs})


def test_the_site_ships_a_graph_for_each_picture_input(site: SitePage, app: AppSpec) -> None:
    files = picture_files(app)
    assert len(files) == len(OPTIONS)
    for path in files.values():
        assert site.page.evaluate("(path) => fetch(path).then((r) => r.ok)", path)


@pytest.mark.parametrize("pixels", PICTURES, ids=lambda p: f"{p.width}x{p.height}")
def test_the_page_prepares_the_python_paths_tensor(site: SitePage, app: AppSpec, pixels: Pixels) -> None:
    pictures = [[spec.key, pixels.width, pixels.height, list(pixels.rgba)] for spec in app.inputs]
    result = site.page.evaluate(PREDICT, pictures)
    for spec in app.inputs:
        got = result[f"{spec.key}_out"]
        assert got["dims"] == list(spec.dims)
        want = numpy.asarray(list(image_row(spec, pixels)), dtype=spec.dtype.name)
        tolerance = 1e-6 if spec.dtype.kind == "float" else 1  # see tests/unit/test_picture_graph.py
        got_values = numpy.asarray(got["data"], dtype=float)
        numpy.testing.assert_allclose(got_values, want, rtol=1e-6, atol=tolerance)
