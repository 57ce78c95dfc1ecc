"""Dynamic dimensions anywhere (runtime/dims.py): which are the batch, which a value sets, and
how each way of giving a value sets them, in the form, in `predict` and from preprocess."""

from __future__ import annotations

from typing import Any

import pytest

from shipyard_runtime.dims import Shaped
from shipyard_runtime.dtypes import ValueProblem
from shipyard_runtime.form import example_texts, render_form
from shipyard_runtime.hooks import Hooks, model_rows
from shipyard_runtime.images import Pixels
from shipyard_runtime.plan import page_plan
from shipyard_runtime.problems import SpecError
from shipyard_runtime.spec import AppSpec
from shipyard_runtime.tensors import FeedLayout, feed
from shipyard_runtime.values import InputError, from_api, from_form


def app(inputs: dict[str, Any], **rest: Any) -> AppSpec:
    outputs = {"y": {"type": "float32", "shape": [None, None]}}
    return AppSpec.from_dict({"name": "t", "inputs": inputs, "outputs": outputs} | rest)


def spec_of(inputs: dict[str, Any], key: str) -> Any:
    return next(s for s in app(inputs).inputs if s.key == key)


SEQUENCE = {"ids": {"type": "int64", "shape": ["batch", "sequence"]}}
STATE = {"state": {"type": "float32", "shape": [2, "batch", 4], "default": 0}}
PICTURE = {"pic": {"type": "float32", "shape": [-1, 3, -1, -1], "image": {"max_side": 32, "multiple_of": 8}}}
GRID = {"grid": {"type": "float32", "shape": [None, None, None]}}


def test_the_first_dimension_and_its_name_elsewhere_are_the_batch_the_others_are_free() -> None:
    spec = app(SEQUENCE | STATE)
    ids, state = spec.inputs
    assert ids.free == (1,) and ids.dims == (1, 1) and ids.probe_dims == (1, 8)
    assert state.free == () and state.dims == (2, 1, 4) and state.default == (0.0,) * 8
    assert spec_of({"x": {"type": "float32", "shape": [2, None, 4]}}, "x").free == (1,)


def test_minus_one_is_dynamic_and_other_negative_sizes_are_refused() -> None:
    assert spec_of(PICTURE, "pic").shape == (None, 3, None, None)
    with pytest.raises(SpecError) as error:
        app({"x": {"type": "float32", "shape": [None, -2]}})
    assert (
        dict(error.value.problems)["inputs.x.shape[1]"]
        == "expected a size, null, -1, a name or {name, min, max}, got int -2"
    )


def test_a_flat_list_sets_the_only_free_dimension_nested_lists_set_several() -> None:
    spec = app(SEQUENCE | GRID | {"rows": {"type": "float32", "shape": [None, None, 3]}})
    values = from_api(
        spec, {"ids": [1, 2, 3, 4, 5], "grid": [[1, 2, 3], [4, 5, 6]], "rows": [1, 2, 3, 4, 5, 6]}
    )
    assert [s.dims_of(values[s.key]) for s in spec.inputs] == [(1, 5), (1, 2, 3), (1, 2, 3)]
    assert isinstance(values["ids"], Shaped) and list(values["ids"]) == [1, 2, 3, 4, 5]


@pytest.mark.parametrize(
    ("given", "problem"),
    [
        ({"grid": [1, 2, 3]}, "grid: shape [?, ?] has 2 free dimensions: give nested lists, or a tensor"),
        ({"grid": [[[1, 2], [3]]]}, "grid: expected shape [?, ?], got lists of different lengths"),
        ({"ids": {"dims": [1, 2, 3], "data": [1] * 6}}, "ids: expected shape [sequence], got [1, 2, 3]"),
        ({"grid": {"dims": [1, 2, 3], "data": [1, 2]}}, "grid: expected 6 values (shape [2, 3]), got 2"),
        (
            {"grid": {"dims": [1, 1, 2], "data": [[1, 2]]}},
            "grid: a tensor's data is flat: its dims give the shape",
        ),
        ({"rows": [1, 2, 3, 4]}, "rows: expected a multiple of 3 values (shape [?, 3]), got 4"),
    ],
)
def test_a_value_that_does_not_fit_says_which_shape_it_needs(given: dict[str, Any], problem: str) -> None:
    spec = app(SEQUENCE | GRID | {"rows": {"type": "float32", "shape": [None, None, 3]}})
    good = {"ids": [1], "grid": [[[1]]], "rows": [1, 2, 3]}
    with pytest.raises(InputError) as error:
        from_api(spec, good | given)
    assert str(error.value).startswith(problem)


