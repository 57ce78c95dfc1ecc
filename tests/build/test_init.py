"""`shipyard init` and a build without metadata: what they infer builds as it is, and a
partial file is merged over it."""

from __future__ import annotations

from pathlib import Path

from shipyard.metadata.read import load_metadata
from shipyard.model.prepared import prepare_model
from tests.support import classifiers
from tests.support.cli import run
from tests.support.models import edge_model


def test_init_writes_a_commented_file_that_build_accepts_unchanged(tmp_path: Path) -> None:
    model = classifiers.forest_strings(tmp_path / "wine.onnx")
    assert run("init", str(model), "-o", str(tmp_path / "metadata.yml"))[0] == 0
    text = (tmp_path / "metadata.yml").read_text()
    assert text.startswith("# Metadata for wine.onnx") and "# min: 0" in text
    app = load_metadata(tmp_path / "metadata.yml")
    label, probabilities = app.outputs
    assert (label.show.display, probabilities.show.display) == ("label", "probabilities")
    assert probabilities.show.labels == ("barbera", "barolo", "grignolino")
    code, out = run(
        "build", str(model), "--metadata", str(tmp_path / "metadata.yml"), "--output", str(tmp_path / "s")
    )
    assert code == 0, out


def test_symbolic_dims_multiple_outputs_and_an_unused_input(tmp_path: Path) -> None:
    document = prepare_model(edge_model(tmp_path / "edge_model.onnx")).inferred()
    assert document["name"] == "Edge model"
    assert document["inputs"]["x"]["shape"] == ["batch", 3]
    assert list(document["inputs"]) == ["x", "unused"]
    assert list(document["outputs"]) == ["total", "double"]
    code, out = run("build", str(tmp_path / "edge_model.onnx"), "--output", str(tmp_path / "site"))
    assert code == 0, out


def test_partial_metadata_is_merged_over_the_inferred(tmp_path: Path) -> None:
    edge_model(tmp_path / "m.onnx")
    (tmp_path / "m.yml").write_text("name: Mine\ninputs:\n  x: {name: Numbers, min: 0}\n  unused: {}\n")
    model, metadata, site = (str(tmp_path / name) for name in ("m.onnx", "m.yml", "s"))
    code, out = run("build", model, "--metadata", metadata, "--output", site)
    assert code == 0, out
    html = (tmp_path / "s" / "index.html").read_text()
    assert "<h1>Mine</h1>" in html and ">Numbers</legend>" in html and 'min="0"' in html
