"""What the repairs decide before onnxruntime-web runs anything: whether an IR version may be
lowered, which opsets to try, and a repair recorded for the cache and read back."""

from __future__ import annotations

from pathlib import Path

import onnx

from shipyard.model.repair import (
    ConvertedOpset,
    LoweredIr,
    newer_than,
    opset_candidates,
    repair_dict,
    repair_from_dict,
)
from tests.support.refused_models import float6_model, ir14_model, padded_pool_model


def test_an_ir_version_may_be_lowered_unless_a_newer_type_is_used(tmp_path: Path) -> None:
    assert newer_than(onnx.load(str(ir14_model(tmp_path / "relu.onnx"))), 13) == []
    float6 = onnx.load(str(float6_model(tmp_path / "float6.onnx")))
    assert newer_than(float6, 13) == ["FLOAT6E2M3 (IR 14)"]
    assert newer_than(float6, 14) == []


def test_the_opsets_tried_are_those_where_an_operator_of_the_model_changes(tmp_path: Path) -> None:
    pool = onnx.load(str(padded_pool_model(tmp_path / "pool.onnx")))  # AveragePool at opset 6
    assert opset_candidates(pool)[:5] == [7, 10, 11, 19, 22]  # and any version onnx adds later


def test_a_recorded_repair_reads_back_as_itself() -> None:
    for repair in (LoweredIr(14, 13), ConvertedOpset(6, 7, "has no kernel for Gemm-6")):
        assert repair_from_dict(repair_dict(repair)) == repair
