"""Inputs of any fixed shape: nested lists flatten in row-major order, and the form lays them out
as grids (one per leading index) until they are too big or too wide, then as one text area."""

from __future__ import annotations

import array
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from shipyard.errors import MetadataError
from shipyard.metadata.read import load_metadata
from shipyard_runtime.dtypes import ValueProblem, all_finite
from shipyard_runtime.form import render_field
from shipyard_runtime.shapes import flatten, nested_shape
from shipyard_runtime.spec import AppSpec, InputSpec
from shipyard_runtime.values import InputError, from_api, from_form, uses_grid, uses_text_area

MATRIX = [[1.5, -2], [3, 4.25], [5, 6]]
FLAT = [1.5, -2, 3, 4.25, 5, 6]


def spec(shape: list[Any], dtype: str = "float32", label: str = "X", **extra: Any) -> InputSpec:
    app = AppSpec.from_dict(
        {
            "name": "Shapes",
            "inputs": {"x": {"name": label, "type": dtype, "shape": shape, **extra}},
            "outputs": {"y": {"type": "float32", "shape": [1]}},
        }
    )
    return app.inputs[0]


def test_nested_and_flat_lists_give_the_same_row_major_values() -> None:
    fixed, batched = spec([3, 2]), spec([None, 3, 2])
    assert fixed.read_row(MATRIX) == FLAT
    assert fixed.read_row(FLAT) == FLAT
    assert fixed.read_row(tuple(tuple(row) for row in MATRIX)) == FLAT
    # A dynamic batch of 1 may be given or left out.
    assert batched.read_row(MATRIX) == FLAT
    assert batched.read_row([MATRIX]) == FLAT
    assert batched.read_row(FLAT) == FLAT
    assert spec([None, 4]).read_row([[1, 2, 3, 4]]) == [1, 2, 3, 4]
    cube = [[[[i * 6 + j * 3 + k for k in range(3)] for j in range(2)] for i in range(2)]]
    assert spec(["batch", 2, 2, 3], "int32").read_row(cube) == list(range(12))
    assert spec([3, 2], "string").read_row([["a", "b"], ["c", 1], ["", "é"]]) == ["a", "b", "c", "1", "", "é"]


@pytest.mark.parametrize(
    ("shape", "given", "message"),
    [
        ([3, 2], [[1, 2], [3, 4]], "expected shape [3, 2], got [2, 2]"),
        ([3, 2], [[1, 2, 3], [4, 5, 6]], "expected shape [3, 2], got [2, 3]"),
        ([3, 2], [MATRIX], "expected shape [3, 2], got [1, 3, 2]"),  # no batch dimension to add
        ([None, 3, 2], [[MATRIX]], "expected shape [3, 2], got [1, 1, 3, 2]"),
        ([None, 3, 2], [[[1, 2], [3, 4]]], "expected shape [1, 3, 2], got [1, 2, 2]"),
        ([3, 2], [[1, 2], [3], [5, 6]], "expected shape [3, 2], got lists of different lengths"),
        ([3, 2], [1, [2, 3]], "expected shape [3, 2], got lists of different lengths"),
        ([None, 4], [[1, 2], [3, 4]], "expected shape [1, 4], got [2, 2]"),
        ([3, 2], [1, 2, 3, 4, 5], "expected 6 values (shape [3, 2]), got 5"),
        ([3, 2], 7, "expected 6 values (shape [3, 2]), got 1"),
        ([None, 4], [1, 2, 3], "expected 4 values, got 3"),
    ],
)
def test_a_list_of_the_wrong_shape_names_the_expected_shape(
    shape: list[Any], given: object, message: str
) -> None:
    with pytest.raises(ValueProblem) as problem:
        spec(shape).read_row(given)
    assert str(problem.value) == message


