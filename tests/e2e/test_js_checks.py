"""`predict` runs the model from JS alone when its inputs pass the checks Python planned:
it must accept exactly what Python accepts, give the same tensors, and leave every
rejection, with its message, to Python."""

from __future__ import annotations

import array
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from shipyard.build import build_site
from shipyard.site.page import read_site_app
from shipyard_runtime.dtypes import DTYPES
from shipyard_runtime.spec import AppSpec
from shipyard_runtime.values import InputError, from_api
from tests.support.models import EXTREMES, identity_metadata, identity_model, keyed_identity_site
from tests.support.site_page import SitePage

FLOAT32_MAX = 3.4028234663852886e38
NAN, INF = math.nan, math.inf

# One input changed from EXTREMES per case: values at and past each check's edges, of the
# wrong kind, or in the wrong shape.
EDGES: dict[str, list[Any]] = {
    "float32": [
        [FLOAT32_MAX, -FLOAT32_MAX],
        [3.4028235677973366e38, 0],
        [NAN, 1],
        [INF, 1],
        [1e-46, -0.0],
        [2**60, 1],
        ["1.5", 1],
        [True, 1],
        [None, 1],
        [[1.5, 2.5]],
        [1.5],
        1.5,
    ],
    "float64": [[1.7976931348623157e308, -INF], [5e-324, 0.1]],
    "int8": [[-129, 0], [127.5, 0], [1e300, 0], [3.0, -128]],
    "uint8": [[-1, 0], [256, 0]],
    "int32": [[2**31, 0], [2**31 - 1, -(2**31) - 1]],
    "uint32": [[2**32, 0]],
    "int64": [[2**53 - 1, -(2**53) + 1], [2**53 + 2, 0], [-(2**63), 0], [2**63, 0], [0.5, 0]],
    "uint64": [[-1, 0], [2**64, 0]],
    "bool": [[1, 0], ["true", False], [None, True]],
    "string": [[5, ""], [None, "a"], [["a", "b"]], "a", None],
}
CASES = [
    {**{f"in_{n}": v for n, v in EXTREMES.items()}, f"in_{name}": edge}
    for name, edges in EDGES.items()
    for edge in edges
]
CASES += [
    {f"in_{n}": v for n, v in EXTREMES.items() if n != "int8"},  # one missing
    {**{f"in_{n}": v for n, v in EXTREMES.items()}, "extra": 1},  # one unknown
]

RUN_ALL = """async (cases) => Promise.all(cases.map((inputs) => window.shipyard.predict(inputs).then(
  (result) => ({ok: Object.fromEntries(Object.entries(result).map(([k, o]) => [k, o.data]))}),
  (error) => ({error: error.message}))))"""


@pytest.fixture(scope="module")
def identity(
    tmp_path_factory: pytest.TempPathFactory, open_site: Callable[[Path], SitePage]
) -> tuple[SitePage, AppSpec]:
    folder = tmp_path_factory.mktemp("identity")
    model, metadata = identity_model(folder / "m.onnx"), identity_metadata(folder / "m.yml")
    build_site(model, metadata, folder / "site")
    return open_site(folder / "site"), read_site_app(folder / "site")


def expected(app: AppSpec, inputs: dict[str, Any]) -> dict[str, Any]:
    """What Python's checks make of the inputs: an identity model's outputs (each input's
    output is the one in the same place), or the error."""
    try:
        values = from_api(app, inputs)
    except InputError as error:
        return {"error": f"Invalid input: {error}"}
    return {
        "ok": {
            out.key: _as_tensor(spec.dtype.name, values[spec.key])
            for spec, out in zip(app.inputs, app.outputs, strict=True)
        }
    }


def _as_tensor(name: str, values: Any) -> list[Any]:
    dtype = DTYPES[name]
    return [bool(v) for v in values] if name == "bool" else list(dtype.unpack(dtype.pack(values)))


def test_predict_accepts_and_rejects_exactly_as_python_does(identity: tuple[SitePage, AppSpec]) -> None:
    site, app = identity
    got = site.page.evaluate(RUN_ALL, CASES)
    for inputs, result in zip(CASES, got, strict=True):
        assert _floats(result) == expected(app, inputs), inputs


