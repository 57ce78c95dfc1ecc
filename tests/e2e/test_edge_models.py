"""A model with symbolic dimensions, two outputs and an unused input, built without metadata."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from shipyard.build import build_site
from tests.support.models import edge_model
from tests.support.reference import assert_same, reference
from tests.support.site_page import SitePage


def test_inferred_site_predicts_what_onnxruntime_does(
    tmp_path: Path, open_site: Callable[[Path], SitePage]
) -> None:
    model = edge_model(tmp_path / "edge.onnx")
    build_site(model, None, tmp_path / "site")
    site = open_site(tmp_path / "site")
    for x in ([1.5, -2.0, 4.25], [0.0, 0.0, 1e-3]):
        want = reference(tmp_path / "site", {"x": x, "unused": 7}).to_result()
        result = site.predict({"x": x, "unused": 7})
        assert_same(result["total"]["data"], want["total"]["data"])
        assert_same(result["double"]["data"], want["double"]["data"])
        assert result["double"]["dims"] == [1, 3]
    shown = site.submit_form({"x": ["1", "2", "3"], "unused": "0"})
    assert shown["total"].strip() == "6"