@pytest.mark.parametrize(
    ("value", "shape", "leaves"),
    [
        (5, (), [5]),
        ([], (0,), []),
        ([[], []], (2, 0), []),
        (((1, 2), [3, 4]), (2, 2), [1, 2, 3, 4]),
        ([[1, 2], [3]], None, [1, 2, 3]),
        ([1, [2, [3, [4]]], (5,)], None, [1, 2, 3, 4, 5]),
        ([[[1]], [[]]], None, [1]),
        ([["ab", None], [{"k": 1}, True]], (2, 2), ["ab", None, {"k": 1}, True]),
    ],
)
def test_nested_lists_have_a_shape_unless_ragged_and_flatten_in_order(
    value: object, shape: tuple[int, ...] | None, leaves: list[object]
) -> None:
    assert nested_shape(value) == shape
    assert flatten(value) == leaves


def test_a_bad_element_is_named_by_its_grid_position() -> None:
    x = spec([None, 3, 2], "int8")
    with pytest.raises(ValueProblem, match=r"^value \[2, 1\]: 300 does not fit in int8"):
        x.read_row([[1, 2], [3, 4], [5, 300]])
    cube = spec([2, 2, 2], max=5)
    with pytest.raises(ValueProblem, match=r"^value \[1, 0, 1\]: must be at most 5$"):
        cube.read_row([0, 0, 0, 0, 0, 9, 0, 0])
    with pytest.raises(ValueProblem, match=r"^value 3: must be at most 5$"):
        spec([None, 4], max=5).read_row([0, 0, 9, 0])


def test_a_flat_row_of_numbers_is_checked_as_element_by_element() -> None:
    """Plain numbers take a fast path: its values and its messages are the slow path's."""
    row = spec([None, 5], min=-1, max=4).read_row([1, 2.5, 0, -1, 4])
    assert row == [1.0, 2.5, 0.0, -1.0, 4.0] and all(type(v) is float for v in row)
    assert spec([None, 3], "int16").read_row([1, 2.0, -3]) == [1, 2, -3]
    cases = [
        ([None, 5], "float32", {"max": 4}, [1, float("nan"), 9, 0, 0], "value 2: enter a finite number"),
        ([None, 3], "float32", {}, [1, 2, 1e39], "value 3: 1e+39 is too large for float32"),
        ([None, 3], "float64", {"min": 0}, [1, -2, True], "value 2: must be at least 0"),
        ([None, 3], "float64", {}, [1, True, 2], "value 2: expected a number, got bool True"),
        ([None, 3], "int8", {}, [1, 200, 1.5], "value 2: 200 does not fit in int8 (-128 to 127)"),
        ([None, 3], "int8", {}, [1, 2, 1.5], "value 3: 1.5 is not a whole number"),
        ([None, 2], "int8", {"choices": [1, 2]}, [1, 3], "value 2: must be one of 1, 2"),
        ([None, 2], "float32", {}, [1, 2, 3], "expected 2 values, got 3"),
    ]
    for shape, dtype, extra, given, message in cases:
        with pytest.raises(ValueProblem) as problem:
            spec(shape, dtype, **extra).read_row(given)
        assert str(problem.value) == message


def test_predict_and_the_form_accept_the_same_grid_values(tmp_path: Path) -> None:
    (tmp_path / "m.yml").write_text(
        "name: Grid\ninputs:\n  x: {type: float32, shape: [3, 2], max: 10}\n"
        "outputs:\n  y: {type: float32, shape: [3]}\n"
    )
    app = load_metadata(tmp_path / "m.yml")
    assert from_api(app, {"x": MATRIX}) == {"x": FLAT}
    assert from_form(app, {"x": [str(v) for v in FLAT]}) == {"x": FLAT}
    with pytest.raises(InputError) as error:
        from_api(app, {"x": MATRIX[:2]})
    assert dict(error.value.problems) == {"x": "expected shape [3, 2], got [2, 2]"}
    assert str(error.value) == "x: expected shape [3, 2], got [2, 2]"
    with pytest.raises(InputError) as error:
        from_form(app, {"x": ["1", "2", "3", "4", "5", "11"]})
    assert dict(error.value.problems) == {"x": "value [2, 1]: must be at most 10"}


