"""A site built with --gpu in Chromium: the model runs on WebGPU when the browser has an
adapter and the first run agrees with the wasm backend's, and on wasm otherwise, with the
reason in the status line; either way it predicts what onnxruntime computes. Chromium's
WebGPU here is SwiftShader's, in software: its speed means nothing, its results do."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from shipyard.metadata.read import load_metadata
from shipyard.site.layout import PAGE
from shipyard_runtime.names import FILES, IDS
from tests.support.cli import run
from tests.support.reference import assert_same, run_reference
from tests.support.site_page import SitePage
from tests.support.sites import EXAMPLES

HOUSING = EXAMPLES / "housing"
INPUTS = {"MedInc": 3.5, "HouseAge": 25, "AveRooms": 5.5, "Latitude": 37.77}
BACKEND = "window.shipyard.session.then((session) => session.backend)"
STATUS = f"document.getElementById('{IDS.status}').textContent"
# A device the browser refuses, as on a GPU it blocks: the adapter is there, the session fails.
NO_DEVICE = "GPUAdapter.prototype.requestDevice = () => Promise.reject(new Error('no device for this page'));"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The housing example, built as a user types it."""
    output = tmp_path_factory.mktemp("gpu") / "site"
    given = ["--metadata", str(HOUSING / "metadata.yml"), "--output", str(output), "--gpu"]
    code, printed = run("build", str(HOUSING / "model.onnx"), *given)
    assert code == 0, printed
    return output


@pytest.fixture(scope="module")
def strict_site(site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site with a tolerance nothing meets, edited into its page's JSON block."""
    copy = tmp_path_factory.mktemp("gpu-strict") / "site"
    shutil.copytree(site, copy)
    page = (copy / PAGE).read_text(encoding="utf-8")
    assert page.count('"atol":1e-06') == 1
    (copy / PAGE).write_text(page.replace('"atol":1e-06', '"atol":-1'), encoding="utf-8")
    return copy


@pytest.fixture
def open_in(serve: Callable[[Path], str], opened_pages: list[SitePage]) -> Callable[..., SitePage]:
    def open_(browser: Browser, site: Path, *init_scripts: str) -> SitePage:
        opened_pages.append(SitePage.open(browser, serve(site), *init_scripts))
        return opened_pages[-1]

    return open_


def predicted(page: SitePage) -> list[float]:
    """The prediction for INPUTS, checked against onnxruntime's on CPython."""
    got = page.predict(INPUTS)["variable"]["data"]
    want = run_reference(
        HOUSING / "model.onnx", load_metadata(HOUSING / "metadata.yml"), {k: [v] for k, v in INPUTS.items()}
    )
    assert_same(got, want["variable"])
    return got


def test_the_site_ships_the_webgpu_build_in_place_of_the_cpu_one(site: Path) -> None:
    module = (site / FILES.ort).read_text(encoding="utf-8")
    assert "webgpu" in module.lower()
    assert not list(site.glob("ort/*jsep*"))  # under the same paths as the CPU build's


def test_with_an_adapter_the_model_runs_on_webgpu_once_its_first_run_agrees(
    site: Path, webgpu_chromium: Browser, open_in: Callable[..., SitePage]
) -> None:
    page = open_in(webgpu_chromium, site)
    predicted(page)
    assert page.page.evaluate(BACKEND) == "webgpu"
    assert page.page.evaluate(STATUS) == "Ready · Running on the GPU (WebGPU)"
    predicted(page)  # and again, on WebGPU alone
    assert page.errors == []


def test_without_an_adapter_the_cpu_runs_it_and_the_status_says_so(
    site: Path, chromium: Browser, open_in: Callable[..., SitePage]
) -> None:
    page = open_in(chromium, site)
    predicted(page)
    assert page.page.evaluate(BACKEND) is None  # onnxruntime-web's own wasm session
    assert page.page.evaluate(STATUS) == "Ready · Running on the CPU: this browser has no WebGPU adapter"


def test_when_the_check_fails_the_cpu_takes_over_and_the_status_says_where_they_differ(
    strict_site: Path, webgpu_chromium: Browser, open_in: Callable[..., SitePage]
) -> None:
    page = open_in(webgpu_chromium, strict_site)
    predicted(page)
    assert page.page.evaluate(BACKEND) == "wasm"
    status = page.page.evaluate(STATUS)
    assert status.startswith(
        "Ready · Running on the CPU: WebGPU's outputs differ from the CPU's (variable[0] is "
    )
    predicted(page)


def test_when_the_webgpu_session_fails_the_cpu_runs_it_and_the_status_gives_the_reason(
    site: Path, webgpu_chromium: Browser, open_in: Callable[..., SitePage]
) -> None:
    page = open_in(webgpu_chromium, site, NO_DEVICE)
    predicted(page)
    status = page.page.evaluate(STATUS)
    assert status.startswith("Ready · Running on the CPU: WebGPU could not open the model ("), status
    assert "no device for this page" in status


def test_shipyard_verify_checks_a_gpu_site_on_webgpu(site: Path) -> None:
    command = [sys.executable, "-m", "shipyard", "verify", str(site), "--samples", "5", "--seed", "3"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[1] == "  the page says: Ready · Running on the GPU (WebGPU)"
    assert lines[-1] == "PASS"
    assert " with WebGPU…" in result.stderr
