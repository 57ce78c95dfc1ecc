"""Whatever `shipyard init` writes for a model builds, for any signature: every type
shipyard carries, rank 0 to 5, and fixed, named, unset and -1 dimensions.

The metadata goes the way a user's file does: inferred, written as `init` writes it,
read back and reconciled with the model as `shipyard build` reconciles it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shipyard.metadata.read import app_document, load_document
from shipyard.metadata.reconcile import reconcile
from shipyard.metadata.write import render_metadata
from shipyard.model.load import read_signature
from shipyard.model.prepared import prepare_model
from shipyard_runtime.dtypes import DTYPES
from tests.support.models import Tensor, signature_model
from tests.support.pending import ELEMENT_LIMIT

Dim = int | str | None

FIXED = st.integers(1, 4)
DYNAMIC = st.sampled_from(["batch", "sequence", "height", None, -1])
# Names as exporters write them, some of them a state's (see shipyard.model.infer).
NAMES = [
    "x",
    "input.1",
    "input:0",
    "0",
    "null",
    "pixel_values",
    "input_ids",
    "h0",
    "state",
    "past_key_values.0.key",
]


def shapes(inner: st.SearchStrategy[Dim]) -> st.SearchStrategy[list[Dim]]:
    """Rank 0 to 5: the first dimension (a batch) fixed or dynamic, the others drawn from `inner`."""
    ranked = st.tuples(FIXED | DYNAMIC, st.lists(inner, max_size=4)).map(lambda dims: [dims[0], *dims[1]])
    return st.just([]) | ranked


def signatures(inner: st.SearchStrategy[Dim]) -> st.SearchStrategy[tuple[list[Tensor], list[str]]]:
    """Inputs of every type and shape, and the type each one's output is cast to."""
    tensor = st.tuples(st.sampled_from(NAMES), st.sampled_from(list(DTYPES)), shapes(inner))
    inputs = st.lists(tensor, min_size=1, max_size=4, unique_by=lambda t: t[0])
    return inputs.flatmap(
        lambda ins: st.tuples(
            st.just(ins), st.lists(st.sampled_from(list(DTYPES)), min_size=len(ins), max_size=len(ins))
        )
    )


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
@given(signatures(FIXED | DYNAMIC))
def test_what_init_writes_builds(tmp_path: Path, signature: tuple[list[Tensor], list[str]]) -> None:
    inputs, output_types = signature
    given_file = init_then_build(signature_model(tmp_path / "model.onnx", inputs, output_types))
    for key, entry in given_file["inputs"].items():
        assert -1 not in entry["shape"], key


@ELEMENT_LIMIT
def test_a_big_fixed_input_builds(tmp_path: Path) -> None:
    init_then_build(
        signature_model(tmp_path / "m.onnx", [("photo", "float32", [1, 3, 1024, 1024])], ["float32"])
    )