def test_metadata_defaults_and_examples_may_be_nested(tmp_path: Path) -> None:
    text = """\
name: Grid
inputs:
  x: {type: float32, shape: [null, 3, 2], default: [[1.5, -2], [3, 4.25], [5, 6]]}
  z: {type: int8, shape: [2, 2], default: 7}
outputs:
  y: {type: float32, shape: [null, 3]}
examples:
  - {x: [[[0, 1], [2, 3], [4, 5]]], z: [[1, 2], [3, 4]]}
"""
    (tmp_path / "m.yml").write_text(text)
    app = load_metadata(tmp_path / "m.yml")
    assert app.inputs[0].default == tuple(FLAT)
    assert app.inputs[1].default == (7, 7, 7, 7)
    assert app.examples == ({"x": (0, 1, 2, 3, 4, 5), "z": (1, 2, 3, 4)},)
    assert AppSpec.from_dict(app.to_dict()) == app
    bad = text.replace("default: 7", "default: [[1, 2, 3]]").replace("z: [[1, 2], [3, 4]]", "z: [[1], [2]]")
    (tmp_path / "m.yml").write_text(bad)
    with pytest.raises(MetadataError) as error:
        load_metadata(tmp_path / "m.yml")
    problems = dict(error.value.problems)
    assert problems["inputs.z.default"] == "expected shape [2, 2], got [1, 3]"
    assert problems["examples[0].z"] == "expected shape [2, 2], got [2, 1]"


@pytest.mark.parametrize(
    ("shape", "layout"),
    [
        ([None, 1], "single"),
        ([1, 1, 1], "single"),
        ([None, 4], "row"),
        ([1, 8], "row"),  # leading sizes of 1 aside, a row
        ([None, 9], "text area"),
        ([3, 2], "grid"),
        ([None, 1, 3, 2], "grid"),
        ([3, 1], "grid"),
        ([4, 4], "grid"),
        ([8, 8], "grid"),
        ([None, 4, 2, 8], "grid"),  # 64 elements: four stacked 2 x 8 grids
        ([None, 9, 9], "text area"),  # 81 elements: past GRID_LIMIT
        ([2, 5, 7], "text area"),  # 70 elements
        ([2, 9], "text area"),  # rows wider than FIELD_LIMIT, as a 1-D row would be
    ],
)
def test_layout_follows_the_shape(shape: list[Any], layout: str) -> None:
    x = spec(shape)
    chosen = (
        "grid" if uses_grid(x) else "text area" if uses_text_area(x) else "single" if x.size == 1 else "row"
    )
    assert chosen == layout


@dataclass
class Table:
    caption: str = ""
    columns: list[str] = field(default_factory=list)
    rows: list[str] = field(default_factory=list)  # row headers
    cells: list[list[dict[str, str]]] = field(default_factory=list)  # each body row's <input> attributes


