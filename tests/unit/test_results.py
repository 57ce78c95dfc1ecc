"""`results:` in the metadata: how postprocess's own entries are labelled and shown."""

from __future__ import annotations

from typing import Any

import pytest

from shipyard_runtime.display import render_result
from shipyard_runtime.form import render_outputs
from shipyard_runtime.problems import SpecError
from shipyard_runtime.spec import AppSpec

BASE: dict[str, Any] = {
    "name": "x",
    "python": "app.py",
    "inputs": {"x": {"type": "float32", "shape": [1]}},
    "outputs": {"y": {"type": "float32", "shape": [1, 3]}},
}
RESULTS = {
    "animal": {"name": "Animal", "display": "label"},
    "odds": {"name": "Odds", "display": "probabilities", "labels": ["cat", "dog", "owl"]},
    "price": {"display": "number", "format": ",.2f", "unit": "EUR"},
    "mask": {"display": "image", "image": {"scale": 1.0}},
}


def app_with(results: dict[str, Any], **extra: Any) -> AppSpec:
    return AppSpec.from_dict(BASE | {"results": results} | extra)


def test_each_entry_is_shown_as_its_display_says() -> None:
    app = app_with(RESULTS)
    spec = {r.key: r for r in app.results}
    assert 'class="value predicted-label">dog<' in render_result("dog", spec["animal"])
    bars = render_result([0.2, 0.7, 0.1], spec["odds"])
    assert bars.index('data-class="dog"') < bars.index('data-class="cat"')
    assert ">1,234.50 EUR<" in render_result(1234.5, spec["price"])
    assert '<canvas class="value image" width="2" height="1">' in render_result([[0, 255]], spec["mask"])


def test_an_entry_that_does_not_fit_its_display_is_shown_by_its_type() -> None:
    spec = app_with(RESULTS).results[1]
    assert '<pre class="json">' in render_result({"cat": 0.5}, spec)
    assert render_result("<b>", None) == '<span class="value text">&lt;b&gt;</span>'


def test_results_get_labelled_slots_after_the_outputs() -> None:
    html = render_outputs(app_with(RESULTS))
    assert (
        html.index('data-output="y"') < html.index('data-output="animal"') < html.index('data-output="mask"')
    )
    assert ">Animal<" in html and ">price<" in html


@pytest.mark.parametrize(
    ("results", "extra", "message"),
    [
        ({"a": {"display": "bars"}}, {}, "results.a.display: unknown display 'bars'"),
        ({"a": {"type": "float32"}}, {}, "results.a.type: unknown field"),
        ({"a": {"display": "label", "image": {}}}, {}, "results.a.image: applies to `display: image` only"),
        ({"a": {"display": "label"}}, {"python": None}, "results: results come from the `postprocess`"),
    ],
)
def test_results_are_checked(results: dict[str, Any], extra: dict[str, Any], message: str) -> None:
    with pytest.raises(SpecError) as error:
        app_with(results, **extra)
    assert message in str(error.value)


def test_results_survive_a_round_trip() -> None:
    app = app_with(RESULTS)
    assert AppSpec.from_dict(app.to_dict()) == app
