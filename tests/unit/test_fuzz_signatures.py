"""Whatever `shipyard init` writes for a model builds, for any signature: every type
shipyard carries, rank 0 to 5, and fixed, named, unset and -1 dimensions
(tests/support/signatures.py).

The metadata goes the way a user's file does: inferred, written as `init` writes it,
read back and reconciled with the model as `shipyard build` reconciles it. (The build's
check in onnxruntime-web runs on fewer of them, in tests/build/test_signatures.py.)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, example, given, settings

from shipyard.metadata.read import app_document, load_document
from shipyard.metadata.reconcile import reconcile
from shipyard.metadata.write import render_metadata
from shipyard.model.load import read_signature
from shipyard.model.prepared import prepare_model
from tests.support.models import signature_model
from tests.support.signatures import Signature, signatures


def init_then_build(model: Path) -> dict[str, Any]:
    """`shipyard init`'s file for `model`, reconciled as `shipyard build --metadata` does,
    and the model reconciled with no file, as `shipyard build` without one; returns the
    file as read."""
    prepared = prepare_model(model)
    file = model.with_suffix(".yml")
    file.write_text(render_metadata(prepared.inferred(), model.name, file.name))
    given = app_document(load_document(file))
    for document in (given, {}):
        reconcile(prepared.inferred(), document, read_signature(prepared.model), file)
    return given


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(signatures(cast=True))
@example(signature=([("x", "float32", ["sequence", 1, "batch", "batch"])], ["float32"]))
def test_what_init_writes_builds(tmp_path: Path, signature: Signature) -> None:
    inputs, output_types = signature
    given_file = init_then_build(signature_model(tmp_path / "model.onnx", inputs, output_types))
    for key, entry in given_file["inputs"].items():
        assert -1 not in entry["shape"], key


def test_a_big_fixed_input_builds(tmp_path: Path) -> None:
    init_then_build(
        signature_model(tmp_path / "m.onnx", [("photo", "float32", [1, 3, 1024, 1024])], ["float32"])
    )
