"""How a run in the browser and a run in onnxruntime compare, output by output: floats within
a tolerance, everything else equal. Plain data in, plain data out: unit-tested as it is.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from shipyard.verify.inputs import InputSet
from shipyard_runtime.dtypes import DTYPES
from shipyard_runtime.shapes import flatten, nested_shape

# One run's outputs, as `window.shipyard.predict` gives them: {name: {type, dims, data}};
# a string instead is the message the run failed with.
Result = dict[str, dict[str, Any]] | str


def comparable(result: Result) -> Result:
    """A result as `compare` takes it, from the page or from onnxruntime: integers that came
    back as text (the page's BigInts) made numbers again, and postprocess's entries as
    outputs of their own (see `entries_as_outputs`)."""
    if isinstance(result, str):
        return result
    entries = result.pop("postprocess", None)
    outputs = {name: _ints_from_text(output) for name, output in result.items()}
    return outputs | (entries_as_outputs(entries) if entries is not None else {})


def entries_as_outputs(entries: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """postprocess's `{name: value}` as outputs the comparison knows: numbers (and nested
    lists of them) as float64 within tolerance, anything else as its JSON text, compared exactly."""
    outputs = {}
    for name, value in entries.items():
        shape = nested_shape(value)
        items = flatten(value)
        if shape is not None and all(isinstance(v, int | float) and not isinstance(v, bool) for v in items):
            outputs[f"postprocess.{name}"] = {"type": "float64", "dims": list(shape) or [1], "data": items}
        else:
            text = json.dumps(value, sort_keys=True, ensure_ascii=False)
            outputs[f"postprocess.{name}"] = {"type": "string", "dims": [1], "data": [text]}
    return outputs


def _ints_from_text(output: dict[str, Any]) -> dict[str, Any]:
    dtype = DTYPES.get(output.get("type", ""))
    if dtype is None or dtype.kind != "int":
        return output
    return output | {"data": [int(v) if isinstance(v, str) else v for v in output["data"]]}


@dataclass
class OutputCheck:
    """One output over every input set: floats within tolerance, everything else equal."""

    name: str
    dtype: str
    compared: int = 0  # values compared
    mismatches: int = 0  # values past tolerance or unequal, and runs whose shapes differ
    max_abs: float = 0.0
    max_rel: float = 0.0  # over values whose onnxruntime value is not 0
    first_mismatch: str | None = None

    @property
    def is_float(self) -> bool:
        return self.dtype in DTYPES and DTYPES[self.dtype].kind == "float"

    @property
    def passed(self) -> bool:
        return self.mismatches == 0

    def add(self, label: str, browser: dict[str, Any] | None, native: dict[str, Any], tol: Tolerance) -> None:
        """Compare one input set's output from the browser with onnxruntime's."""
        shapes = _shape_problem(browser, native)
        if shapes or browser is None:
            self._mismatch(f"{label}: {shapes}")
            return
        for i, (got, want) in enumerate(zip(browser["data"], native["data"], strict=True)):
            self.compared += 1
            if not self._same(got, want, tol):
                self._mismatch(f"{label} [{i}]: browser {got!r}, onnxruntime {want!r}")

    def _same(self, got: Any, want: Any, tol: Tolerance) -> bool:
        if self.is_float and _finite(got) and _finite(want):
            diff = abs(got - want)
            self.max_abs = max(self.max_abs, diff)
            if want != 0:
                self.max_rel = max(self.max_rel, diff / abs(want))
        return tol.matches(got, want, self.is_float)

    def _mismatch(self, where: str) -> None:
        self.mismatches += 1
        self.first_mismatch = self.first_mismatch or where


@dataclass(frozen=True)
class Tolerance:
    """When the browser's value is onnxruntime's: a float within |browser - onnxruntime| <=
    atol + rtol * |onnxruntime| (numpy's rule), anything else equal. The one comparison of
    parity, for `shipyard verify` and the tests alike; the README documents its defaults."""

    rtol: float = 1e-5
    atol: float = 1e-6

    def matches(self, got: Any, want: Any, is_float: bool) -> bool:
        """Whether `got` (the browser's) matches `want` (onnxruntime's); infinities must be
        the same, and NaN matches NaN."""
        if not is_float:
            return bool(got == want)
        if _finite(got) and _finite(want):
            return abs(got - want) <= self.atol + self.rtol * abs(want)
        both_nan = _is_number(got) and _is_number(want) and math.isnan(got) and math.isnan(want)
        return _is_number(got) and (got == want or both_nan)

    def matches_each(self, got: np.ndarray, want: np.ndarray) -> np.ndarray:
        """`matches` element by element, over two arrays of one shape."""
        if want.dtype.kind != "f":
            return np.asarray(got == want)
        return np.isclose(got, want, rtol=self.rtol, atol=self.atol, equal_nan=True)


def _is_number(value: object) -> bool:
    # A float the browser gives may arrive as an int: JSON writes 2.0 as 2.
    return isinstance(value, int | float) and not isinstance(value, bool)


def _finite(value: object) -> bool:
    return _is_number(value) and math.isfinite(value)  # type: ignore[arg-type]


def _shape_problem(browser: dict[str, Any] | None, native: dict[str, Any]) -> str | None:
    if browser is None:
        return "missing from the browser's result"
    for key in ("type", "dims"):
        if browser.get(key) != native[key]:
            return f"{key} {browser.get(key)} in the browser, {native[key]} in onnxruntime"
    if len(browser["data"]) != len(native["data"]):
        return f"{len(browser['data'])} values in the browser, {len(native['data'])} in onnxruntime"
    return None


def compare(
    sets: list[InputSet], browser: list[Result], native: list[Result], tol: Tolerance
) -> tuple[list[OutputCheck], list[str]]:
    """Per-output checks over all input sets, and the runs that failed on one side only.

    A set both sides reject (an index out of the model's range, say) agrees, so it is skipped.
    """
    checks: dict[str, OutputCheck] = {}
    errors = []
    for input_set, got, want in zip(sets, browser, native, strict=True):
        label = input_set.label
        if isinstance(got, str) or isinstance(want, str):
            if not isinstance(want, str):
                errors.append(f"{label}: the browser failed: {got}")
            elif not isinstance(got, str):
                errors.append(f"{label}: onnxruntime failed: {want}")
            continue
        for name, output in want.items():
            check = checks.setdefault(name, OutputCheck(name, output["type"]))
            check.add(label, got.get(name), output, tol)
        errors += [f"{label}: the browser gave {name!r}, not a model output" for name in got.keys() - want]
    return list(checks.values()), errors
