"""`shipyard verify`'s pure half: which inputs to try, and how two runs' outputs compare.

Nothing here touches a browser, numpy or onnxruntime, so all of it is unit-tested on
plain data. `verify_site` drives the browser and onnxruntime with it.
"""

from __future__ import annotations

import json
import math
import random
from dataclasses import dataclass, field
from typing import Any

from shipyard_runtime.dtypes import DTYPES, Value
from shipyard_runtime.images import Pixels
from shipyard_runtime.shapes import flatten, nested_shape
from shipyard_runtime.spec import AppSpec, InputSpec
from shipyard_runtime.values import image_row

# Random text is made of these words and the words of the input's default and examples.
WORDS = ("good", "bad", "great", "boring", "not", "very", "film", "story", "the", "a", "café", "naïve", "42")
# Half-widths of the range tried when the metadata sets no min or max.
FLOAT_SPAN = 10.0
INT_SPAN = 100

Values = dict[str, list[Value]]
# One run's outputs, as `window.shipyard.predict` gives them: {name: {type, dims, data}};
# a string instead is the message the run failed with.
Result = dict[str, dict[str, Any]] | str


@dataclass(frozen=True)
class InputSet:
    label: str  # how the report names it: "defaults", "example 2", "random 5"
    values: Values


def input_sets(app: AppSpec, samples: int, seed: int) -> list[InputSet]:
    """The defaults (when every input has one), every example, then `samples` random sets."""
    sets = []
    if all(spec.default is not None for spec in app.form):
        sets.append(InputSet("defaults", {s.key: list(s.default or ()) for s in app.form}))
    for i, example in enumerate(app.examples, start=1):
        sets.append(InputSet(f"example {i}", {key: list(row) for key, row in example.items()}))
    rng = random.Random(seed)
    words = {spec.key: _words(spec, app) for spec in app.form}
    for i in range(1, samples + 1):
        values = {spec.key: random_row(spec, rng, words[spec.key]) for spec in app.form}
        sets.append(InputSet(f"random {i}", values))
    return sets


def random_row(spec: InputSpec, rng: random.Random, words: tuple[str, ...] = WORDS) -> list[Value]:
    """`spec.size` values that the input accepts: within min..max, of its type."""
    kind, size = spec.dtype.kind, spec.size
    if spec.image is not None:  # a picture of random colours, at the input's own size
        _, height, width = spec.image.geometry(spec.dims)
        return image_row(spec, random_picture(rng, width, height))
    if spec.choices is not None:
        return [rng.choice(spec.choices)[1] for _ in range(size)]
    if kind == "bool":
        return [rng.random() < 0.5 for _ in range(size)]
    if kind == "string":
        return [" ".join(rng.choices(words, k=rng.randint(1, 6))) for _ in range(size)]
    low, high = value_range(spec)
    if kind == "int":
        first, last = math.ceil(low), math.floor(high)
        return [rng.randint(first, max(first, last)) for _ in range(size)]
    return [rng.uniform(low, high) for _ in range(size)]


def random_picture(rng: random.Random, width: int, height: int) -> Pixels:
    """Opaque pixels of random colours."""
    rgba = bytearray(rng.randbytes(width * height * 4))
    rgba[3::4] = b"\xff" * (width * height)
    return Pixels(width, height, bytes(rgba))


def value_range(spec: InputSpec) -> tuple[float, float]:
    """min..max; a missing bound is a span from the other one, or around the default (or 0)."""
    span = INT_SPAN if spec.dtype.kind == "int" else FLOAT_SPAN
    low, high = spec.minimum, spec.maximum
    if low is None and high is None:
        numbers = [float(v) for v in spec.default or () if not isinstance(v, str)]
        centre = sum(numbers) / len(numbers) if numbers else 0.0
        low, high = centre - span, centre + span
    elif low is None:
        low = high - 2 * span  # type: ignore[operator]
    elif high is None:
        high = low + 2 * span
    assert low is not None and high is not None
    if spec.dtype.low is not None and spec.dtype.high is not None:  # ints: what the type holds
        low, high = max(low, spec.dtype.low), min(high, spec.dtype.high)
    return low, high


def _words(spec: InputSpec, app: AppSpec) -> tuple[str, ...]:
    given = [*(spec.default or ()), *(v for example in app.examples for v in example.get(spec.key, ()))]
    found = [word for text in given if isinstance(text, str) for word in text.split()]
    return tuple(dict.fromkeys([*WORDS, *found]))


def to_page(app: AppSpec, values: Values) -> dict[str, list[Any]]:
    """Values for `window.shipyard.predict`: 64-bit integers go as text, which JS numbers
    would round past 2**53 and the page reads back exactly."""
    wide = {spec.key for spec in app.form if spec.dtype.name in ("int64", "uint64")}
    return {key: [str(v) for v in row] if key in wide else list(row) for key, row in values.items()}


