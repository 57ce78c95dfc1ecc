"""The one module that touches the page: DOM, JS values and the boot glue.

Every function JS calls here is synchronous. Pyodide schedules `async def`
functions through asyncio, which costs several times a whole small-model
prediction, so JS awaits `session.run` and Python only prepares feeds and
reads results.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import js  # type: ignore[import-not-found]
from pyodide.ffi import JsProxy, create_proxy, to_js  # type: ignore[import-not-found]

from .display import render_output
from .form import example_texts
from .links import from_fragment, to_fragment
from .spec import AppSpec
from .tensors import Output, build_feeds, read_output
from .values import InputError, Values, from_api, from_form


def _js(value: object) -> Any:
    return to_js(value, dict_converter=js.Object.fromEntries)


class Page:
    """The API the boot glue calls: prepare feeds, then collect results."""

    def __init__(self, app: AppSpec) -> None:
        self.app = app
        self.form = js.document.getElementById("shipyard-form")

    def prepare_api(self, given: JsProxy) -> Any:
        """Feeds for `window.shipyard.predict(inputs)`, or `{error, problems}`."""
        return self._prepare(lambda: from_api(self.app, given.to_py()), show=False)

    def prepare_form(self) -> Any:
        """Feeds for the form's current values; problems are shown beside their fields."""
        return self._prepare(self._read_form, show=True)

    def collect(self, results: JsProxy, show: bool) -> Any:
        """Turn onnxruntime-web's result map into `{name: {type, dims, data}}`."""
        outputs = [self._read(name, tensor) for name, tensor in js.Object.entries(results)]
        if show:
            for output in outputs:
                self._show_output(output)
        return _js({o.name: o.to_result() for o in outputs})

    def show_error(self, message: str) -> None:
        """A failure outside any one field (onnxruntime-web, for example), shown under the form."""
        box = js.document.getElementById("shipyard-form-error")
        box.textContent = message
        box.hidden = not message

    def _prepare(self, read: Callable[[], Values], show: bool) -> Any:
        try:
            values = read()
        except InputError as error:
            if show:
                self._show_problems(error.problems)
            return _js({"error": f"Invalid input: {error}", "problems": error.problems})
        if show:
            self._show_problems({})
        feeds = build_feeds(self.app, values)
        return _js({"feeds": [[f.name, f.dtype.name, list(f.dims), f.data] for f in feeds]})

    def form_fragment(self) -> str:
        """The URL fragment that reproduces the form as it is now."""
        return to_fragment(self._read_texts())

    def fill_from_fragment(self, fragment: str) -> bool:
        """Fill the form from a shared link; False when the link names none of the inputs."""
        texts = from_fragment(fragment)
        known = {key: items for key, items in texts.items() if key in {s.key for s in self.app.inputs}}
        self._fill(known)
        return bool(known)

    def fill_example(self, index: int) -> None:
        self._fill(example_texts(self.app, index))

    def _fill(self, texts: dict[str, list[str]]) -> None:
        for key, items in texts.items():
            controls = [e for e in self.form.elements if e.name == key]
            for element, text in zip(controls, items, strict=False):
                if element.type == "checkbox":
                    element.checked = text == "true"
                else:
                    element.value = text
                element.dispatchEvent(js.Event.new("input"))  # a slider follows its box

    def _read_texts(self) -> dict[str, list[str]]:
        texts: dict[str, list[str]] = {}
        for element in self.form.elements:
            if element.name:
                texts.setdefault(element.name, []).append(_control_text(element))
        return texts

    def _read_form(self) -> Values:
        return from_form(self.app, self._read_texts())

    def _show_problems(self, problems: dict[str, str]) -> None:
        for box in self.form.querySelectorAll("[data-error-for]"):
            message = problems.get(box.dataset.errorFor, "")
            box.textContent = message
            box.hidden = not message
        self.show_error("")

    def _read(self, name: str, tensor: JsProxy) -> Output:
        data = tensor.data.to_py()
        return read_output(self.app, name, tensor.type, tensor.dims.to_py(), data)

    def _show_output(self, output: Output) -> None:
        slot = js.document.querySelector(f'[data-output="{_css_string(output.name)}"]')
        if slot is not None:
            slot.innerHTML = render_output(output)


def _control_text(element: JsProxy) -> str:
    if element.type == "checkbox":
        return "true" if element.checked else "false"
    return str(element.value)


def _css_string(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def start() -> None:
    """Read the app spec embedded in the page and hand the API to the waiting boot glue."""
    app = AppSpec.from_dict(json.loads(js.document.getElementById("shipyard-app").textContent))
    page = Page(app)
    js.window.shipyardBoot.attach(create_proxy(page))
