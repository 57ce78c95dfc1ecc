"""Every tensor type crosses Python, JS and onnxruntime-web and comes back exactly."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from shipyard.build import build_site
from tests.support.models import EXTREMES, gather_model, identity_metadata, identity_model
from tests.support.site_page import SitePage


@pytest.fixture(scope="module")
def identity_site(
    tmp_path_factory: pytest.TempPathFactory, open_site: Callable[[Path], SitePage]
) -> SitePage:
    folder = tmp_path_factory.mktemp("identity")
    model, metadata = identity_model(folder / "m.onnx"), identity_metadata(folder / "m.yml")
    build_site(model, metadata, folder / "site")
    return open_site(folder / "site")


def test_every_type_round_trips_exactly_through_predict(identity_site: SitePage) -> None:
    result = identity_site.predict({f"in_{n}": v for n, v in EXTREMES.items()})
    for name, values in EXTREMES.items():
        output = result[f"out_{name}"]
        assert output["type"] == name
        assert output["dims"] == [1, 2]
        assert output["data"] == values


def test_64_bit_integers_beyond_2_53_come_back_as_exact_bigints(identity_site: SitePage) -> None:
    page = identity_site.page
    data = page.evaluate(
        "(base) => window.shipyard.predict({...base,"
        " in_int64: [-9223372036854775808n, '9007199254740993'],"
        " in_uint64: ['18446744073709551615', 2n ** 63n]})"
        ".then(r => [r.out_int64, r.out_uint64].map(o => o.data.map(v => [typeof v, String(v)])))",
        {f"in_{n}": v for n, v in EXTREMES.items()},
    )
    assert data == [
        [["bigint", "-9223372036854775808"], ["bigint", "9007199254740993"]],
        [["bigint", "18446744073709551615"], ["bigint", "9223372036854775808"]],
    ]


def test_every_type_round_trips_through_the_form(identity_site: SitePage) -> None:
    texts = {f"in_{n}": [str(v) for v in vs] for n, vs in EXTREMES.items() if n != "bool"}
    texts["in_int64"] = ["-9223372036854775808", "9223372036854775807"]
    texts["in_uint64"] = ["0", "18446744073709551615"]
    shown = identity_site.submit_form(texts)
    assert shown["out_string"].strip() == "héllo <b>wörld</b> 🚢"
    page = identity_site.page
    assert page.locator('[data-output="out_string"] li').count() == 2
    assert page.locator('[data-output="out_string"] b').count() == 0  # shown as text, not markup
    assert shown["out_int32"].splitlines() == ["-2147483648", "2147483647"]
    assert shown["out_int64"].splitlines() == texts["in_int64"]
    assert shown["out_uint64"].splitlines() == texts["in_uint64"]
    assert shown["out_bool"].splitlines() == ["false", "false"]


def test_out_of_range_value_is_rejected_beside_its_field(identity_site: SitePage) -> None:
    site = identity_site
    message = site.predict_error({"in_uint8": [0, 256]})
    assert "in_uint8" in message and "256 does not fit in uint8" in message
    site.submit_form({"in_uint8": ["0", "256"]})
    assert "256 does not fit in uint8" in site.field_error("in_uint8")
    site.submit_form({"in_uint8": ["0", "255"]})
    assert site.field_error("in_uint8") == ""


def test_onnxruntime_error_is_shown_and_the_page_keeps_working(
    tmp_path: Path, open_site: Callable[[Path], SitePage]
) -> None:
    model = gather_model(tmp_path / "gather.onnx")
    (tmp_path / "m.yml").write_text(
        "name: Gather\ninputs:\n  index: {name: Row, type: int64, shape: [1], default: 1}\n"
        "outputs:\n  value: {name: Value, type: float32, shape: [1]}\n"
    )
    build_site(model, tmp_path / "m.yml", tmp_path / "site")
    site = open_site(tmp_path / "site")
    assert "out of" in site.predict_error({"index": 7})
    site.submit_form({"index": "7"})
    assert site.page.inner_text("#shipyard-form-error")
    assert site.submit_form({"index": "2"})["value"] == "30"
    assert site.predict({"index": 0})["value"]["data"] == [10]
