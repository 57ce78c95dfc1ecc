"""Fuzzing the metadata loader: anything a user can write either builds or fails cleanly.

"Cleanly" means a MetadataError (file, key, reason), never any other exception.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shipyard.errors import MetadataError
from shipyard.metadata.read import load_document
from shipyard.metadata.reconcile import reconcile
from shipyard.model.load import read_signature
from shipyard.model.prepared import prepare_model
from tests.support.sites import EXAMPLES

HOUSING = prepare_model(EXAMPLES / "housing" / "model.onnx")
INFERRED = HOUSING.inferred()
SIGNATURE = read_signature(HOUSING.model)
VALID = yaml.safe_load((EXAMPLES / "housing" / "metadata.yml").read_text())
FILE = Path("metadata.yml")

scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12)
keys = st.sampled_from(
    [
        "name",
        "type",
        "shape",
        "min",
        "max",
        "step",
        "default",
        "display",
        "labels",
        "inputs",
        "outputs",
        "examples",
        "MedInc",
        "Latitude",
        "variable",
    ]
) | st.text(max_size=8)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
    max_leaves=20,
)


def check(document: Any) -> None:
    try:
        reconcile(INFERRED, document, SIGNATURE, FILE)
    except MetadataError as error:
        assert str(FILE) in str(error)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(keys, values, max_size=5))
def test_arbitrary_documents_fail_cleanly(document: dict[str, Any]) -> None:
    check(document)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else []
    for key, child in children:
        found += _paths(child, (*prefix, key))
    return found


PATHS = _paths(VALID)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(PATHS), values)
def test_mutated_valid_files_build_or_fail_cleanly(path: tuple[Any, ...], value: Any) -> None:
    document = copy.deepcopy(VALID)
    node = document
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    check(document)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_yaml_text_fails_cleanly(tmp_path_factory: Any, text: str) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "metadata.yml"
    path.write_text(text)
    try:
        check(load_document(path))
    except MetadataError as error:
        assert str(path) in str(error)


def test_a_huge_shape_is_refused_before_anything_is_allocated() -> None:
    document = copy.deepcopy(VALID)
    document["inputs"]["AveRooms"]["shape"] = [2**32, 1]
    with pytest.raises(MetadataError) as error:
        reconcile(INFERRED, document, SIGNATURE, FILE)
    reason = dict(error.value.problems)["inputs.AveRooms.shape"]
    assert reason.startswith("4294967296 elements in one submission")
