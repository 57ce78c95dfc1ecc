"""Tensors as plain Python data: what goes to onnxruntime-web and what comes back.

A `Feed` holds a buffer that Pyodide turns into the right JS typed array in one
copy; a `FeedLayout` packs one submission's small inputs into a single buffer, so a
prediction crosses into JS once; an `Output` holds flat Python values. Nothing here
touches JS, so the same code runs on CPython in tests and at build time.
"""

from __future__ import annotations

import array
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .dims import Shaped
from .dtypes import DTYPES, DType, Value
from .spec import AppSpec, InputSpec, Show
from .values import ForeignArray, Values


@dataclass(frozen=True)
class Feed:
    name: str
    dtype: DType
    dims: tuple[int, ...]
    data: array.array | list[Value]


# Inputs of at most this many numbers share the packed buffer; longer ones (a picture)
# travel as their own buffer, which saves copying them once more into the shared one.
PACKED_MAX = 64
ALIGN = 8  # each packed input starts where any JS typed array may view it


@dataclass(frozen=True)
class Slot:
    """Where one model input travels: at `offset` in the packed buffer, or (None) on its own.
    `dims` is None when each submission's value sets them (free dimensions)."""

    name: str
    dtype: DType
    dims: tuple[int, ...] | None
    offset: int | None


class FeedLayout:
    """One submission's feeds as one buffer plus the inputs that travel on their own.

    Converting each feed to a JS typed array costs more than onnxruntime-web's whole run of
    a small model; one `struct` pack and one buffer for all small numeric inputs cost
    little beside it. The layout is fixed by the spec, so JS learns it once (`plan.page_plan`).
    """

    def __init__(self, app: AppSpec) -> None:
        self.slots: list[Slot] = []
        self._packed: list[str] = []
        layout = "<"
        offset = 0
        for spec in app.inputs:
            code = spec.dtype.typecode
            if code is None or spec.size > PACKED_MAX or spec.free:
                self.slots.append(Slot(spec.key, spec.dtype, None if spec.free else spec.dims, None))
                continue
            self.slots.append(Slot(spec.key, spec.dtype, spec.dims, offset))
            self._packed.append(spec.key)
            width = spec.size * struct.calcsize(f"<{code}")
            padding = -width % ALIGN
            layout += f"{spec.size}{code}{padding}x"
            offset += width + padding
        self._struct = struct.Struct(layout)

    def pack(
        self, values: Values
    ) -> tuple[bytes | None, list[array.array | list[Value] | ForeignArray], list[Any]]:
        """The packed buffer, each unpacked input's buffer in the slots' order, and beside
        each its dims when its value sets them (None otherwise: the slot's). A batch of
        several rows in an input that packs makes every input travel on its own (no buffer)."""
        if any(isinstance(values[name], Shaped) for name in self._packed):
            whole = [(slot.dtype, values[slot.name]) for slot in self.slots]
            return None, [_own(dtype, row) for dtype, row in whole], [_dims(row) for _, row in whole]
        packed = self._struct.pack(*[v for name in self._packed for v in values[name]])
        own = [(slot.dtype, values[slot.name]) for slot in self.slots if slot.offset is None]
        return packed, [_own(dtype, row) for dtype, row in own], [_dims(row) for _, row in own]


@dataclass(frozen=True)
class Output:
    name: str
    dtype: DType
    dims: tuple[int, ...]
    values: list[Value]
    show: Show | None = None  # how to show it, when the metadata says

    def to_result(self) -> dict[str, Any]:
        """The JSON-like form `window.shipyard.predict` resolves to for this output."""
        return {"type": self.dtype.name, "dims": list(self.dims), "data": list(self.values)}


def feed(spec: InputSpec, row: Sequence[Value]) -> Feed:
    """One checked row as its model input's tensor, in the dims it fills."""
    data = row.data if isinstance(row, Shaped) else row
    return Feed(spec.key, spec.dtype, spec.dims_of(row), spec.dtype.pack(data))


def read_output(app: AppSpec, name: str, type_name: str, dims: list[int], data: object) -> Output:
    """An output as onnxruntime-web gave it: element type name, dims and a flat buffer."""
    dtype = DTYPES[type_name]
    spec = next((o for o in app.outputs if o.key == name), None)
    return Output(name, dtype, tuple(int(d) for d in dims), dtype.unpack(data), spec.show if spec else None)


def _dims(row: Sequence[Value]) -> list[int] | None:
    return list(row.dims) if isinstance(row, Shaped) else None


def _own(dtype: DType, values: Sequence[Value]) -> array.array | list[Value] | ForeignArray:
    data = values.data if isinstance(values, Shaped) else values
    return data if isinstance(data, ForeignArray) else dtype.pack(data)
