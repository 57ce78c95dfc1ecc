"""`shipyard verify` on built sites, started in a subprocess as a user does: Playwright's
sync API cannot start a second browser inside this session's (the `chromium` fixture)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import onnx
import pytest
import yaml
from click.testing import CliRunner
from onnx import helper, numpy_helper

from shipyard.build import build_site
from shipyard.cli import main
from shipyard.metadata.read import load_metadata
from shipyard.model.quantize import QUANTIZERS
from shipyard.site.page import read_site_app
from shipyard.verify import chromium as browser_session
from shipyard_runtime.dtypes import DTYPES
from tests.support.models import identity_model
from tests.support.sites import EXAMPLES, build_example
from tests.support.weights import cnn, save_external, save_one_file

NO_CHROMIUM = (
    "no Chromium found; install Debian's chromium package or pass --browser PATH; "
    "the site itself was not checked"
)

BIG = {"int64": (2**62, 2**63 - 1), "uint64": (2**63, 2**64 - 1)}  # past what a JS number holds


@pytest.fixture(scope="module")
def verify_sites(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("verify")
    for name in ("housing", "sentiment", "diabetes"):
        build_example(name, folder)
    return folder


def verify(*args: str | Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "shipyard", "verify", *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, timeout=300)


def test_hooks_run_on_this_machine_too_and_their_entries_are_compared(verify_sites: Path) -> None:
    result = verify(verify_sites / "diabetes", "--samples", "8", "--seed", "2")
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].endswith("11 input sets (defaults, 2 examples, 8 random; seed 2)")
    assert lines[2].split()[:2] == ["postprocess.summary", "string"]
    assert lines[2].endswith("11 of 11 values equal  ok") and lines[-1] == "PASS"


def test_the_site_embeds_the_spec_it_was_built_from(verify_sites: Path) -> None:
    built = load_metadata(EXAMPLES / "housing" / "metadata.yml")
    assert read_site_app(verify_sites / "housing").to_dict() == built.to_dict()


@pytest.mark.parametrize("name", ["housing", "sentiment"])
def test_examples_compute_in_chromium_what_onnxruntime_computes(name: str, verify_sites: Path) -> None:
    result = verify(verify_sites / name, "--samples", "10", "--seed", "5")
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    sets = {
        "housing": "13 input sets (defaults, 2 examples, 10 random; seed 5)",
        "sentiment": "11 input sets (defaults, 10 random; seed 5)",
    }[name]
    assert lines[0] == f"{verify_sites / name}: {sets}"
    outputs = {"housing": ["variable"], "sentiment": ["label", "probabilities"]}[name]
    assert [line.split()[0] for line in lines[1:-2]] == outputs
    assert all(line.endswith("ok") for line in lines[1:-2])
    assert lines[-2:] == ["  no request left the site's origin", "PASS"]
    assert "Opening http://127.0.0.1:" in result.stderr  # progress goes to stderr


def test_every_type_and_64_bit_integers_past_2_53_match(tmp_path: Path) -> None:
    metadata: dict[str, Any] = {"name": "Every type", "inputs": {}, "outputs": {}}
    for name in DTYPES:
        bounds = dict(zip(("min", "max"), BIG[name], strict=True)) if name in BIG else {}
        metadata["inputs"][f"in_{name}"] = {"type": name, "shape": [None, 2], **bounds}
        metadata["outputs"][f"out_{name}"] = {"type": name, "shape": [None, 2]}
    (tmp_path / "m.yml").write_text(yaml.safe_dump(metadata))
    build_site(identity_model(tmp_path / "m.onnx"), tmp_path / "m.yml", tmp_path / "site")
    result = verify(tmp_path / "site", "--samples", "5", "--json")
    report = json.loads(result.stdout)
    assert result.returncode == 0 and report["passed"], result.stdout + result.stderr
    assert {o["name"]: o["compared"] for o in report["outputs"]} == {f"out_{n}": 10 for n in DTYPES}


def _scaled_housing_model(path: Path, scale: float) -> Path:
    """The housing model with its output multiplied by `scale`: the same signature, other values."""
    model = onnx.load(str(EXAMPLES / "housing" / "model.onnx"))
    for node in model.graph.node:
        node.output[:] = ["unscaled" if name == "variable" else name for name in node.output]
    model.graph.initializer.append(numpy_helper.from_array(np.array([scale], np.float32), "scale"))
    model.graph.node.append(helper.make_node("Mul", ["unscaled", "scale"], ["variable"]))
    onnx.checker.check_model(model)
    onnx.save(model, str(path))
    return path


def _tamper(site: Path, target: Path, file: str, edit: Callable[[str], str]) -> Path:
    """A copy of `site` whose `file` is changed by `edit`."""
    shutil.copytree(site, target)
    (target / file).write_text(edit((target / file).read_text()))
    return target


def test_fails_when_the_page_runs_another_model_or_calls_out(verify_sites: Path, tmp_path: Path) -> None:
    # One tampered page (a browser start costs seconds) with both faults: it loads a slightly
    # different model than the site's model.onnx, which the reference runs, as a stale or
    # wrongly deployed file would make it, and it calls another origin.
    beacon = "http://127.0.0.2:9/beacon"  # another origin that refuses at once, with no network

    def another_model(page: str) -> str:
        assert '"model":"model.onnx"' in page
        calls_out = f'<script>fetch("{beacon}").catch(() => {{}});</script>\n</head>'
        return page.replace('"model":"model.onnx"', '"model":"other.onnx"').replace("</head>", calls_out)

    # (The page is the one file the site's manifest cannot list: the others are checked.)
    site = _tamper(verify_sites / "housing", tmp_path / "site", "index.html", another_model)
    _scaled_housing_model(site / "other.onnx", 1.001)
    result = verify(site, "--samples", "4", "--seed", "1")
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[1].startswith("  variable  float32  max abs diff") and "max rel diff 0.001 " in lines[1]
    assert "FAIL: 7 mismatched, first defaults [0]" in lines[1]  # defaults, 2 examples, 4 random
    browser, native = map(float, re.findall(r"(?:browser|onnxruntime) ([\d.]+)", lines[1]))
    assert browser == pytest.approx(native * 1.001)
    assert lines[-3:] == ["  requests that left the site's origin:", f"    {beacon}", "FAIL"]


def test_without_chromium_it_says_so_and_exits_3(verify_sites: Path) -> None:
    result = CliRunner().invoke(main, ["verify", str(verify_sites / "housing"), "--browser", "/nonexistent"])
    assert result.exit_code == 3
    assert result.stdout == ""
    assert result.stderr.strip() == f"/nonexistent: {NO_CHROMIUM}"


def test_chromium_is_found_at_debians_path_or_by_name_on_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(browser_session, "CHROMIUM", str(tmp_path / "missing"))
    monkeypatch.setenv("PATH", str(tmp_path))
    assert browser_session.find_chromium() is None
    fake = tmp_path / "chromium-browser"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    assert browser_session.find_chromium() == str(fake)
    assert browser_session.find_chromium("chromium-browser") == str(fake)
    assert browser_session.find_chromium(str(tmp_path / "nothing")) is None


def test_missing_onnxruntime_is_a_plain_message_with_the_fix(
    verify_sites: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "onnxruntime", None)  # import fails as if not installed
    result = CliRunner().invoke(main, ["verify", str(verify_sites / "housing")])
    assert result.exit_code == 2
    assert "needs onnxruntime, which is not installed" in result.stderr
    assert "pip install 'shipyard[verify]'" in result.stderr and "Traceback" not in result.output


def test_a_folder_without_a_site_is_a_plain_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["verify", str(tmp_path)])
    assert result.exit_code == 2
    assert "index.html" in result.stderr and "Traceback" not in result.output


@pytest.fixture(scope="module")
def quantized(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A model saved with external data, and a site of it built with each --quantize mode."""
    folder = tmp_path_factory.mktemp("quantized")
    original = save_external(cnn(), folder / "cnn.onnx", "cnn.data")
    for mode in QUANTIZERS:
        build_site(original, None, folder / mode, quantize=mode)
    return folder


