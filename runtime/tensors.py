"""Tensors as plain Python data: what goes to onnxruntime-web and what comes back.

A `Feed` holds a buffer that Pyodide turns into the right JS typed array in one
copy; an `Output` holds flat Python values. Nothing here touches JS, so the
same code runs on CPython in tests and at build time.
"""

from __future__ import annotations

import array
from dataclasses import dataclass
from typing import Any

from .dtypes import DTYPES, DType, Value
from .spec import AppSpec, Show
from .values import Values


@dataclass(frozen=True)
class Feed:
    name: str
    dtype: DType
    dims: tuple[int, ...]
    data: array.array | list[Value]


def build_feeds(app: AppSpec, values: Values) -> list[Feed]:
    """One feed per model input, in the spec's order."""
    return [Feed(spec.key, spec.dtype, spec.dims, spec.dtype.pack(values[spec.key])) for spec in app.inputs]


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
