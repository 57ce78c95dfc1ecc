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

from .dtypes import DTYPES, DType, Value
from .spec import AppSpec, Show
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
    """Where one model input travels: at `offset` in the packed buffer, or (None) on its own."""

    name: str
    dtype: DType
    dims: tuple[int, ...]
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
            if code is None or spec.size > PACKED_MAX:
                self.slots.append(Slot(spec.key, spec.dtype, spec.dims, None))
                continue
            self.slots.append(Slot(spec.key, spec.dtype, spec.dims, offset))
            self._packed.append(spec.key)
            width = spec.size * struct.calcsize(f"<{code}")
            padding = -width % ALIGN
            layout += f"{spec.size}{code}{padding}x"
            offset += width + padding
        self._struct = struct.Struct(layout)

    def pack(self, values: Values) -> tuple[bytes, list[array.array | list[Value] | ForeignArray]]:
        """The packed buffer, and each unpacked input's buffer in the slots' order."""
        packed = self._struct.pack(*[v for name in self._packed for v in values[name]])
        return packed, [_own(slot.dtype, values[slot.name]) for slot in self.slots if slot.offset is None]


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


def read_output(app: AppSpec, name: str, type_name: str, dims: list[int], data: object) -> Output:
    """An output as onnxruntime-web gave it: element type name, dims and a flat buffer."""
    dtype = DTYPES[type_name]
    spec = next((o for o in app.outputs if o.key == name), None)
    return Output(name, dtype, tuple(int(d) for d in dims), dtype.unpack(data), spec.show if spec else None)


def _own(dtype: DType, values: Sequence[Value]) -> array.array | list[Value] | ForeignArray:
    return values if isinstance(values, ForeignArray) else dtype.pack(values)
