"""The topics example: the page tokenises in Python as CPython does and shows the same topic."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.support.reference import assert_same, reference
from tests.support.site_page import SitePage
from tests.support.sites import EXAMPLES, build_example, example_module

TOPICS = EXAMPLES / "topics"
CASES = [
    "The home team scored a late goal and won the match.",
    "Grill the fish and serve it with lemon, rice and a green salad!",
    "SNOW, ice and a bitter wind: the forecast for tomorrow.",
    "Café Ünïcode — words the model never saw, in UTF-8.",
    "",
    " ".join(["the computer crashed and the software lost my data"] * 5),  # past 32 words
]


@pytest.fixture(scope="module")
def built(sites: Path) -> Path:
    return build_example("topics", sites)


@pytest.fixture(scope="module")
def site(built: Path, open_site: Callable[[Path], SitePage]) -> SitePage:
    return open_site(built)


def probabilities_and_entries(built: Path, text: str) -> tuple[list[Any], dict[str, Any] | None]:
    """The same hooks around native onnxruntime: the probabilities and postprocess's entries."""
    prediction = reference(built, {"text": text})
    return prediction.outputs[0].values, prediction.entries


@pytest.mark.parametrize("case", range(len(CASES)))
def test_predict_agrees_with_the_same_hooks_on_cpython(site: SitePage, built: Path, case: int) -> None:
    probabilities, shown = probabilities_and_entries(built, CASES[case])
    result = site.predict({"text": CASES[case]})
    assert_same(result["probabilities"]["data"], probabilities)
    assert result["postprocess"] == shown


@pytest.mark.parametrize("case", [0, 2, 5])
def test_the_form_shows_the_topic_and_its_bars(site: SitePage, built: Path, case: int) -> None:
    probabilities, shown = probabilities_and_entries(built, CASES[case])
    assert shown is not None
    outputs = site.submit_form({"text": CASES[case]})
    assert (outputs["topic"], outputs["words"]) == (shown["topic"], shown["words"])
    bars = dict(site.bars("probabilities"))
    labels = example_module("topics", "app.py").TOPICS
    assert set(bars) == set(labels)
    assert_same([bars[label] for label in labels], probabilities)


def test_an_example_button_fills_the_text_and_shows_its_topic(site: SitePage, built: Path) -> None:
    text = yaml.safe_load((TOPICS / "metadata.yml").read_text())["examples"][1]["text"]
    site.page.evaluate("document.querySelectorAll('[data-output]').forEach(e => e.textContent = '')")
    site.page.click("[data-example='1']")
    shown = probabilities_and_entries(built, text)[1]
    assert shown is not None and site.read_outputs()["topic"] == shown["topic"] == "technology"
    assert site.page.input_value("[name=text]") == text
