"""onnxruntime-web's error text read and said in words: its status codes never alone, its
C++ source locations and failed checks left out. The texts are as onnxruntime-web 1.30 wrote
them in Node (tests/build/test_validation.py makes it write them)."""

from __future__ import annotations

from shipyard.model.ort_errors import read_failure

NO_KERNEL = (
    "Can't create a session. ERROR_CODE: 9, ERROR_MESSAGE: Could not find an implementation for "
    "AveragePool(1) node with name 'pool'"
)
IR = (
    "Can't create a session. ERROR_CODE: 1, ERROR_MESSAGE: /mnt/azure_nvme_temp/_work/1/s/onnxruntime/"
    "core/graph/model.cc:203 onnxruntime::Model::Model(ModelProto &&, const PathString &, const "
    "IOnnxRuntimeOpSchemaRegistryList *, const logging::Logger &, const ModelOptions &) Unsupported "
    "model IR version: 14, max supported IR version: 13\n"
)
CHECK = (
    "failed to call OrtRun(). ERROR_CODE: 1, ERROR_MESSAGE: /mnt/azure_nvme_temp/_work/1/s/onnxruntime/"
    "core/providers/cpu/math/element_wise_ops.h:563 void onnxruntime::BroadcastIterator::Init(ptrdiff_t, "
    "ptrdiff_t) axis == 1 || axis == largest was false. Attempting to broadcast an axis by a dimension "
    "other than 1. 3 by 4\n"
)


def test_a_missing_kernel_names_the_operator_its_version_and_node() -> None:
    failure = read_failure(NO_KERNEL, opening=True)
    assert (failure.operator, failure.version, failure.node) == ("AveragePool", 1, "pool")
    assert (
        failure.describe("ai.onnx opset 6")
        == "has no kernel for AveragePool-1 (ai.onnx opset 6, node 'pool')"
    )


def test_source_locations_signatures_and_failed_conditions_are_left_out() -> None:
    assert read_failure(IR, opening=True).describe() == "reads IR versions up to 13, and the model's is 14"
    failure = read_failure(CHECK, opening=False)
    assert failure.reason == "Attempting to broadcast an axis by a dimension other than 1. 3 by 4"
    assert failure.describe() == f"cannot run the model: {failure.reason}"


def test_a_bare_status_code_becomes_words() -> None:
    failure = read_failure("Can't create a session. ERROR_CODE: 9", opening=True)
    assert failure.describe() == (
        "cannot open the model: something it needs is not implemented (onnxruntime status 9)"
    )