def test_an_explicit_tensor_takes_a_flat_list_or_a_typed_array() -> None:
    spec = app(GRID | {"x": {"type": "float32", "shape": [1, 2]}})
    values = from_api(
        spec,
        {
            "grid": {"dims": [1, 2, 2], "data": memoryview(bytes(16)).cast("f")},
            "x": {"dims": [1, 2], "data": [3, 4]},
        },
    )
    assert values["grid"].dims == (1, 2, 2) and list(values["grid"]) == [0.0] * 4  # type: ignore[attr-defined]
    assert list(values["x"]) == [3.0, 4.0]


def test_a_picture_keeps_its_own_size_within_the_bounds_the_metadata_sets() -> None:
    spec = app(PICTURE | {"rec": {"type": "float32", "shape": [None, 3, 48, None], "widget": "image"}})
    values = from_api(
        spec,
        {
            "pic": {"width": 64, "height": 48, "data": bytes(64 * 48 * 4)},
            "rec": {"width": 100, "height": 24, "data": bytes(100 * 24 * 4)},
        },
    )
    assert values["pic"].dims == (1, 3, 24, 32)  # type: ignore[attr-defined]
    assert values["rec"].dims == (1, 3, 48, 200)  # type: ignore[attr-defined]
    assert spec.inputs[0].probe_dims == (1, 3, 32, 32)


def test_an_nhwc_picture_with_free_sides_keeps_its_layout() -> None:
    spec = spec_of({"p": {"type": "float32", "shape": [None, None, None, 3], "widget": "image"}}, "p")
    assert spec.image.layout == "NHWC"
    assert spec.image.sized(spec.dims, spec.free, 10, 20) == (1, 20, 10, 3)


def test_a_rank_0_input_is_one_value_in_the_form_and_in_predict() -> None:
    spec = app({"rate": {"type": "float32", "shape": [], "default": 16000}})
    assert from_api(spec, {"rate": 8000})["rate"] == [8000.0]
    assert from_form(spec, {"rate": ["44100"]})["rate"] == [44100.0]
    assert feed(spec.inputs[0], [1.0]).dims == ()
    assert 'type="number"' in render_form(spec)


def test_the_form_takes_any_length_and_json_for_several_free_dimensions() -> None:
    spec = app(
        SEQUENCE | GRID | {"words": {"type": "string", "shape": [None, None]}},
        examples=[{"ids": [5, 6], "grid": [[1, 2]], "words": ["a", "b"]}],
    )
    html = render_form(spec)
    assert "any number of values (shape [sequence]), separated by commas or spaces" in html
    assert "nested lists in JSON, of shape [?, ?]" in html
    values = from_form(spec, {"ids": ["1, 2 3"], "grid": ["[[1, 2, 5], [3, 4, 6]]"], "words": ["a\nb c"]})
    assert [s.dims_of(values[s.key]) for s in spec.inputs] == [(1, 3), (1, 2, 3), (1, 2)]
    texts = example_texts(spec, 0)
    assert texts == {"ids": ["5, 6"], "grid": ["[[1.0, 2.0]]"], "words": ["a\nb"]}
    with pytest.raises(InputError, match="grid: expected nested lists in JSON"):
        from_form(spec, {"ids": ["1"], "grid": ["1, 2"], "words": ["a"]})


def test_defaults_and_examples_with_free_dimensions_read_back_from_the_page_data() -> None:
    spec = app(SEQUENCE | GRID, examples=[{"ids": [[7, 8, 9]], "grid": [[[1, 2]]]}])
    assert AppSpec.from_dict(spec.to_dict()) == spec
    assert spec.to_dict()["examples"] == [{"ids": [[7, 8, 9]], "grid": [[[1.0, 2.0]]]}]