@pytest.mark.parametrize(
    ("mode", "tolerance", "verdict"),
    [("dynamic", [], "FAIL"), ("fp16", ["--rtol", "0.01", "--atol", "0.01"], "PASS")],
)
def test_a_quantized_site_is_compared_with_its_original(
    quantized: Path, mode: str, tolerance: list[str], verdict: str
) -> None:
    original = quantized / "cnn.onnx"
    result = verify(quantized / mode, "--model", original, "--samples", "4", "--seed", "3", *tolerance)
    assert result.returncode == {"PASS": 0, "FAIL": 1}[verdict], result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[1] == f"  compared with {original}, the original of this {mode}-quantized site"
    drift = re.search(r"max abs diff (\S+)  max rel diff (\S+)", lines[2])
    assert drift is not None and float(drift[1]) > 0, lines[2]  # what quantizing cost
    assert lines[-1] == verdict


def test_a_quantized_site_needs_its_original_and_refuses_another_model(quantized: Path) -> None:
    site = str(quantized / "dynamic")
    result = CliRunner().invoke(main, ["verify", site])
    assert result.exit_code == 2
    assert "its model was quantized (dynamic) from cnn.onnx; pass --model cnn.onnx" in result.stderr
    other = save_one_file(cnn(), quantized / "copy.onnx")  # the same weights, saved another way
    result = CliRunner().invoke(main, ["verify", site, "--model", str(other)])
    assert result.exit_code == 2
    assert f"{other}: is not the model this site was quantized from: that was cnn.onnx" in result.stderr
