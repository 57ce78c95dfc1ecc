"""scikit-learn classifiers with default ZipMap outputs, built without metadata, in Chromium.

The browser's label and probabilities must equal the ORIGINAL model's on native
onnxruntime, ZipMap and all.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import onnxruntime as ort
import pytest

from shipyard.build import build_site
from tests.support import classifiers
from tests.support.reference import assert_same
from tests.support.site_page import SitePage

MODELS = {
    "logistic_binary": (classifiers.logistic_binary, [{"X": [5.0, 3.4]}, {"X": [6.5, 2.8]}]),
    "forest_strings": (
        classifiers.forest_strings,
        [
            {"X": [13.2, 1.8, 2.1, 15, 100, 2.8, 3.0, 0.3, 2.0, 5.6, 1.0, 3.2, 1000]},
            {"X": [12.4, 1.1, 2.2, 19, 90, 2.5, 2.5, 0.3, 1.8, 3.2, 1.0, 2.8, 500]},
        ],
    ),
    "svc_many_classes": (classifiers.svc_many_classes, [{"X": [0.5, -2.0, 3.0]}, {"X": [4.0, 4.0, -1.0]}]),
    "pipeline_mixed": (
        classifiers.pipeline_mixed,
        [{"colour": "red", "size": 8.0, "weight": 5.0}, {"colour": "blue", "size": 9.5, "weight": 2.0}],
    ),
}


@pytest.fixture(scope="module", params=sorted(MODELS))
def classifier(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    open_site: Callable[[Path], SitePage],
) -> tuple[str, Path, SitePage]:
    folder = tmp_path_factory.mktemp(request.param)
    model = MODELS[request.param][0](folder / "model.onnx")
    build_site(model, None, folder / "site")
    return request.param, model, open_site(folder / "site")


def native(model: Path, inputs: dict[str, object]) -> tuple[object, dict[object, float]]:
    """The original model's label and {class: probability} map (its ZipMap output)."""
    session = ort.InferenceSession(str(model), providers=["CPUExecutionProvider"])
    feeds = {}
    for spec in session.get_inputs():
        value = inputs[spec.name]
        dtype = object if spec.type == "tensor(string)" else np.float32
        feeds[spec.name] = np.array(value if isinstance(value, list) else [value], dtype=dtype).reshape(1, -1)
    label, probabilities = session.run(None, feeds)
    return label.ravel().tolist()[0], probabilities[0]


def test_label_and_probabilities_equal_the_original_model(classifier: tuple[str, Path, SitePage]) -> None:
    name, model, site = classifier
    for inputs in MODELS[name][1]:
        want_label, want_probabilities = native(model, inputs)
        result = site.predict(inputs)
        assert result["output_label"]["data"] == [want_label]
        assert_same(result["output_probability"]["data"], list(want_probabilities.values()))


def test_page_shows_the_label_and_one_sorted_bar_per_class(classifier: tuple[str, Path, SitePage]) -> None:
    name, model, site = classifier
    inputs = MODELS[name][1][0]
    want_label, want_probabilities = native(model, inputs)
    shown = site.submit_form(
        {k: [str(x) for x in v] if isinstance(v, list) else str(v) for k, v in inputs.items()}
    )
    assert shown["output_label"].strip() == str(want_label)
    bars = site.bars("output_probability")
    ranked = sorted(want_probabilities.items(), key=lambda item: -item[1])
    assert [c for c, _ in bars] == [str(c) for c, _ in ranked]
    assert_same([p for _, p in bars], [p for _, p in ranked])
    visible = site.page.locator("[data-output='output_probability'] .bar:visible").count()
    assert visible == min(10, len(ranked))
    if len(ranked) > 10:
        site.page.click("[data-output='output_probability'] summary")
        assert site.page.locator("[data-output='output_probability'] .bar:visible").count() == len(ranked)
