"""The topics example: the page tokenises in Python as CPython does and shows the same topic."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import onnxruntime as ort
import pytest
import yaml

from conftest import EXAMPLES, build_example, example_module
from tests.browser import SitePage
from tests.reference import REL_TOL, assert_same

TOPICS = EXAMPLES / "topics"
CASES = [
    "The home team scored a late goal and won the match.",
    "Grill the fish and serve it with lemon, rice and a green salad!",
    "SNOW, ice and a bitter wind: the forecast for tomorrow.",
    "Café Ünïcode — words the model never saw, in UTF-8.",
    "",
    " ".join(["the computer crashed and the software lost my data"] * 5),  # past 32 words
]


def on_cpython(text: str) -> tuple[list[float], dict[str, str]]:
    """The same hooks around native onnxruntime: preprocess, run, postprocess."""
    app = example_module("topics", "app.py")
    inputs = {"text": text}
    feeds = {"token_ids": np.array(app.preprocess(inputs)["token_ids"], dtype=np.int64)}
    session = ort.InferenceSession(str(TOPICS / "model.onnx"), providers=["CPUExecutionProvider"])
    (probabilities,) = session.run(None, feeds)
    return probabilities.ravel().tolist(), app.postprocess({"probabilities": probabilities}, inputs)


@pytest.fixture(scope="module")
def site(sites: Path, open_site: Callable[[Path], SitePage]) -> SitePage:
    return open_site(build_example("topics", sites))


@pytest.mark.parametrize("case", range(len(CASES)))
def test_predict_agrees_with_the_same_hooks_on_cpython(site: SitePage, case: int) -> None:
    probabilities, shown = on_cpython(CASES[case])
    result = site.predict({"text": CASES[case]})
    assert_same(result["probabilities"]["data"], probabilities)
    assert result["postprocess"] == shown


@pytest.mark.parametrize("case", [0, 2, 5])
def test_the_form_shows_the_topic_and_its_bars(site: SitePage, case: int) -> None:
    probabilities, shown = on_cpython(CASES[case])
    outputs = site.submit_form({"text": CASES[case]})
    assert (outputs["topic"], outputs["words"]) == (shown["topic"], shown["words"])
    bars = dict(site.bars("probabilities"))
    labels = example_module("topics", "app.py").TOPICS
    assert bars == pytest.approx(dict(zip(labels, probabilities, strict=True)), rel=REL_TOL)


def test_an_example_button_fills_the_text_and_shows_its_topic(site: SitePage) -> None:
    text = yaml.safe_load((TOPICS / "metadata.yml").read_text())["examples"][1]["text"]
    site.page.evaluate("document.querySelectorAll('[data-output]').forEach(e => e.textContent = '')")
    site.page.click("[data-example='1']")
    assert site.read_outputs()["topic"] == on_cpython(text)[1]["topic"] == "technology"
    assert site.page.input_value("[name=text]") == text
