"""Widgets and display kinds in the browser: a select, a slider and a text area in; a
formatted number, text and JSON out."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from shipyard.build import build_site
from tests.support.models import widgets_model
from tests.support.site_page import SitePage

METADATA = """\
name: Widgets
inputs:
  colour: {type: string, shape: [1], choices: {Red: red, Deep blue: blue}, default: blue}
  level: {type: float32, shape: [1], min: 0, max: 10, default: 2.5}
  note: {type: string, shape: [1], widget: textarea, default: "first line"}
outputs:
  colour_out: {type: string, shape: [1], display: json}
  level_out: {type: float32, shape: [1], display: number, format: .2f, unit: kg}
  note_out: {type: string, shape: [1], display: text}
"""


def test_select_slider_and_textarea_feed_the_model_and_outputs_show_their_kind(
    tmp_path: Path, open_site: Callable[[Path], SitePage]
) -> None:
    (tmp_path / "m.yml").write_text(METADATA)
    build_site(widgets_model(tmp_path / "m.onnx"), tmp_path / "m.yml", tmp_path / "site")
    site = open_site(tmp_path / "site")
    page = site.page
    assert page.input_value("select[name=colour]") == "blue"
    page.select_option("select[name=colour]", label="Red")
    page.fill("input[type=range][data-for=in-level]", "7.5")  # moving the slider moves the box
    assert page.input_value("input[name=level]") == "7.5"
    page.fill("textarea[name=note]", "two\nlines <i>")
    page.evaluate("document.querySelectorAll('[data-output]').forEach(e => e.textContent = '')")
    page.click("#shipyard-run")
    shown = site.read_outputs()
    assert shown == {"colour_out": '"red"', "level_out": "7.50 kg", "note_out": "two\nlines <i>"}
    assert page.locator("[data-output=note_out] i").count() == 0
    assert site.predict({"colour": "blue", "level": 0, "note": ""})["level_out"]["data"] == [0]
    assert "must be one of Red, Deep blue" in site.predict_error({"colour": "green"})
