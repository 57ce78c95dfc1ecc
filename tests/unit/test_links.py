"""Link fragments and example texts: what the form shows is what a link carries back."""

from __future__ import annotations

from shipyard_runtime.form import example_texts, render_form
from shipyard_runtime.links import from_fragment, to_fragment
from shipyard_runtime.spec import AppSpec
from shipyard_runtime.values import from_form

APP = AppSpec.from_dict(
    {
        "name": "Links",
        "inputs": {
            "text": {"type": "string", "shape": [1], "default": "a"},
            "row": {"type": "float32", "shape": [None, 3], "default": [0, 0, 0]},
            "long": {"type": "int32", "shape": [12], "default": 0},
            "flag": {"type": "bool", "shape": [1], "default": False},
        },
        "outputs": {"y": {"type": "float32", "shape": [1]}},
        "examples": [
            {"text": "héllo & wörld = 1", "row": [1, 2.5, -3], "long": list(range(12)), "flag": True}
        ],
    }
)


def test_fragment_round_trips_rows_unicode_and_reserved_characters() -> None:
    texts = {"text": ["héllo & wörld = 1"], "row": ["1", "2.5", "-3"], "flag": ["true"]}
    fragment = to_fragment(texts)
    assert fragment.startswith("text=h%C3%A9llo+%26+w%C3%B6rld+%3D+1&row=1&row=2.5&row=-3")
    assert from_fragment("#" + fragment) == texts


def test_example_texts_read_back_as_the_example_itself() -> None:
    texts = example_texts(APP, 0)
    assert texts["long"] == ["0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11"]  # one text area
    values = from_form(APP, from_fragment(to_fragment(texts)))
    assert {key: tuple(row) for key, row in values.items()} == APP.examples[0]


def test_each_example_is_a_button_disabled_until_python_is_ready() -> None:
    html = render_form(APP)
    assert 'data-example="0"' in html and "disabled>Example 1</button>" in html
    assert "héllo &amp; wörld = 1" in html  # the title summarises the example, escaped
