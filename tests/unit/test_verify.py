"""`shipyard verify`'s pure half: the inputs it tries, how it compares, and its report
(tests/e2e/test_verify.py runs the command on built sites)."""

from __future__ import annotations

import json
import math
import random
from typing import Any

import pytest

from shipyard.metadata.read import load_metadata
from shipyard.verify.compare import OutputCheck, Tolerance, comparable, compare
from shipyard.verify.inputs import WORDS, InputSet, input_sets, random_row, to_page, value_range
from shipyard.verify.report import Report, report_dict, report_text
from shipyard_runtime.spec import AppSpec
from tests.support.sites import EXAMPLES

BIG = {"int64": (2**62, 2**63 - 1), "uint64": (2**63, 2**64 - 1)}  # past what a JS number holds

APP = AppSpec.from_dict(
    {
        "name": "Every kind",
        "inputs": {
            "f": {"type": "float32", "shape": [None, 3], "min": -2, "max": 0.5},
            "d": {"type": "float64", "shape": [None, 1], "min": 5},
            "u": {"type": "uint8", "shape": [None, 2]},
            "i": {"type": "int64", "shape": [None, 2], "min": BIG["int64"][0], "max": BIG["int64"][1]},
            "b": {"type": "bool", "shape": [None, 4]},
            "s": {"type": "string", "shape": [None, 2], "default": ["sailing ships", "harbour"]},
        },
        "outputs": {"y": {"type": "float32", "shape": [None, 1]}},
    }
)

PYTHON_TYPES = {"float": float, "int": int, "bool": bool, "string": str}


# --- the inputs it tries ---


def test_random_inputs_are_values_the_page_accepts_of_the_right_type_and_size() -> None:
    for input_set in input_sets(APP, 50, seed=3):
        for spec in APP.inputs:
            row = input_set.values[spec.key]
            assert len(row) == spec.size
            assert all(type(v) is PYTHON_TYPES[spec.dtype.kind] for v in row), (spec.key, row)
            assert spec.check_row(row) == row  # the very rule the page applies
            if spec.minimum is not None:
                assert all(spec.minimum <= v <= (spec.maximum or math.inf) for v in row)


def test_ranges_come_from_min_and_max_or_a_span_by_type() -> None:
    specs = {spec.key: spec for spec in APP.inputs}
    assert value_range(specs["f"]) == (-2, 0.5)
    assert value_range(specs["d"]) == (5, 25)  # only a min: a span above it
    assert value_range(specs["u"]) == (0, 100)  # no bounds: around 0, within what uint8 holds
    assert value_range(specs["i"]) == BIG["int64"]
    centred = AppSpec.from_dict(
        {
            "name": "x",
            "inputs": {"x": {"type": "float64", "shape": [1], "default": 1000}},
            "outputs": {"y": {"type": "float64", "shape": [1]}},
        }
    )
    assert value_range(centred.inputs[0]) == (990, 1010)


def test_64_bit_integers_cover_their_range_and_travel_to_the_page_as_text() -> None:
    values = [v for s in input_sets(APP, 30, seed=1) for v in s.values["i"]]
    assert max(values) > 2**62 + 2**61 and min(values) < 2**62 + 2**60
    page = to_page(APP, {"i": [2**63 - 1, 2**62], "u": [3, 4]})
    assert page == {"i": ["9223372036854775807", "4611686018427387904"], "u": [3, 4]}
    back = comparable({"o": {"type": "uint64", "dims": [1, 2], "data": ["18446744073709551615", 7]}})
    assert back == {"o": {"type": "uint64", "dims": [1, 2], "data": [2**64 - 1, 7]}}


def test_text_is_made_of_fixed_words_and_the_words_of_the_default() -> None:
    texts = [t for s in input_sets(APP, 40, seed=2) if s.label.startswith("random") for t in s.values["s"]]
    words = {word for text in texts for word in text.split()}
    assert words <= {*WORDS, "sailing", "ships", "harbour"}
    assert {"sailing", "harbour"} & words and set(WORDS) & words
    row = random_row(APP.inputs[-1], random.Random(0), ("one",))
    assert len(row) == 2 and all(set(text.split()) == {"one"} for text in row)


def test_defaults_and_examples_come_first_and_a_seed_repeats_a_run() -> None:
    housing = load_metadata(EXAMPLES / "housing" / "metadata.yml")
    with_example = AppSpec.from_dict(housing.to_dict() | {"examples": [{"MedInc": 8}]})
    sets = input_sets(with_example, 3, seed=7)
    assert [s.label for s in sets] == ["defaults", "example 1", "random 1", "random 2", "random 3"]
    assert sets[0].values["MedInc"] == [3.5] and sets[1].values == {**sets[0].values, "MedInc": [8]}
    assert input_sets(with_example, 3, seed=7) == sets
    assert input_sets(with_example, 3, seed=8)[2:] != sets[2:]
    # Without a default for every input there is no "defaults" set.
    assert [s.label for s in input_sets(APP, 2, seed=0)] == ["random 1", "random 2"]


