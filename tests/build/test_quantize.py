"""`shipyard build --quantize`: a smaller model in the site, its sizes printed, and a record
of the original that `shipyard verify --model` checks (tests/e2e/test_quantized.py runs it)."""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import onnx
import pytest

from shipyard.model.load import load_model, model_size
from shipyard.site.layout import QUANTIZED
from shipyard_runtime.names import FILES
from tests.support.cli import run
from tests.support.weights import cnn, save_external, save_one_file


@pytest.mark.parametrize(("mode", "at_most"), [("dynamic", 0.4), ("fp16", 0.6)])
def test_the_site_holds_a_smaller_copy_and_names_its_original(
    tmp_path: Path, mode: str, at_most: float
) -> None:
    original = save_external(cnn(), tmp_path / "cnn.onnx", "cnn.data")
    code, out = run("build", str(original), "--output", str(tmp_path / "site"), "--quantize", mode)
    assert code == 0, out
    site = tmp_path / "site"
    record = json.loads((site / QUANTIZED).read_text())
    before, after = model_size(original, load_model(original)), record["after"]
    assert (record["mode"], record["before"]) == (mode, before)
    assert f"Quantized ({mode}): {before / 1e6:.2f} MB before, {after / 1e6:.2f} MB after" in out
    shipped = sum((site / name).stat().st_size for name in (FILES.model, FILES.model_data))
    assert shipped < at_most * before and abs(shipped - after) < 100  # the copy's file names differ
    digests = {n: hashlib.sha256((tmp_path / n).read_bytes()).hexdigest() for n in ("cnn.onnx", "cnn.data")}
    assert record["files"] == [{"name": name, "sha256": digest} for name, digest in digests.items()]
    inputs = onnx.load(str(site / FILES.model), load_external_data=False).graph.input
    # The page sends float32 (fp16 keeps its inputs and outputs so).
    assert [i.type.tensor_type.elem_type for i in inputs] == [onnx.TensorProto.FLOAT]


def test_without_onnxruntime_it_says_what_to_install_and_keeps_the_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = save_one_file(cnn(), tmp_path / "cnn.onnx")
    assert run("build", str(model), "--output", str(tmp_path / "site"))[0] == 0
    before = {p: p.read_bytes() for p in (tmp_path / "site").rglob("*") if p.is_file()}
    monkeypatch.setitem(sys.modules, "onnxruntime", None)  # as if not installed
    code, out = run("build", str(model), "--output", str(tmp_path / "site"), "--quantize", "fp16")
    assert code == 2
    assert "--quantize needs onnxruntime, which is not installed" in out and "shipyard[verify]" in out
    assert {p: p.read_bytes() for p in (tmp_path / "site").rglob("*") if p.is_file()} == before
