"""The diabetes example: its hooks run in the browser and on CPython and agree."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import onnxruntime as ort
import pytest

from conftest import EXAMPLES, build_example, example_module
from tests.browser import SitePage
from tests.reference import assert_same

DIABETES = EXAMPLES / "diabetes"
CASES = [
    {"age": 50, "sex": "female", "height": 170, "weight": 75, "pressure": 95, "glucose": 90},
    {"age": 35, "sex": "male", "height": 182, "weight": 78, "pressure": 85, "glucose": 80},
    {"age": 71, "sex": "male", "height": 175.5, "weight": 101.2, "pressure": 121, "glucose": 118},
]


def on_cpython(inputs: dict[str, object]) -> tuple[float, dict[str, object]]:
    """The same hooks around native onnxruntime: preprocess, run, postprocess."""
    app = example_module("diabetes", "app.py")
    x = np.array(app.preprocess(inputs)["X"], dtype=np.float32)
    session = ort.InferenceSession(str(DIABETES / "model.onnx"), providers=["CPUExecutionProvider"])
    (score,) = session.run(None, {"X": x})
    return float(score.ravel()[0]), app.postprocess({"variable": score}, inputs)


@pytest.fixture(scope="module")
def site(sites: Path, open_site: Callable[[Path], SitePage]) -> SitePage:
    return open_site(build_example("diabetes", sites))


@pytest.mark.parametrize("case", range(len(CASES)))
def test_browser_hooks_agree_with_the_same_hooks_on_cpython(site: SitePage, case: int) -> None:
    inputs = CASES[case]
    score, shown = on_cpython(inputs)
    result = site.predict(inputs)
    assert_same(result["variable"]["data"], [score])
    assert result["postprocess"] == shown


def test_the_form_and_an_example_button_show_the_summary(site: SitePage) -> None:
    site.page.evaluate("document.querySelectorAll('[data-output]').forEach(e => e.textContent = '')")
    site.page.click("[data-example='0']")
    site.page.wait_for_selector("[data-output=summary]:not(:empty)")
    _, shown = on_cpython(
        {"age": 35, "sex": "male", "height": 182, "weight": 78, "pressure": 85, "glucose": 80}
    )
    assert site.read_outputs()["summary"] == shown["summary"]
    assert site.page.input_value("select[name=sex]") == "male"
