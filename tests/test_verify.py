"""`shipyard verify`: the inputs it tries, how it compares, and whole runs on built sites.

The end-to-end runs start `shipyard verify` in a subprocess, as a user does: Playwright's
sync API cannot start a second browser inside this session's (the `chromium` fixture).
"""

from __future__ import annotations

import json
import math
import random
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

from conftest import EXAMPLES, build_example
from shipyard.build import build_site
from shipyard.cli import main
from shipyard.metadata.read import load_metadata
from shipyard.site.page import read_site_app
from shipyard.verify import chromium as browser_session
from shipyard.verify.compare import OutputCheck, Tolerance, comparable, compare
from shipyard.verify.inputs import WORDS, InputSet, input_sets, random_row, to_page, value_range
from shipyard.verify.report import Report, report_dict, report_text
from shipyard_runtime.dtypes import DTYPES
from shipyard_runtime.spec import AppSpec
from tests.models import identity_model

NO_CHROMIUM = (
    "no Chromium found; install Debian's chromium package or pass --browser PATH; "
    "the site itself was not checked"
)
BIG = {"int64": (2**62, 2**63 - 1), "uint64": (2**63, 2**64 - 1)}  # past what a JS number holds
APP = AppSpec.from_dict(
    {
        "name": "Every kind",
        "inputs": {
            "f": {"type": "float32", "shape": [None, 3], "min": -2, "max": 0.5},
            "d": {"type": "float64", "shape": [None, 1], "min": 5},
            "u": {"type": "uint8", "shape": [None, 2]},
            "i": {"type": "int64", "shape": [None, 2], "min": BIG["int64"][0], "max": BIG["int64"][1]},
            "b": {"type": "bool", "shape": [None, 4]},
            "s": {"type": "string", "shape": [None, 2], "default": ["sailing ships", "harbour"]},
        },
        "outputs": {"y": {"type": "float32", "shape": [None, 1]}},
    }
)
PYTHON_TYPES = {"float": float, "int": int, "bool": bool, "string": str}


# --- the inputs it tries ---


def test_random_inputs_are_values_the_page_accepts_of_the_right_type_and_size() -> None:
    for input_set in input_sets(APP, 50, seed=3):
        for spec in APP.inputs:
            row = input_set.values[spec.key]
            assert len(row) == spec.size
            assert all(type(v) is PYTHON_TYPES[spec.dtype.kind] for v in row), (spec.key, row)
            assert spec.check_row(row) == row  # the very rule the page applies
            if spec.minimum is not None:
                assert all(spec.minimum <= v <= (spec.maximum or math.inf) for v in row)


def test_ranges_come_from_min_and_max_or_a_span_by_type() -> None:
    specs = {spec.key: spec for spec in APP.inputs}
    assert value_range(specs["f"]) == (-2, 0.5)
    assert value_range(specs["d"]) == (5, 25)  # only a min: a span above it
    assert value_range(specs["u"]) == (0, 100)  # no bounds: around 0, within what uint8 holds
    assert value_range(specs["i"]) == BIG["int64"]
    centred = AppSpec.from_dict(
        {
            "name": "x",
            "inputs": {"x": {"type": "float64", "shape": [1], "default": 1000}},
            "outputs": {"y": {"type": "float64", "shape": [1]}},
        }
    )
    assert value_range(centred.inputs[0]) == (990, 1010)


def test_64_bit_integers_cover_their_range_and_travel_to_the_page_as_text() -> None:
    values = [v for s in input_sets(APP, 30, seed=1) for v in s.values["i"]]
    assert max(values) > 2**62 + 2**61 and min(values) < 2**62 + 2**60
    page = to_page(APP, {"i": [2**63 - 1, 2**62], "u": [3, 4]})
    assert page == {"i": ["9223372036854775807", "4611686018427387904"], "u": [3, 4]}
    back = comparable({"o": {"type": "uint64", "dims": [1, 2], "data": ["18446744073709551615", 7]}})
    assert back == {"o": {"type": "uint64", "dims": [1, 2], "data": [2**64 - 1, 7]}}


def test_text_is_made_of_fixed_words_and_the_words_of_the_default() -> None:
    texts = [t for s in input_sets(APP, 40, seed=2) if s.label.startswith("random") for t in s.values["s"]]
    words = {word for text in texts for word in text.split()}
    assert words <= {*WORDS, "sailing", "ships", "harbour"}
    assert {"sailing", "harbour"} & words and set(WORDS) & words
    row = random_row(APP.inputs[-1], random.Random(0), ("one",))
    assert len(row) == 2 and all(set(text.split()) == {"one"} for text in row)


def test_defaults_and_examples_come_first_and_a_seed_repeats_a_run() -> None:
    housing = load_metadata(EXAMPLES / "housing" / "metadata.yml")
    with_example = AppSpec.from_dict(housing.to_dict() | {"examples": [{"MedInc": 8}]})
    sets = input_sets(with_example, 3, seed=7)
    assert [s.label for s in sets] == ["defaults", "example 1", "random 1", "random 2", "random 3"]
    assert sets[0].values["MedInc"] == [3.5] and sets[1].values == {**sets[0].values, "MedInc": [8]}
    assert input_sets(with_example, 3, seed=7) == sets
    assert input_sets(with_example, 3, seed=8)[2:] != sets[2:]
    # Without a default for every input there is no "defaults" set.
    assert [s.label for s in input_sets(APP, 2, seed=0)] == ["random 1", "random 2"]


