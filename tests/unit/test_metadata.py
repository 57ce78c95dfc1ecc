"""Metadata files: modelship's layout as it is, what shipyard adds, and every problem reported at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from shipyard.errors import MetadataError
from shipyard.metadata.read import load_metadata
from shipyard_runtime.values import InputError, from_api, from_form

# modelship's own example file, byte for byte in its layout (keys are tensor names).
MODELSHIP = """\
name: California Housing Price Predictor
description: Predict median house values in California districts
inputs:
  MedInc:
    name: Median income in block group
    type: float32
    shape: [null, 1]
    min: 0
    max: 15
    step: 0.1
    default: 3.5
  Latitude:
    name: Block group latitude
    type: float32
    shape: [null, 1]
    min: 32
    max: 42
    step: 0.5
    default: 37
outputs:
  variable:
    name: Median house value
    type: float32
    shape: [null, 1]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "metadata.yml"
    path.write_text(text)
    return path


def test_modelship_file_is_read_as_is(tmp_path: Path) -> None:
    app = load_metadata(write(tmp_path, MODELSHIP))
    assert [i.key for i in app.inputs] == ["MedInc", "Latitude"]
    med = app.inputs[0]
    assert (med.label, med.dtype.name, med.shape, med.dims) == (
        "Median income in block group",
        "float32",
        (None, 1),
        (1, 1),
    )
    assert (med.minimum, med.maximum, med.step, med.default) == (0, 15, 0.1, (3.5,))
    assert app.outputs[0].key == "variable"


def test_zero_is_honoured_for_min_max_step_default(tmp_path: Path) -> None:
    text = MODELSHIP.replace("default: 3.5", "default: 0").replace("max: 15", "max: 0")
    med = load_metadata(write(tmp_path, text)).inputs[0]
    assert (med.minimum, med.maximum, med.default) == (0, 0, (0,))


def test_any_value_in_range_is_accepted_whatever_the_step(tmp_path: Path) -> None:
    app = load_metadata(write(tmp_path, MODELSHIP))
    values = from_form(app, {"MedInc": ["3.5"], "Latitude": ["37.19"]})
    assert values["Latitude"] == [37.19]
    with pytest.raises(InputError) as error:
        from_form(app, {"MedInc": ["15.01"], "Latitude": ["x"]})
    assert dict(error.value.problems) == {"MedInc": "must be at most 15", "Latitude": "'x' is not a number"}


def test_multi_element_rows_and_every_type(tmp_path: Path) -> None:
    text = """\
name: Rows
inputs:
  x: {type: float64, shape: [batch, 4], default: [1, 2, 3, 4]}
  flag: {type: bool, shape: [null, 1], default: true}
  n: {type: uint64, shape: [1], default: 18446744073709551615}
outputs:
  y: {type: int8, shape: [null, 2]}
"""
    app = load_metadata(write(tmp_path, text))
    x, flag, n = app.inputs
    assert (x.shape, x.dims, x.size, x.default) == (("batch", 4), (1, 4), 4, (1, 2, 3, 4))
    assert flag.default == (True,) and n.default == (2**64 - 1,)
    assert from_api(app, {"x": [1, 2, 3, 4.5]})["x"] == [1, 2, 3, 4.5]
    with pytest.raises(InputError, match="expected 4 values, got 3"):
        from_api(app, {"x": [1, 2, 3]})


def test_every_problem_is_reported_at_once_with_its_key(tmp_path: Path) -> None:
    text = """\
name: Broken
inputs:
  a: {type: float33, shape: [null, 1], min: 5, max: 1}
  b: {type: int8, shape: [null, 1], default: 300, stepp: 1}
  c: {type: string, shape: [2, -2], min: 0}
outputs:
  y: {type: float32}
colour: blue
"""
    with pytest.raises(MetadataError) as error:
        load_metadata(write(tmp_path, text))
    problems = dict(error.value.problems)
    assert "unknown type 'float33'" in problems["inputs.a.type"] and "float32" in problems["inputs.a.type"]
    assert problems["inputs.a.min"] == "min 5 is greater than max 1"
    assert "300 does not fit in int8" in problems["inputs.b.default"]
    assert problems["inputs.b.stepp"] == "unknown field (did you mean 'step'?)"
    assert (
        problems["inputs.c.shape[1]"] == "expected a size, null, -1, a name or {name, min, max}, got int -2"
    )
    assert problems["inputs.c.min"] == "applies to number types only, not string"
    assert problems["outputs.y.shape"] == "is required"
    assert problems["colour"].startswith("unknown field")
    assert str(tmp_path / "metadata.yml") in str(error.value)


def test_bad_yaml_names_the_line(tmp_path: Path) -> None:
    with pytest.raises(MetadataError, match=r"line \d+, column \d+: invalid YAML"):
        load_metadata(write(tmp_path, "name: x\ninputs:\n  a: [1, 2\n"))


@pytest.mark.parametrize("text", ["", "- a list\n", "name: x\n", "name: x\ninputs: {}\noutputs: 3\n"])
def test_documents_of_the_wrong_shape_are_errors_not_crashes(tmp_path: Path, text: str) -> None:
    with pytest.raises(MetadataError):
        load_metadata(write(tmp_path, text))


def test_spec_round_trips_through_to_dict(tmp_path: Path) -> None:
    from shipyard_runtime.spec import AppSpec

    app = load_metadata(write(tmp_path, MODELSHIP))
    assert AppSpec.from_dict(app.to_dict()) == app


def test_examples_are_checked_like_predict_inputs_and_fill_in_defaults(tmp_path: Path) -> None:
    text = MODELSHIP + "examples:\n  - {MedInc: 8}\n  - {MedInc: '2.5', Latitude: 41.19}\n"
    app = load_metadata(write(tmp_path, text))
    assert app.examples == ({"MedInc": (8,), "Latitude": (37,)}, {"MedInc": (2.5,), "Latitude": (41.19,)})
    bad = MODELSHIP + "examples:\n  - {MedInc: 99, Lattitude: 1}\n"
    with pytest.raises(MetadataError) as error:
        load_metadata(write(tmp_path, bad))
    problems = dict(error.value.problems)
    assert problems["examples[0].MedInc"] == "must be at most 15"
    assert problems["examples[0].Lattitude"] == "unknown field (did you mean 'Latitude'?)"
