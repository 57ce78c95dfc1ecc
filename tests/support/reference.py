"""What a site should compute, made on CPython as `shipyard verify` makes it: the page's own
`Pipeline` and the site's own hooks, with onnxruntime running the model. Browser results
are compared with it by verify's one comparison (`Tolerance`, with its documented defaults).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from shipyard.site.page import read_site_app
from shipyard.verify.compare import Tolerance
from shipyard.verify.native import NativeModel, load_hooks, predict_native
from shipyard_runtime.hooks import Hooks
from shipyard_runtime.names import FILES
from shipyard_runtime.pipeline import Pipeline, Prediction
from shipyard_runtime.spec import AppSpec
from shipyard_runtime.values import Values, from_api

TOLERANCE = Tolerance()


def run_reference(model: Path, app: AppSpec, values: Values) -> dict[str, list[Any]]:
    """Each output's values, for one submission of checked values to a model without hooks."""
    prediction = predict_native(Pipeline(app, Hooks()), NativeModel(model, app), values)
    return {output.name: output.values for output in prediction.outputs}


def reference(site: Path, given: Mapping[str, object]) -> Prediction:
    """The site's prediction for `given`, read as `window.shipyard.predict` reads its inputs."""
    app, pipeline, model = _site(site)
    return predict_native(pipeline, model, from_api(app, given))


def value_and_entries(site: Path, given: Mapping[str, object]) -> tuple[float, dict[str, Any]]:
    """A one-output site's value and postprocess's entries, for `given`."""
    prediction = reference(site, given)
    (output,) = prediction.outputs
    return output.values[0], prediction.entries or {}


@functools.cache
def _site(site: Path) -> tuple[AppSpec, Pipeline, NativeModel]:
    app = read_site_app(site)
    return app, Pipeline(app, load_hooks(site, app)), NativeModel(site / FILES.model, app)


def assert_same(browser: list[Any], native: list[Any]) -> None:
    """Each value as `shipyard verify` compares it: floats within its default tolerance,
    everything else exactly equal."""
    assert len(browser) == len(native)
    for got, want in zip(browser, native, strict=True):
        assert TOLERANCE.matches(got, want, isinstance(want, float)), (got, want)