# --- how it compares ---


def _out(dtype: str, *data: Any, dims: list[int] | None = None) -> dict[str, Any]:
    return {"type": dtype, "dims": dims or [1, len(data)], "data": list(data)}


def _compare(browser: list[Any], native: list[Any], **tol: float) -> tuple[list[OutputCheck], list[str]]:
    sets = [InputSet(f"random {i + 1}", {}) for i in range(len(native))]
    return compare(sets, browser, native, Tolerance(**tol))


def test_floats_match_within_atol_plus_rtol_times_onnxruntimes_value() -> None:
    native = [{"y": _out("float32", 1000.0, 0.0, 1.0)}]
    close = [{"y": _out("float32", 1000.009, 0.0000009, 1)}]  # JSON gives 1.0 back as 1
    (check,), errors = _compare(close, native)
    assert check.passed and errors == [] and check.compared == 3
    assert check.max_abs == pytest.approx(0.009, rel=1e-3)
    assert check.max_rel == pytest.approx(9e-6, rel=1e-3)  # 0 is left out of the relative diff
    (check,), _ = _compare([{"y": _out("float32", 1000.02, 0.0, 1.0)}], native)
    assert not check.passed and check.mismatches == 1
    assert check.first_mismatch == "random 1 [0]: browser 1000.02, onnxruntime 1000.0"
    (check,), _ = _compare([{"y": _out("float32", 1000.02, 0.0, 1.0)}], native, rtol=1e-4)
    assert check.passed


def test_nan_matches_only_nan_and_infinities_match_exactly() -> None:
    nan, inf = math.nan, math.inf
    (check,), _ = _compare([{"y": _out("float64", nan, inf, -inf)}], [{"y": _out("float64", nan, inf, -inf)}])
    assert check.passed
    (check,), _ = _compare([{"y": _out("float64", 0.0, inf)}], [{"y": _out("float64", nan, -inf)}])
    assert check.mismatches == 2 and math.isfinite(check.max_abs)


def test_strings_integers_and_bools_must_be_equal_exactly() -> None:
    native = [{"s": _out("string", "yes"), "i": _out("int64", 2**53 + 1), "b": _out("bool", True)}]
    same = [{"s": _out("string", "yes"), "i": _out("int64", 2**53 + 1), "b": _out("bool", True)}]
    assert all(c.passed for c in _compare(same, native, rtol=1, atol=1)[0])
    near = [{"s": _out("string", "yes "), "i": _out("int64", 2**53), "b": _out("bool", False)}]
    checks, _ = _compare(near, native, rtol=1, atol=1)  # tolerances are for floats only
    assert [(c.name, c.passed) for c in checks] == [("s", False), ("i", False), ("b", False)]


def test_other_shapes_missing_outputs_and_one_sided_failures_are_reported() -> None:
    native = [{"y": _out("float32", 1.0, 2.0)}, {"y": _out("float32", 1.0)}, "bad index", "bad index"]
    browser = [{"y": _out("float32", 1.0, 2.0, dims=[2, 1])}, {"z": _out("float32", 1.0)}, {}, "bad index"]
    (check,), errors = _compare(browser, native)
    assert check.mismatches == 2
    assert check.first_mismatch == "random 1: dims [2, 1] in the browser, [1, 2] in onnxruntime"
    assert errors == [
        "random 2: the browser gave 'z', not a model output",
        "random 3: onnxruntime failed: bad index",  # random 4 failed on both sides: they agree
    ]


def test_report_lists_each_output_then_pass_or_fail() -> None:
    (check,), _ = _compare([{"y": _out("float32", 1.5)}], [{"y": _out("float32", 1.5)}])
    report = Report("dist", 42, Tolerance(), ["defaults", "random 1"], [check])
    lines = report_text(report).splitlines()
    assert lines[0] == "dist: 2 input sets (defaults, 1 random; seed 42)"
    assert lines[1] == "  y  float32  max abs diff 0  max rel diff 0 (rtol 1e-05, atol 1e-06)  ok"
    assert lines[-1] == "PASS" and report.passed
    report.foreign_requests.append("https://cdn.example/x.js")
    assert report_text(report).splitlines()[-2:] == ["    https://cdn.example/x.js", "FAIL"]
    assert json.loads(json.dumps(report_dict(report)))["passed"] is False


# --- the command, on built sites ---


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
        return page.replace('"model":"model.onnx"', '"model":"other.onnx"')

    site = _tamper(verify_sites / "housing", tmp_path / "site", "index.html", another_model)
    (site / "shipyard.js").write_text(f'fetch("{beacon}");\n' + (site / "shipyard.js").read_text())
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