def _floats(result: dict[str, Any]) -> dict[str, Any]:
    """Float outputs as floats: Playwright hands a whole JS number back as an int, rounded
    to the digits JS prints (2**60 comes back as 1152921504606847000)."""
    if "ok" not in result:
        return result
    floats = {f"out_{n}" for n in ("float32", "float64")}
    return {"ok": {k: [float(v) for v in data] if k in floats else data for k, data in result["ok"].items()}}


def test_float_typed_arrays_are_taken_as_they_are_or_checked_by_python(
    identity: tuple[SitePage, AppSpec],
) -> None:
    site, _ = identity
    base = {f"in_{n}": v for n, v in EXTREMES.items()}
    got = site.page.evaluate(
        """async (base) => Promise.all([
          new Float32Array([0.5, -2]), new Float32Array([0.5, NaN]),
          new Float64Array([0.1, 2]), new Float32Array(3),
        ].map((in_float32) => window.shipyard.predict({...base, in_float32}).then(
          (r) => r.out_float32.data, (e) => e.message)))""",
        base,
    )
    assert got[0] == [0.5, -2]
    assert got[1] == "Invalid input: in_float32: value 2: enter a finite number"
    assert got[2] == array.array("f", [0.1, 2]).tolist()  # a float64 array, rounded by Python's path
    assert got[3] == "Invalid input: in_float32: expected 2 values, got 3"


def opened_identity(
    folder: Path, open_site: Callable[[Path], SitePage], inputs: dict[str, Any]
) -> tuple[SitePage, AppSpec]:
    """`keyed_identity_site` opened, and the app spec it was built with."""
    site = keyed_identity_site(folder, inputs)
    return open_site(site), read_site_app(site)


def test_values_that_rounding_moves_across_a_bound_are_left_to_python(
    tmp_path: Path, open_site: Callable[[Path], SitePage]
) -> None:
    """Python checks a short float input's values as given, and a long one's (which JS sends
    as a typed array) once rounded to float32: JS accepts only what passes both."""
    site, app = opened_identity(
        tmp_path,
        open_site,
        {
            "s": {"type": "float32", "shape": [1, 2], "max": 1},
            "l": {"type": "float32", "shape": [1, 100], "max": 0.99999999},
        },
    )
    cases = [
        {"s": [0.5, 0.5], "l": [0.5] * 100},
        {"s": [0.5, 1.00000001], "l": [0.5] * 100},  # past the max, but 1.0 once rounded
        {"s": [0.5, 0.5], "l": [0.5] * 99 + [0.99999998]},  # within the max, but 1.0 once rounded
        # A nested list takes Python's path, which leaves the long array in JS (ForeignArray).
        {"s": [[0.5, 0.5]], "l": [0.5] * 100},
        {"s": [[0.5, 0.5]], "l": [0.5] * 99 + [0.99999998]},
    ]
    got = site.page.evaluate(RUN_ALL, cases)
    for inputs, result in zip(cases, got, strict=True):
        as_sent = inputs | {"l": memoryview(array.array("f", inputs["l"]))}  # a long array goes typed
        assert _floats(result) == expected(app, as_sent), inputs


def test_choices_are_checked_in_js_as_python_checks_them(
    tmp_path: Path, open_site: Callable[[Path], SitePage]
) -> None:
    site, app = opened_identity(
        tmp_path,
        open_site,
        {
            "f": {"type": "float32", "shape": [1, 1], "choices": {"half": 0.5, "big": 1e30}, "max": 1},
            "i": {"type": "int64", "shape": [1, 2], "choices": {"one": 1, "two": 2}},
            "t": {"type": "string", "shape": [1, 1], "choices": {"Red": "red", "Blue": "blue"}},
        },
    )
    valid = {"f": 0.5, "i": [1, 2], "t": "red"}
    cases = [valid]
    cases += [
        valid | {key: v}
        for key, v in (("f", 0.25), ("f", 1e30), ("f", [0.5]), ("i", [1, 3]), ("i", [2.0, 1]))
    ]
    cases += [valid | {key: v} for key, v in (("t", "Red"), ("t", ["blue"]), ("t", 1))]
    got = site.page.evaluate(RUN_ALL, cases)
    for inputs, result in zip(cases, got, strict=True):
        assert _floats(result) == expected(app, inputs), inputs
