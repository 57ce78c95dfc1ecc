"""One submission's feeds as they cross into JS: the packed buffer, its layout, long
float arrays left where they live (`ForeignArray`), and the checks JS may run itself."""

from __future__ import annotations

import array
import math
import sys

import numpy as np
import pytest

from shipyard_runtime.hooks import Hooks
from shipyard_runtime.plan import JS_SAFE_INTEGER, js_checks, page_plan
from shipyard_runtime.spec import AppSpec
from shipyard_runtime.tensors import ALIGN, PACKED_MAX, FeedLayout
from shipyard_runtime.values import ForeignArray, InputError, from_api

SAMPLES = {
    "float32": [1.5],
    "float64": [-2.25],
    "int8": [-128],
    "uint8": [255],
    "int16": [-32768],
    "uint16": [65535],
    "int32": [-(2**31)],
    "uint32": [2**32 - 1],
    "int64": [-(2**63)],
    "uint64": [2**64 - 1],
    "bool": [True],
}


# What the plan says of where each model input travels.
WHERE = ("name", "type", "typed", "dims", "offset")


def app(inputs: dict[str, object]) -> AppSpec:
    outputs = {"y": {"type": "float32", "shape": [1]}}
    return AppSpec.from_dict({"name": "feeds", "inputs": inputs, "outputs": outputs})


def test_every_numeric_type_packs_at_an_aligned_offset_and_reads_back() -> None:
    numbers = {n: {"type": n, "shape": [None, 1]} for n in SAMPLES}
    spec = app(numbers | {"words": {"type": "string", "shape": [1]}})
    layout = FeedLayout(spec)
    values = dict(SAMPLES) | {"words": ["a b"]}
    packed, own, _ = layout.pack(values)
    assert own == [["a b"]]
    for slot in layout.slots[:-1]:
        assert slot.offset is not None and slot.offset % ALIGN == 0
        dtype = np.dtype(slot.dtype.numpy).newbyteorder("<")
        read = np.frombuffer(packed, dtype, count=1, offset=slot.offset).tolist()
        assert read == values[slot.name]
    assert layout.slots[-1].offset is None
    assert len(packed) % ALIGN == 0


def test_long_inputs_travel_on_their_own_and_the_layout_names_each_typed_array() -> None:
    spec = app({"small": {"type": "float32", "shape": [1, 3]}, "long": {"type": "float32", "shape": [1, 65]}})
    layout = FeedLayout(spec)
    packed, own, _ = layout.pack({"small": [1.0, 2.0, 3.0], "long": [0.5] * (PACKED_MAX + 1)})
    assert array.array("f", packed[:12]).tolist() == [1.0, 2.0, 3.0]
    assert own == [array.array("f", [0.5] * 65)]
    where = [{key: i[key] for key in WHERE} for i in page_plan(spec, Hooks(), layout)["inputs"]]
    assert where == [
        dict(zip(WHERE, ["small", "float32", "Float32Array", [1, 3], 0], strict=True)),
        dict(zip(WHERE, ["long", "float32", "Float32Array", [1, 65], None], strict=True)),
    ]


class HeldArray(ForeignArray):
    """A ForeignArray on CPython: an array.array standing in for a JS typed array."""

    def __init__(self, typecode: str, values: list[float]) -> None:
        self.typecode = typecode
        self.held = array.array(typecode, values)

    def __len__(self) -> int:
        return len(self.held)

    def all_within(self, low: float, high: float) -> bool:
        return all(math.isfinite(v) and low <= v <= high for v in self.held)

    def to_memoryview(self) -> memoryview:
        return memoryview(self.held)


LONG = {"picture": {"type": "float32", "shape": [1, 100], "min": 0, "max": 1}}


def test_a_foreign_array_that_passes_is_handed_on_uncopied() -> None:
    held = HeldArray("f", [0.25] * 100)
    values = from_api(app(LONG), {"picture": held})
    assert values["picture"] is held
    assert FeedLayout(app(LONG)).pack(values)[1] == [held]


@pytest.mark.parametrize(
    ("typecode", "values", "problem"),
    [
        ("f", [0.5] * 99 + [1.5], "value 100: must be at most 1"),
        ("f", [0.5, math.nan] + [0.5] * 98, "value 2: enter a finite number"),
        ("f", [0.5] * 99, "expected 100 values, got 99"),
        ("d", [0.5] * 99 + [-1.0], "value 100: must be at least 0"),
    ],
)
def test_a_foreign_array_that_fails_is_copied_and_worded_as_any_row(
    typecode: str, values: list[float], problem: str
) -> None:
    with pytest.raises(InputError) as rejected:
        from_api(app(LONG), {"picture": HeldArray(typecode, values)})
    assert dict(rejected.value.problems) == {"picture": problem}


def test_a_foreign_array_of_another_type_is_copied_and_rounded_to_the_input_type() -> None:
    values = from_api(app(LONG), {"picture": HeldArray("d", [0.1] * 100)})
    assert values["picture"] == array.array("f", [0.1] * 100)


def test_a_short_foreign_array_is_packed_with_the_other_small_inputs() -> None:
    spec = app({"row": {"type": "float32", "shape": [1, 3]}})
    values = from_api(spec, {"row": HeldArray("f", [0.5, 1.5, 2.5])})
    packed, own, _ = FeedLayout(spec).pack(values)
    assert array.array("f", packed[:12]).tolist() == [0.5, 1.5, 2.5] and own == []


def test_js_checks_are_pythons_bounds_kept_within_what_js_numbers_hold_exactly() -> None:
    spec = app(
        {
            "a": {"type": "float32", "shape": [1], "min": 0, "max": 1},
            "b": {"type": "float64", "shape": [1]},
            "c": {"type": "int64", "shape": [1], "min": -5},
            "d": {"type": "uint8", "shape": [1]},
            "e": {"type": "bool", "shape": [1]},
            "f": {"type": "string", "shape": [1]},
        }
    )
    checks = js_checks(spec)
    assert checks is not None
    assert checks[:4] == [
        ("float", 0, 1, None),
        ("float", -sys.float_info.max, sys.float_info.max, None),
        ("int", -5, JS_SAFE_INTEGER, None),
        ("int", 0, 255, None),
    ]
    assert [kind for kind, *_ in checks[4:]] == ["bool", "string"]


def test_js_checks_carry_the_values_choices_allow() -> None:
    menu = {"type": "int64", "shape": [1], "choices": {"one": 1, "two": 2}}
    assert js_checks(app({"x": menu})) == [("int", -JS_SAFE_INTEGER, JS_SAFE_INTEGER, [1, 2])]
