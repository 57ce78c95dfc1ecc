"""The dtype table: parsing what people type, range checks, and packing to buffers."""

from __future__ import annotations

import array

import numpy as np
import pytest

from shipyard_runtime.dtypes import BY_ONNX, DTYPES, ValueProblem


def test_table_covers_every_type_onnxruntime_web_accepts() -> None:
    assert sorted(DTYPES) == sorted(
        [
            "float32",
            "float64",
            "int8",
            "uint8",
            "int16",
            "uint16",
            "int32",
            "uint32",
            "int64",
            "uint64",
            "bool",
            "string",
        ]
    )
    assert all(BY_ONNX[d.onnx] is d for d in DTYPES.values())


@pytest.mark.parametrize("dtype", [d for d in DTYPES.values() if d.kind == "int"], ids=str)
def test_integer_ranges_match_numpy(dtype) -> None:  # type: ignore[no-untyped-def]
    info = np.iinfo(dtype.numpy)
    assert (dtype.low, dtype.high) == (int(info.min), int(info.max))
    assert dtype.parse(str(info.max)) == int(info.max)
    with pytest.raises(ValueProblem, match="does not fit"):
        dtype.parse(str(int(info.max) + 1))
    assert array.array(dtype.typecode, [0]).itemsize == np.dtype(dtype.numpy).itemsize


@pytest.mark.parametrize(
    ("name", "text", "value"),
    [
        ("float32", "45.19", 45.19),
        ("float32", " 0 ", 0.0),
        ("float64", "-1e-300", -1e-300),
        ("int32", "3.0", 3),
        ("int64", "9223372036854775807", 2**63 - 1),
        ("bool", "true", True),
        ("bool", "", False),
        ("string", " hi ", "hi"),
    ],
)
def test_parse_accepts_what_people_type(name: str, text: str, value: object) -> None:
    assert DTYPES[name].parse(text) == value


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("float32", "abc", "is not a number"),
        ("float32", "", "a value is required"),
        ("float32", "1e39", "too large for float32"),
        ("float64", "nan", "finite"),
        ("int8", "1.5", "not a whole number"),
        ("uint8", "-1", "does not fit in uint8"),
        ("bool", "maybe", "not true or false"),
    ],
)
def test_parse_rejects_with_a_reason(name: str, text: str, message: str) -> None:
    with pytest.raises(ValueProblem, match=message):
        DTYPES[name].parse(text)


def test_check_rejects_values_of_the_wrong_kind() -> None:
    with pytest.raises(ValueProblem, match="expected a number"):
        DTYPES["float32"].check(True)
    with pytest.raises(ValueProblem, match="expected text"):
        DTYPES["string"].check(3)
    with pytest.raises(ValueProblem, match="expected true or false"):
        DTYPES["bool"].check(1)


def test_pack_and_unpack_round_trip_every_type() -> None:
    samples = {"float32": [1.5, -2.0], "float64": [0.1, 1e300], "bool": [True, False], "string": ["a", ""]}
    for dtype in DTYPES.values():
        values = samples.get(dtype.name, [dtype.low, dtype.high])
        buffer = dtype.pack(values)
        assert isinstance(buffer, list if dtype.kind == "string" else array.array)
        assert dtype.unpack(memoryview(buffer) if isinstance(buffer, array.array) else buffer) == values