def test_free_inputs_travel_on_their_own_with_their_dims_and_skip_the_js_checks() -> None:
    spec = app(SEQUENCE | STATE)
    layout = FeedLayout(spec)
    _, own, dims = layout.pack(from_api(spec, {"ids": [4, 5, 6]}))
    assert list(own[0]) == [4, 5, 6] and dims == [[1, 3]]
    plan = page_plan(spec, Hooks(), layout)
    assert [i["dims"] for i in plan["inputs"]] == [None, [2, 1, 4]] and plan["fastPath"] is False


def test_preprocess_sets_free_dimensions_by_the_shape_it_returns() -> None:
    spec = app(SEQUENCE | GRID)
    rows = model_rows(spec, {"ids": [1, 2], "grid": [[[1.0, 2.0, 3.0]]]})
    assert rows["ids"].dims == (1, 2) and rows["grid"].dims == (1, 1, 3)  # type: ignore[attr-defined]
    with pytest.raises(ValueProblem, match="grid.*do not fit"):
        model_rows(spec, {"ids": [1], "grid": [1.0, 2.0]})


def test_a_picture_of_any_size_fills_the_form_row() -> None:
    spec = app(PICTURE)
    values = from_form(spec, {}, {"pic": Pixels(10, 20, bytes(800))})
    assert values["pic"].dims == (1, 3, 16, 8)  # 10 × 20, to multiples of 8  # type: ignore[attr-defined]


def test_the_metadata_may_bound_a_free_dimension() -> None:
    spec = app({"ids": {"type": "int64", "shape": [None, {"name": "sequence", "min": 2, "max": 4}]}})
    assert spec.inputs[0].free == (1,) and spec.inputs[0].shape == (None, "sequence")
    assert from_api(spec, {"ids": [1, 2, 3]})["ids"].dims == (1, 3)  # type: ignore[attr-defined]
    for ids in ([1], [1, 2, 3, 4, 5], [[1, 2, 3, 4, 5]]):
        with pytest.raises(InputError, match="ids: sequence takes 2 to 4, got"):
            from_api(spec, {"ids": ids})
    assert AppSpec.from_dict(spec.to_dict()) == spec
    assert spec.to_dict()["inputs"]["ids"]["shape"] == [None, {"name": "sequence", "min": 2, "max": 4}]
    with pytest.raises(SpecError) as error:
        app({"ids": {"type": "int64", "shape": [None, {"min": 5, "max": 4, "size": 3}]}})
    problems = dict(error.value.problems)
    assert problems["inputs.ids.shape[1].min"] == "min 5 is greater than max 4"
    assert problems["inputs.ids.shape[1].size"].startswith("unknown field")


def test_a_dimension_named_batch_is_the_batch_wherever_it_is() -> None:
    spec = app(
        {
            "x": {"type": "float32", "shape": ["sequence", "batch", 3]},
            "h": {"type": "float32", "shape": [2, "batch_size", 4]},
        }
    )
    x, h = spec.inputs
    assert x.free == (0,) and h.free == ()
    unnamed = app(
        {
            "x": {"type": "float32", "shape": [None, "batch", 3]},
            "y": {"type": "float32", "shape": [None, "n"]},
        }
    )
    assert [s.free for s in unnamed.inputs] == [(), (1,)]  # an unnamed first dimension is the batch


def test_a_value_given_whole_may_hold_a_batch_of_several_rows() -> None:
    spec = app(SEQUENCE | {"x": {"type": "float32", "shape": [None, 2]}})
    values = from_api(spec, {"ids": {"dims": [2, 3], "data": [1, 2, 3, 4, 5, 6]}, "x": [[1, 2], [3, 4]]})
    assert values["ids"].dims == (2, 3) and values["x"].dims == (2, 2)  # type: ignore[attr-defined]
    packed, own, dims = FeedLayout(spec).pack(values)
    assert packed is None and dims == [[2, 3], [2, 2]]  # nothing packs: every input on its own
    assert from_api(spec, {"ids": [1], "x": [[1, 2]]})["x"] == [1.0, 2.0]  # one row packs as ever
