"""Models with weights, in Chromium: saved with external data, or a few hundred MB made at
test time (never committed), each built and predicting what native onnxruntime computes
on the original file. The big one costs about 15 s here: 268 MB made, built, loaded."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from benchmarks.big_models import measured_build
from shipyard.build import build_site
from shipyard.model import external
from shipyard.site.page import read_page_data, read_site_app
from shipyard_runtime.names import FILES
from shipyard_runtime.values import from_api
from tests.support.reference import assert_same, run_reference
from tests.support.site_page import SitePage
from tests.support.weights import matmul, mlp, save_external, save_one_file

WIDTH = 8192  # one [8192, 8192] float32 weight: 268 MB


def native(model: Path, site: Path, given: Mapping[str, object]) -> dict[str, list[Any]]:
    """What onnxruntime computes on `model` itself (not the site's copy) for `given`."""
    app = read_site_app(site)
    return run_reference(model, app, from_api(app, given))


@pytest.fixture(scope="session")
def big(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, int]:
    """The big model, its site, and the peak memory of the build's Python process."""
    folder = tmp_path_factory.mktemp("big")
    model = save_one_file(matmul(WIDTH), folder / "big.onnx")
    _, peak = measured_build(model, folder / "site")
    return model, folder / "site", peak


def test_a_model_of_a_few_hundred_mb_builds_without_holding_its_weights_and_predicts(
    big: tuple[Path, Path, int], open_site: Callable[[Path], SitePage]
) -> None:
    model, site, peak = big
    assert peak < model.stat().st_size  # Python itself takes 80 MB of it
    assert (site / FILES.model_data).stat().st_size == WIDTH * WIDTH * 4
    assert (site / FILES.model).stat().st_size < 1000
    page = open_site(site)
    x = [(i % 7 - 3) / 3 for i in range(WIDTH)]
    assert_same(page.predict({"x": x})["y"]["data"], native(model, site, {"x": x})["y"])


@pytest.mark.parametrize(
    ("location", "unpacked"),
    [("weights.bin", False), (None, True)],
    ids=["one data file", "a file per tensor, opened as weights past PREPACK_LIMIT are"],
)
def test_a_model_saved_with_external_data_predicts_what_onnxruntime_computes(
    tmp_path: Path,
    open_site: Callable[[Path], SitePage],
    monkeypatch: pytest.MonkeyPatch,
    location: str | None,
    unpacked: bool,
) -> None:
    if unpacked:  # as a model of over a GiB is: cheaper to test on a small one
        monkeypatch.setattr(external, "PREPACK_LIMIT", 0)
    model = save_external(mlp(), tmp_path / "mlp.onnx", location)
    build_site(model, None, tmp_path / "site")
    assert sorted(p.name for p in (tmp_path / "site").glob("model.*")) == [FILES.model_data, FILES.model]
    assert ("extra" in read_page_data(tmp_path / "site")["session"]) is unpacked
    page = open_site(tmp_path / "site")
    for x in ([0.5] * 16, [i / 10 - 0.8 for i in range(16)]):
        assert_same(page.predict({"x": x})["y"]["data"], native(model, tmp_path / "site", {"x": x})["y"])


def test_the_big_model_split_for_a_host_s_limit_is_joined_by_the_page(
    big: tuple[Path, Path, int], tmp_path: Path, open_site: Callable[[Path], SitePage]
) -> None:
    """At Cloudflare Pages' 25 MiB per file the weights ship as 11 parts, fetched in
    parallel, each checked against its sha256, and joined."""
    model, _, _ = big
    limit = 25 * 1024 * 1024
    build_site(model, None, tmp_path / "site", max_file_size=limit)
    parts = read_page_data(tmp_path / "site")["manifest"][FILES.model_data]["parts"]
    assert len(parts) == -(-WIDTH * WIDTH * 4 // limit)
    assert not (tmp_path / "site" / FILES.model_data).exists()
    assert all(p.stat().st_size <= limit for p in (tmp_path / "site").rglob("*") if p.is_file())
    page = open_site(tmp_path / "site")
    x = [(i % 5 - 2) / 2 for i in range(WIDTH)]
    assert_same(page.predict({"x": x})["y"]["data"], native(model, tmp_path / "site", {"x": x})["y"])