# --- how it compares ---


def _out(dtype: str, *data: Any, dims: list[int] | None = None) -> dict[str, Any]:
    return {"type": dtype, "dims": dims or [1, len(data)], "data": list(data)}


def _compare(browser: list[Any], native: list[Any], **tol: float) -> tuple[list[OutputCheck], list[str]]:
    sets = [InputSet(f"random {i + 1}", {}) for i in range(len(native))]
    return compare(sets, browser, native, Tolerance(**tol))


def test_floats_match_within_atol_plus_rtol_times_onnxruntimes_value() -> None:
    native = [{"y": _out("float32", 1000.0, 0.0, 1.0)}]
    close = [{"y": _out("float32", 1000.009, 0.0000009, 1)}]  # JSON gives 1.0 back as 1
    (check,), errors = _compare(close, native)
    assert check.passed and errors == [] and check.compared == 3
    assert check.max_abs == pytest.approx(0.009, rel=1e-3)
    assert check.max_rel == pytest.approx(9e-6, rel=1e-3)  # 0 is left out of the relative diff
    (check,), _ = _compare([{"y": _out("float32", 1000.02, 0.0, 1.0)}], native)
    assert not check.passed and check.mismatches == 1
    assert check.first_mismatch == "random 1 [0]: browser 1000.02, onnxruntime 1000.0"
    (check,), _ = _compare([{"y": _out("float32", 1000.02, 0.0, 1.0)}], native, rtol=1e-4)
    assert check.passed


def test_nan_matches_only_nan_and_infinities_match_exactly() -> None:
    nan, inf = math.nan, math.inf
    (check,), _ = _compare([{"y": _out("float64", nan, inf, -inf)}], [{"y": _out("float64", nan, inf, -inf)}])
    assert check.passed
    (check,), _ = _compare([{"y": _out("float64", 0.0, inf)}], [{"y": _out("float64", nan, -inf)}])
    assert check.mismatches == 2 and math.isfinite(check.max_abs)


def test_strings_integers_and_bools_must_be_equal_exactly() -> None:
    native = [{"s": _out("string", "yes"), "i": _out("int64", 2**53 + 1), "b": _out("bool", True)}]
    same = [{"s": _out("string", "yes"), "i": _out("int64", 2**53 + 1), "b": _out("bool", True)}]
    assert all(c.passed for c in _compare(same, native, rtol=1, atol=1)[0])
    near = [{"s": _out("string", "yes "), "i": _out("int64", 2**53), "b": _out("bool", False)}]
    checks, _ = _compare(near, native, rtol=1, atol=1)  # tolerances are for floats only
    assert [(c.name, c.passed) for c in checks] == [("s", False), ("i", False), ("b", False)]


def test_other_shapes_missing_outputs_and_one_sided_failures_are_reported() -> None:
    native = [{"y": _out("float32", 1.0, 2.0)}, {"y": _out("float32", 1.0)}, "bad index", "bad index"]
    browser = [{"y": _out("float32", 1.0, 2.0, dims=[2, 1])}, {"z": _out("float32", 1.0)}, {}, "bad index"]
    (check,), errors = _compare(browser, native)
    assert check.mismatches == 2
    assert check.first_mismatch == "random 1: dims [2, 1] in the browser, [1, 2] in onnxruntime"
    assert errors == [
        "random 2: the browser gave 'z', not a model output",
        "random 3: onnxruntime failed: bad index",  # random 4 failed on both sides: they agree
    ]


def test_report_lists_each_output_then_pass_or_fail() -> None:
    (check,), _ = _compare([{"y": _out("float32", 1.5)}], [{"y": _out("float32", 1.5)}])
    report = Report("dist", 42, Tolerance(), ["defaults", "random 1"], [check])
    lines = report_text(report).splitlines()
    assert lines[0] == "dist: 2 input sets (defaults, 1 random; seed 42)"
    assert lines[1] == "  y  float32  max abs diff 0  max rel diff 0 (rtol 1e-05, atol 1e-06)  ok"
    assert lines[-1] == "PASS" and report.passed
    report.foreign_requests.append("https://cdn.example/x.js")
    assert report_text(report).splitlines()[-2:] == ["    https://cdn.example/x.js", "FAIL"]
    assert json.loads(json.dumps(report_dict(report)))["passed"] is False
