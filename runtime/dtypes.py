"""The tensor element types shipyard supports: one table for the generator and the browser.

Each entry says how a value of that type is parsed from form text, checked,
packed into a buffer that becomes the JS typed array onnxruntime-web expects,
and read back.
"""

from __future__ import annotations

import array
import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from .problems import ShipyardError

Kind = Literal["float", "int", "bool", "string"]
Value = float | int | bool | str

FLOAT32_MAX = 3.4028234663852886e38


class ValueProblem(ShipyardError):
    """A single value that does not fit its type; the message is for the user."""


@dataclass(frozen=True)
class DType:
    """One ONNX element type as onnxruntime-web names it."""

    name: str
    kind: Kind
    typecode: str | None  # `array` typecode; None for strings (a list of str)
    js_array: str  # the JS container onnxruntime-web takes for this type
    numpy: str
    onnx: int  # TensorProto.DataType value
    low: float | int | None = None
    high: float | int | None = None

    @property
    def range(self) -> tuple[float, float]:
        """The least and greatest number `check` accepts (finite ones only, for floats)."""
        if self.kind == "int":
            assert self.low is not None and self.high is not None
            return self.low, self.high
        largest = FLOAT32_MAX if self.name == "float32" else math.inf
        return -largest, largest

    def parse(self, text: str) -> Value:
        """Turn what a person typed into a value of this type, or raise ValueProblem."""
        text = text.strip()
        if self.kind == "string":
            return text
        if self.kind == "bool":
            return _parse_bool(text)
        if not text:
            raise ValueProblem("a value is required")
        if self.kind == "int":
            return self.check(_parse_int(text))
        return self.check(_parse_float(text))

    def check(self, value: object) -> Value:
        """Check that an already-typed value (from JS or YAML) fits this type."""
        if self.kind == "string":
            if not isinstance(value, str):
                raise ValueProblem(f"expected text, got {_describe(value)}")
            return value
        if self.kind == "bool":
            if not isinstance(value, bool):
                raise ValueProblem(f"expected true or false, got {_describe(value)}")
            return value
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueProblem(f"expected a number, got {_describe(value)}")
        if self.kind == "int":
            return self._check_int(value)
        return self._check_float(float(value))

    def _check_int(self, value: int | float) -> int:
        if isinstance(value, float):
            if not value.is_integer():
                raise ValueProblem(f"{value:g} is not a whole number")
            value = int(value)
        assert self.low is not None and self.high is not None
        if not self.low <= value <= self.high:
            raise ValueProblem(f"{value} does not fit in {self.name} ({self.low} to {self.high})")
        return value

    def _check_float(self, value: float) -> float:
        if math.isnan(value) or math.isinf(value):
            raise ValueProblem("enter a finite number")
        if self.name == "float32" and abs(value) > FLOAT32_MAX:
            raise ValueProblem(f"{value:g} is too large for float32")
        return value

    def pack(self, values: Sequence[Value]) -> array.array | list[Value]:
        """A buffer of these values: `array.array` for numbers and bools, a list for strings."""
        if self.typecode is None:
            return list(values)
        if isinstance(values, array.array) and values.typecode == self.typecode:
            return values
        return array.array(self.typecode, values)  # bools are ints: True packs as 1

    def unpack(self, data: object) -> list[Value]:
        """Python values from a flat buffer (memoryview, array or list) of this type."""
        items = list(data)  # type: ignore[call-overload]
        if self.kind == "bool":
            return [bool(v) for v in items]
        return items


# For each byte value: does it hold the exponent bits that make an IEEE float infinite or
# NaN? In a little-endian float32 they are the low 7 bits of the last byte and the top bit
# of the one before; in a float64, the low 7 bits of the last and the top 4 of the one before.
_TOP_EXPONENT = bytes(int(b & 0x7F == 0x7F) for b in range(256))
_NEXT_EXPONENT = {
    4: bytes(int(b & 0x80 == 0x80) for b in range(256)),
    8: bytes(int(b & 0xF0 == 0xF0) for b in range(256)),
}


def all_finite(values: Sequence[float]) -> bool:
    """Whether floats hold no infinity or NaN; for an array, read off its bytes in C (a loop
    over a picture's values in Python costs far more in Pyodide)."""
    size = values.itemsize if isinstance(values, array.array) else 0
    if sys.byteorder != "little" or size not in _NEXT_EXPONENT:
        return all(map(math.isfinite, values))
    assert isinstance(values, array.array)
    data = values.tobytes()
    top = data[size - 1 :: size].translate(_TOP_EXPONENT)
    below = data[size - 2 :: size].translate(_NEXT_EXPONENT[size])
    return not int.from_bytes(top) & int.from_bytes(below)


def _parse_bool(text: str) -> bool:
    lowered = text.lower()
    if lowered in ("true", "1", "yes", "on"):
        return True
    if lowered in ("false", "0", "no", "off", ""):
        return False
    raise ValueProblem(f"{text!r} is not true or false")


def _parse_int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        pass
    try:
        number = float(text)
    except ValueError:
        raise ValueProblem(f"{text!r} is not a whole number") from None
    if not number.is_integer():
        raise ValueProblem(f"{text!r} is not a whole number")
    return int(number)


def _parse_float(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise ValueProblem(f"{text!r} is not a number") from None


def is_nothing(value: object) -> bool:
    """None, or JS's null as Pyodide converts it (`pyodide.ffi.jsnull`, which is not None;
    named here by its type, since this module runs on CPython too)."""
    return value is None or type(value).__name__ == "JsNull"


def _describe(value: object) -> str:
    return "nothing" if is_nothing(value) else f"{type(value).__name__} {value!r}"


def _int(name: str, typecode: str, js: str, onnx: int, bits: int, signed: bool) -> DType:
    low = -(2 ** (bits - 1)) if signed else 0
    high = 2 ** (bits - 1) - 1 if signed else 2**bits - 1
    return DType(name, "int", typecode, js, name, onnx, low, high)


DTYPES: dict[str, DType] = {
    d.name: d
    for d in (
        DType("float32", "float", "f", "Float32Array", "float32", 1),
        DType("float64", "float", "d", "Float64Array", "float64", 11),
        _int("int8", "b", "Int8Array", 3, 8, True),
        _int("uint8", "B", "Uint8Array", 2, 8, False),
        _int("int16", "h", "Int16Array", 5, 16, True),
        _int("uint16", "H", "Uint16Array", 4, 16, False),
        _int("int32", "i", "Int32Array", 6, 32, True),
        _int("uint32", "I", "Uint32Array", 12, 32, False),
        _int("int64", "q", "BigInt64Array", 7, 64, True),
        _int("uint64", "Q", "BigUint64Array", 13, 64, False),
        DType("bool", "bool", "B", "Uint8Array", "bool", 9),
        DType("string", "string", None, "Array", "object", 8),
    )
}

BY_ONNX: dict[int, DType] = {d.onnx: d for d in DTYPES.values()}
