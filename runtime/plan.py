"""What the page's JS is handed once (`page_plan`): for each model input, where it travels in
a submission (`FeedLayout`) and the check by which `predict` may run the model without a
call into Python (`js_checks`); and what JS must know of the hooks. A site without Python of
its own gets its plan at build time, in the page (`built_plan`), so that `predict` runs
before Python has started; a site with hooks gets it from Python in the page.

Python owns these rules and words every problem; JS runs them as data, and only ever
accepts by them. Every key is named: this module and templates/*.mjs are the two sides of
one contract, and tests/js runs the JS on plans made here.
"""

from __future__ import annotations

import sys
from typing import Any, NamedTuple

from .dtypes import Kind, Value
from .hooks import Hooks
from .picture_prep import picture_files
from .spec import AppSpec
from .tensors import PACKED_MAX, FeedLayout, Slot

# The largest integer a JS number holds exactly: past it, JS and Python could round apart.
JS_SAFE_INTEGER = 2**53 - 1


class Check(NamedTuple):
    """What JS accepts for a model input: a value of the kind (`float` and `int`: a number,
    a whole one for `int`, within [low, high]; `bool`; `string`) among `choices`, if any."""

    kind: Kind
    low: float
    high: float
    choices: list[Value] | None


def js_checks(app: AppSpec) -> list[Check] | None:
    """For each model input, in order, the check JS runs on `predict`'s inputs to hand them
    to onnxruntime-web itself, from the bounds `InputSpec.check` applies and the values
    `choices` allows.

    JS only ever accepts by these checks: anything they do not pass comes to Python, which
    checks it again and words the problem. So the bounds may be narrower than Python's
    (integers within JS's exact range), never wider. None when the form has fields of its
    own: Python's preprocess makes the model's inputs from them, and when an input has free
    dimensions: Python reads the value's shape.
    """
    if app.fields or any(spec.free for spec in app.inputs):
        return None
    checks = []
    for spec in app.inputs:
        low, high = spec.bounds
        limit = sys.float_info.max if spec.dtype.kind == "float" else JS_SAFE_INTEGER
        allowed = None if spec.choices is None else [value for _, value in spec.choices]
        checks.append(Check(spec.dtype.kind, max(low, -limit), min(high, limit), allowed))
    return checks


def page_plan(app: AppSpec, hooks: Hooks, layout: FeedLayout) -> dict[str, Any]:
    """The plan, as JSON-like data:

    - `inputs`: per model input, in order: `name`, `type` (onnxruntime-web's), `typed` (the
      JS typed array that holds it), `dims` (null when each submission's value sets them:
      the submission gives them), `offset` (its place in the packed buffer, or null when it
      travels on its own) and `check` (see `Check`; null with a hook);
    - `fastPath`: whether `predict` may run the model with no call into Python;
    - `packedMax`: from how many numbers a float array travels on its own;
    - `floatArrays`: per form key of a float type, the typed array JS converts a long
      array of numbers to before it comes to Python;
    - `postprocess`: whether results go back to Python after the run;
    - `pictures`: per image input the page prepares in onnxruntime-web, its graph's path
      (see `picture_prep`).
    """
    checks = None if hooks.any else js_checks(app)
    per_input: list[Check | None] = list(checks) if checks is not None else [None] * len(layout.slots)
    return {
        "inputs": [_input(slot, check) for slot, check in zip(layout.slots, per_input, strict=True)],
        "fastPath": checks is not None,
        "packedMax": PACKED_MAX,
        "floatArrays": {spec.key: spec.dtype.js_array for spec in app.form if spec.dtype.kind == "float"},
        "postprocess": hooks.postprocess is not None,
        "pictures": picture_files(app),
    }


def _input(slot: Slot, check: Check | None) -> dict[str, Any]:
    return {
        "name": slot.name,
        "type": slot.dtype.name,
        "typed": slot.dtype.js_array,
        "dims": None if slot.dims is None else list(slot.dims),
        "offset": slot.offset,
        "check": None if check is None else check._asdict(),
    }


def built_plan(app: AppSpec) -> dict[str, Any] | None:
    """The plan a site without a `python` module gets in its page, made by the generator:
    the one Python would hand JS in the browser, where such a site has no hooks. None for
    a site with a module, whose hooks are known only once Python has imported it."""
    if app.python:
        return None
    return page_plan(app, Hooks.from_module(None), FeedLayout(app))
