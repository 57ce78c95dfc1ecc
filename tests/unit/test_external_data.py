"""Weights left in their files: a model read without its weights, the problems of its data
files, and the site's copy (the graph in model.onnx, every weight in model.data)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx
import pytest
from google.protobuf.message import DecodeError
from onnx import numpy_helper

from shipyard.model.external import (
    PREPACK_LIMIT,
    Extent,
    SiteModel,
    data_problems,
    external_tensors,
    write_site_model,
)
from shipyard.model.load import load_model, model_size
from shipyard.model.prepared import prepare_model
from shipyard.model.skeleton import INLINE_LIMIT, read_skeleton
from shipyard_runtime.names import FILES
from tests.support.weights import mlp, save_external, save_one_file


def weights(model: onnx.ModelProto, base: Path) -> dict[str, np.ndarray]:
    """Each initializer's values, read from its file when it is external."""
    return {t.name: numpy_helper.to_array(t, str(base)) for t in model.graph.initializer}


def test_a_model_is_read_without_its_large_weights(tmp_path: Path) -> None:
    path = save_one_file(mlp(), tmp_path / "m.onnx")
    whole, skeleton = onnx.load(str(path)), read_skeleton(path)
    assert skeleton.ByteSize() < 1024 < whole.ByteSize()
    assert skeleton.graph.node == whole.graph.node and skeleton.graph.input == whole.graph.input
    kept = {t.name for t in skeleton.graph.initializer if t.data_location != onnx.TensorProto.EXTERNAL}
    assert kept == {t.name for t in whole.graph.initializer if len(t.raw_data) < INLINE_LIMIT} == {"b1"}
    for name, array in weights(whole, tmp_path).items():
        np.testing.assert_array_equal(weights(skeleton, tmp_path)[name], array)


@pytest.mark.parametrize("location", ["weights.bin", None])
def test_the_site_gets_the_graph_and_one_data_file_whatever_the_original_had(
    tmp_path: Path, location: str | None
) -> None:
    original = save_external(mlp(), tmp_path / "m.onnx", location)
    model = load_model(original)
    assert data_problems(model, tmp_path) == []
    assert model_size(original, model) == sum(p.stat().st_size for p in tmp_path.iterdir())
    site = tmp_path / "site"
    site.mkdir()
    written = write_site_model(model, tmp_path, site)
    assert written == SiteModel((FILES.model, FILES.model_data), (site / FILES.model_data).stat().st_size)
    shipped = onnx.load(str(site / FILES.model), load_external_data=False)
    assert {Extent.of(t).location for _, t in external_tensors(shipped)} == {FILES.model_data}
    for name, array in weights(onnx.load(str(original)), tmp_path).items():
        np.testing.assert_array_equal(weights(shipped, site)[name], array)


def test_a_model_without_weights_is_one_file(tmp_path: Path) -> None:
    model = onnx.helper.make_model(onnx.helper.make_graph([], "empty", [], []))
    assert write_site_model(model, tmp_path, tmp_path) == SiteModel((FILES.model,), 0)
    assert SiteModel((FILES.model,), 0).session() == {}


def test_the_page_opens_the_weights_through_external_data_and_big_ones_unpacked() -> None:
    files = (FILES.model, FILES.model_data)
    external = {"externalData": [{"path": FILES.model_data, "data": f"./{FILES.model_data}"}]}
    assert SiteModel(files, PREPACK_LIMIT).session() == external
    unpacked = {"extra": {"session": {"disable_prepacking": "1"}}}
    assert SiteModel(files, PREPACK_LIMIT + 1).session() == external | unpacked


def test_missing_outside_and_short_data_files_name_the_tensors_that_need_them(tmp_path: Path) -> None:
    path = save_external(mlp(), tmp_path / "m.onnx", None)  # one file per tensor, named after it
    (tmp_path / "w1").unlink()
    (tmp_path / "w2").write_bytes(b"\0" * 10)
    model = onnx.load(str(path), load_external_data=False)
    model.graph.initializer[1].external_data[0].value = "../b1"
    assert [str(p) for p in data_problems(model, tmp_path)] == [
        "external data file w1 is missing next to the model: initializer 'w1' needs it",
        "external data file '../b1' (initializer 'b1') is not in the model's folder",
        "external data file w2 is 10 bytes, too short for initializer 'w2': is it complete?",
    ]


def test_the_prepared_model_is_inspected_with_its_weights(tmp_path: Path) -> None:
    path = save_external(mlp(), tmp_path / "m.onnx", "weights.bin")
    prepared = prepare_model(path)
    assert prepared.info.problems == []
    assert prepared.original.size == path.stat().st_size + (tmp_path / "weights.bin").stat().st_size


def test_a_truncated_file_is_not_protobuf(tmp_path: Path) -> None:
    path = save_one_file(mlp(), tmp_path / "m.onnx")
    path.write_bytes(path.read_bytes()[:-100])
    with pytest.raises(DecodeError):
        read_skeleton(path)