def from_page(result: Result) -> Result:
    """The page's result with integers that came back as text (BigInts) made numbers again,
    and postprocess's entries as outputs of their own (see `entries_as_outputs`)."""
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
        if not self.is_float:
            return bool(got == want)
        if not (_is_number(got) and _is_number(want)):
            return False
        if not (math.isfinite(got) and math.isfinite(want)):
            return got == want or (math.isnan(got) and math.isnan(want))
        diff = abs(got - want)
        self.max_abs = max(self.max_abs, diff)
        if want != 0:
            self.max_rel = max(self.max_rel, diff / abs(want))
        return diff <= tol.atol + tol.rtol * abs(want)

    def _mismatch(self, where: str) -> None:
        self.mismatches += 1
        self.first_mismatch = self.first_mismatch or where


@dataclass(frozen=True)
class Tolerance:
    """A float matches when |browser - onnxruntime| <= atol + rtol * |onnxruntime| (numpy's rule)."""

    rtol: float = 1e-5
    atol: float = 1e-6


def _is_number(value: object) -> bool:
    # A float the browser gives may arrive as an int: JSON writes 2.0 as 2.
    return isinstance(value, int | float) and not isinstance(value, bool)


def _shape_problem(browser: dict[str, Any] | None, native: dict[str, Any]) -> str | None:
    if browser is None:
        return "missing from the browser's result"
    for key in ("type", "dims"):
        if browser.get(key) != native[key]:
            return f"{key} {browser.get(key)} in the browser, {native[key]} in onnxruntime"
    if len(browser["data"]) != len(native["data"]):
        return f"{len(browser['data'])} values in the browser, {len(native['data'])} in onnxruntime"
    return None


@dataclass
class Report:
    """What `shipyard verify` found; `passed` decides its exit code."""

    site: str
    seed: int
    tolerance: Tolerance
    input_sets: list[str]
    outputs: list[OutputCheck] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # runs that failed on one side only
    foreign_requests: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return (
            bool(self.outputs)
            and not self.errors
            and not self.foreign_requests
            and all(o.passed for o in self.outputs)
        )


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


def report_text(report: Report) -> str:
    """The report as lines a person reads: one per output, then PASS or FAIL."""
    sets = f"{len(report.input_sets)} input sets ({_describe_sets(report.input_sets)}; seed {report.seed})"
    lines = [f"{report.site}: {sets}"]
    width = max((len(o.name) for o in report.outputs), default=0)
    for o in report.outputs:
        lines.append(f"  {o.name:<{width}}  {o.dtype:<7}  {_output_line(o, report.tolerance)}")
    lines += [f"  error: {error}" for error in report.errors]
    if report.foreign_requests:
        lines.append("  requests that left the site's origin:")
        lines += [f"    {url}" for url in report.foreign_requests]
    else:
        lines.append("  no request left the site's origin")
    lines.append("PASS" if report.passed else "FAIL")
    return "\n".join(lines)


def _output_line(check: OutputCheck, tol: Tolerance) -> str:
    verdict = "ok" if check.passed else f"FAIL: {check.mismatches} mismatched, first {check.first_mismatch}"
    if check.is_float:
        limits = f"(rtol {tol.rtol:g}, atol {tol.atol:g})"
        return f"max abs diff {check.max_abs:.3g}  max rel diff {check.max_rel:.3g} {limits}  {verdict}"
    return f"{check.compared - check.mismatches} of {check.compared} values equal  {verdict}"


def _describe_sets(labels: list[str]) -> str:
    examples = sum(label.startswith("example") for label in labels)
    randoms = sum(label.startswith("random") for label in labels)
    parts = ["defaults"] if "defaults" in labels else []
    parts += [f"{examples} examples"] if examples else []
    return ", ".join([*parts, f"{randoms} random"])


def report_dict(report: Report) -> dict[str, Any]:
    """The report for `--json`."""
    return {
        "site": report.site,
        "passed": report.passed,
        "seed": report.seed,
        "rtol": report.tolerance.rtol,
        "atol": report.tolerance.atol,
        "input_sets": report.input_sets,
        "outputs": [_output_dict(o) for o in report.outputs],
        "errors": report.errors,
        "foreign_requests": report.foreign_requests,
    }


def _output_dict(check: OutputCheck) -> dict[str, Any]:
    data: dict[str, Any] = {"name": check.name, "type": check.dtype, "passed": check.passed}
    if check.is_float:
        data |= {"max_abs_diff": check.max_abs, "max_rel_diff": check.max_rel}
    return data | {
        "compared": check.compared,
        "mismatches": check.mismatches,
        "first_mismatch": check.first_mismatch,
    }
