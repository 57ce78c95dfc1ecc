"""The browser runtime inside real Pyodide: JS typed arrays, form parsing, tensors.

Each test body runs in Pyodide in headless Chromium, so it imports what it uses
and gets its data through arguments.
"""

from __future__ import annotations

import pytest
from pytest_pyodide import run_in_pyodide

from shipyard_runtime.dtypes import DTYPES

SAMPLES = {
    "float32": [-1.5, 0.0, 0.1015625, 16777216.0, 3.4028234663852886e38],  # exact in float32
    "float64": [-1.5, 0.1, 1e300, 5e-324],
    "int8": [-128, 0, 127],
    "uint8": [0, 255],
    "int16": [-32768, 0, 32767],
    "uint16": [0, 65535],
    "int32": [-(2**31), 0, 2**31 - 1],
    "uint32": [0, 2**32 - 1],
    "int64": [-(2**63), 0, 2**63 - 1],
    "uint64": [0, 2**64 - 1],
    "bool": [True, False, True],
    "string": ["", "héllo wörld", "🎬"],
}

APP = {
    "name": "Everything",
    "inputs": {
        "lat": {"type": "float32", "shape": [1], "min": -90, "max": 90, "step": 0.1},
        "count": {"type": "int32", "shape": [1], "min": 0, "default": 0},
        "row": {"type": "float32", "shape": [None, 4]},
        "big": {"type": "int64", "shape": [1]},
        "flag": {"type": "bool", "shape": [1]},
        "text": {"type": "string", "shape": [1]},
    },
    "outputs": {"score": {"name": "Score", "type": "float64", "shape": [None, 2]}},
}
FORM = {
    "lat": ["45.19"],
    "count": ["0"],
    "row": ["1", "-2.5", "0", "1e3"],
    "big": ["9223372036854775807"],
    "flag": ["true"],
    "text": [" héllo "],
}


@pytest.fixture
def app_dict() -> dict[str, object]:
    return APP


@pytest.fixture
def form() -> dict[str, list[str]]:
    return FORM


@pytest.mark.parametrize(("name", "values"), [(n, SAMPLES[n]) for n in DTYPES], ids=list(DTYPES))
@run_in_pyodide(packages=["shipyard-runtime"])
def test_values_become_the_typed_array_onnxruntime_web_takes_and_come_back(
    selenium: object, name: str, values: list[object]
) -> None:
    from pyodide.ffi import to_js

    from shipyard_runtime.dtypes import DTYPES

    dtype = DTYPES[name]
    js_value = to_js(dtype.pack(values))
    assert js_value.constructor.name == dtype.js_array
    in_js = [js_value[i] for i in range(js_value.length)]
    assert in_js == ([int(v) for v in values] if name == "bool" else values)
    assert dtype.unpack(js_value.to_py()) == values


@run_in_pyodide(packages=["shipyard-runtime"])
def test_form_texts_are_parsed_and_checked_as_on_cpython(
    selenium: object, app_dict: dict[str, object], form: dict[str, list[str]]
) -> None:
    import pytest

    from shipyard_runtime.spec import AppSpec
    from shipyard_runtime.values import InputError, from_form

    app = AppSpec.from_dict(app_dict)
    assert app.inputs[1].minimum == 0 and app.inputs[1].default == (0,)
    assert from_form(app, form) == {
        "lat": [45.19],  # 45.19 is off the 0.1 step grid: steps only guide the spinner
        "count": [0],
        "row": [1.0, -2.5, 0.0, 1000.0],
        "big": [9223372036854775807],
        "flag": [True],
        "text": ["héllo"],
    }
    assert from_form(app, form | {"flag": ["false"]})["flag"] == [False]

    with pytest.raises(InputError) as rejected:
        from_form(app, form | {"lat": ["abc"], "count": ["-1"], "row": ["1", "2", "3", "x"]})
    assert dict(rejected.value.problems) == {
        "lat": "'abc' is not a number",
        "count": "must be at least 0",
        "row": "'x' is not a number",
    }
    with pytest.raises(InputError, match="must be at most 90"):
        from_form(app, form | {"lat": ["90.5"]})
    with pytest.raises(InputError, match="expected 4 values, got 3"):
        from_form(app, form | {"row": ["1", "2", "3"]})


@run_in_pyodide(packages=["shipyard-runtime"])
def test_feeds_reach_js_and_outputs_read_back(
    selenium: object, app_dict: dict[str, object], form: dict[str, list[str]]
) -> None:
    import js  # type: ignore[import-not-found]
    from pyodide.ffi import to_js

    from shipyard_runtime.dtypes import DTYPES
    from shipyard_runtime.spec import AppSpec
    from shipyard_runtime.tensors import FeedLayout, read_output
    from shipyard_runtime.values import from_form

    app = AppSpec.from_dict(app_dict)
    values = from_form(app, form | {"lat": ["45.5"]})  # exact in float32, so it comes back equal
    layout = FeedLayout(app)
    packed, own, _ = layout.pack(values)
    assert [(s.name, s.dims, s.offset) for s in layout.slots] == [
        ("lat", (1,), 0),
        ("count", (1,), 8),
        ("row", (1, 4), 16),
        ("big", (1,), 32),
        ("flag", (1,), 40),
        ("text", (1,), None),
    ]
    buffer = to_js(packed).buffer
    own_values = iter(own)
    for slot in layout.slots:  # an identity model: each tensor comes back as it went in
        if slot.offset is None:
            tensor = to_js(next(own_values))
        else:
            tensor = getattr(js, slot.dtype.js_array).new(buffer, slot.offset, len(values[slot.name]))
        assert tensor.constructor.name == slot.dtype.js_array
        dims = to_js(list(slot.dims)).to_py()
        back = read_output(app, slot.name, slot.dtype.name, dims, tensor.to_py())
        assert (back.name, back.dims, back.values) == (slot.name, slot.dims, values[slot.name])

    data = to_js(DTYPES["float64"].pack([0.25, 0.75])).to_py()
    score = read_output(app, "score", "float64", [1, 2], data)
    assert (score.show is not None, score.dims) == (True, (1, 2))
    assert score.to_result() == {"type": "float64", "dims": [1, 2], "data": [0.25, 0.75]}