class FormParser(HTMLParser):
    """The grid tables of a rendered field, and every control in document order."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[Table] = []
        self.controls: list[dict[str, str]] = []
        self.text: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "table":
            self.tables.append(Table())
        elif tag == "tr" and self.tables:
            self.tables[-1].cells.append([])
        elif tag in ("input", "textarea"):
            self.controls.append(values)
            if self.tables:
                self.tables[-1].cells[-1].append(values)
        elif tag in ("th", "caption"):
            self.text = [tag, values.get("scope", "")]

    def handle_data(self, data: str) -> None:
        if self.text is None:
            return
        tag, scope = self.text
        table = self.tables[-1]
        if tag == "caption":
            table.caption = data
        elif scope == "col":
            table.columns.append(data)
        else:
            table.rows.append(data)
        self.text = None


def parse(html: str) -> FormParser:
    parser = FormParser()
    parser.feed(html)
    return parser


def test_a_3_by_2_input_is_one_grid_of_fields_in_row_major_order() -> None:
    x = spec([3, 2], label="Matrix <m>", default=MATRIX, max=10)
    html = render_field(x)
    assert html.startswith('<fieldset class="field grid" data-input="x"><legend>Matrix &lt;m&gt;</legend>')
    form = parse(html)
    (table,) = form.tables
    assert (table.caption, table.columns, table.rows) == ("", ["0", "1"], ["0", "1", "2"])
    body = [row for row in table.cells if row]
    assert [[c["aria-label"] for c in row] for row in body] == [
        ["Matrix <m> [0, 0]", "Matrix <m> [0, 1]"],
        ["Matrix <m> [1, 0]", "Matrix <m> [1, 1]"],
        ["Matrix <m> [2, 0]", "Matrix <m> [2, 1]"],
    ]
    assert {c["name"] for c in form.controls} == {"x"}
    assert [c["id"] for c in form.controls] == [f"in-x-{i}" for i in range(6)]
    assert [c["value"] for c in form.controls] == ["1.5", "-2", "3", "4.25", "5", "6"]
    assert {(c["type"], c["max"]) for c in form.controls} == {("number", "10")}
    app = AppSpec("Grid", None, (x,))
    assert from_form(app, {"x": [c["value"] for c in form.controls]}) == {"x": FLAT}
    assert 'data-error-for="x"' in html


def test_higher_ranks_stack_one_captioned_grid_per_leading_index() -> None:
    cube = spec(["batch", 2, 2, 2, 3], "bool", label="Cube")
    form = parse(render_field(cube))
    assert [t.caption for t in form.tables] == ["[0, 0]", "[0, 1]", "[1, 0]", "[1, 1]"]
    assert all(t.columns == ["0", "1", "2"] and t.rows == ["0", "1"] for t in form.tables)
    labels = [c["aria-label"] for c in form.controls]
    assert len(labels) == 24
    assert labels[2:4] == ["Cube [0, 0, 0, 2]", "Cube [0, 0, 1, 0]"]
    assert labels[6] == "Cube [0, 1, 0, 0]" and labels[-1] == "Cube [1, 1, 1, 2]"
    assert {(c["name"], c["type"]) for c in form.controls} == {("x", "checkbox")}


def test_a_grid_past_the_limit_is_one_text_area_with_a_line_per_row() -> None:
    big = spec([None, 9, 9], "int32", label="Big", default=[[r * 9 + c for c in range(9)] for r in range(9)])
    html = render_field(big)
    form = parse(html)
    assert form.tables == [] and [c["name"] for c in form.controls] == ["x"]
    assert 'placeholder="81 values, 9 × 9 row by row, separated by commas or spaces"' in html
    text = re.search(r"<textarea[^>]*>(.*)</textarea>", html, re.DOTALL)[1]  # type: ignore[index]
    lines = text.splitlines()
    assert len(lines) == 9 and lines[1] == "9, 10, 11, 12, 13, 14, 15, 16, 17"
    app = AppSpec("Big", None, (big,))
    assert from_form(app, {"x": [text]}) == {"x": list(range(81))}


def test_a_1_d_row_keeps_its_single_row_of_fields() -> None:
    html = render_field(spec([None, 4], label="Row"))
    assert '<fieldset class="field row"' in html and "<table" not in html
    assert [c["aria-label"] for c in parse(html).controls] == [f"Row [{i}]" for i in range(4)]


def test_a_typed_array_is_taken_whole_and_checked_as_a_list_would_be() -> None:
    """The page sends a float input's long arrays as a typed array (a memoryview here):
    copied at once when valid, worded value by value when not."""
    app = AppSpec.from_dict(
        {
            "name": "x",
            "inputs": {"v": {"type": "float32", "shape": [None, 100], "min": -1, "max": 1}},
            "outputs": {"y": {"type": "float32", "shape": [1]}},
        }
    )
    good = array.array("f", [i / 100 for i in range(100)])
    row = from_api(app, {"v": memoryview(good)})["v"]
    assert isinstance(row, array.array) and row == good
    assert list(from_api(app, {"v": memoryview(array.array("d", good))})["v"]) == good.tolist()
    for bad, message in (
        (2.0, "value 51: must be at most 1"),
        (float("nan"), "value 51: enter a finite number"),
    ):
        values = array.array("f", good)
        values[50] = bad
        with pytest.raises(InputError) as error:
            from_api(app, {"v": memoryview(values)})
        assert dict(error.value.problems) == {"v": message}
    with pytest.raises(InputError, match="expected 100 values"):
        from_api(app, {"v": memoryview(good[:99])})
    for typecode, big in (("f", 3e38), ("d", 1e308)):
        values = array.array(typecode, [1.0, -big, 0.0])
        assert all_finite(values)
        for bad in (float("inf"), float("-inf"), float("nan")):
            values[2] = bad
            assert not all_finite(values)
