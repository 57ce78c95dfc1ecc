"""Input widgets chosen by type or by the metadata, and output display kinds."""

from __future__ import annotations

import pytest

from shipyard_runtime.display import render_output
from shipyard_runtime.dtypes import DTYPES
from shipyard_runtime.form import render_field
from shipyard_runtime.problems import SpecError
from shipyard_runtime.spec import AppSpec
from shipyard_runtime.tensors import Output
from shipyard_runtime.values import InputError, from_form


def app(inputs: dict[str, object], outputs: dict[str, object] | None = None) -> AppSpec:
    return AppSpec.from_dict(
        {"name": "W", "inputs": inputs, "outputs": outputs or {"y": {"type": "float32", "shape": [1]}}}
    )


@pytest.mark.parametrize(
    ("entry", "control"),
    [
        ({"type": "float32", "shape": [1]}, "number"),
        ({"type": "float32", "shape": [1], "min": 0, "max": 10}, "slider"),
        ({"type": "int64", "shape": [1]}, "integer"),
        ({"type": "bool", "shape": [1]}, "checkbox"),
        ({"type": "string", "shape": [1]}, "text"),
        ({"type": "string", "shape": [1], "widget": "textarea"}, "textarea"),
        ({"type": "string", "shape": [1], "choices": ["red", "green"]}, "select"),
        ({"type": "int32", "shape": [1], "choices": {"small": 1, "large": 3}}, "select"),
    ],
)
def test_widget_follows_the_type_or_the_metadata(entry: dict[str, object], control: str) -> None:
    assert app({"x": entry}).inputs[0].control == control


def test_select_offers_the_choices_and_accepts_only_them() -> None:
    spec = app({"size": {"type": "int32", "shape": [1], "choices": {"small": 1, "large": 3}, "default": 3}})
    html = render_field(spec.inputs[0])
    assert '<select id="in-size" name="size">' in html
    assert '<option value="1">small</option><option value="3" selected>large</option>' in html
    assert from_form(spec, {"size": ["1"]}) == {"size": [1]}
    with pytest.raises(InputError, match="must be one of small, large"):
        from_form(spec, {"size": ["2"]})


def test_slider_mirrors_a_named_number_box() -> None:
    html = render_field(
        app({"t": {"type": "float32", "shape": [1], "min": 0, "max": 2, "default": 1}}).inputs[0]
    )
    assert 'type="range"' in html and 'data-for="in-t"' in html and 'step="0.002"' in html
    assert html.count('name="t"') == 1  # the slider has no name: the box alone is read


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        ({"type": "string", "shape": [1], "widget": "slider"}, "a slider cannot edit string values"),
        ({"type": "float32", "shape": [1], "widget": "slider"}, "a slider needs `min` and `max`"),
        ({"type": "float32", "shape": [1], "widget": "select"}, "a select needs `choices`"),
        (
            {"type": "float32", "shape": [1], "widget": "slidr"},
            "unknown widget 'slidr' (did you mean 'slider'?)",
        ),
        ({"type": "int8", "shape": [1], "choices": [1, 999]}, "999: 999 does not fit in int8"),
        ({"type": "string", "shape": [1], "choices": ["a"], "default": "b"}, "must be one of a"),
    ],
)
def test_widget_mistakes_are_metadata_problems(entry: dict[str, object], problem: str) -> None:
    with pytest.raises(SpecError) as error:
        app({"x": entry})
    assert any(problem in p.reason for p in error.value.problems), error.value.problems


def output(
    display: dict[str, object], values: list[object], dims: tuple[int, ...], type_: str = "float32"
) -> str:
    spec = app(
        {"x": {"type": "float32", "shape": [1]}}, {"y": {"type": type_, "shape": list(dims), **display}}
    )
    return render_output(Output("y", DTYPES[type_], dims, values, spec.outputs[0].show))  # type: ignore[arg-type]


def test_number_display_uses_format_and_unit() -> None:
    assert output({"display": "number", "format": ",.2f", "unit": "$"}, [1234.5], (1,)) == (
        '<span class="value">1,234.50 $</span>'
    )
    assert "<li>0.50 kg</li><li>2.00 kg</li>" in output({"format": ".2f", "unit": "kg"}, [0.5, 2.0], (2,))


def test_table_text_and_json_displays() -> None:
    assert output({"display": "table"}, [1.0, 2.0, 3.0, 4.0], (1, 4)).count("<tr>") == 1
    assert (
        output({"display": "text"}, ["a <b>", "c"], (2,), "string")
        == '<pre class="text">a &lt;b&gt;\nc</pre>'
    )
    assert output({"display": "json"}, [1.0, 2.0, 3.0, 4.0], (1, 2, 2)) == (
        '<pre class="json">[\n [\n  1.0,\n  2.0\n ],\n [\n  3.0,\n  4.0\n ]\n]</pre>'
    )


def test_a_bad_number_format_is_a_metadata_problem() -> None:
    with pytest.raises(SpecError, match="not a number format"):
        app(
            {"x": {"type": "float32", "shape": [1]}},
            {"y": {"type": "float32", "shape": [1], "format": ".2q"}},
        )
