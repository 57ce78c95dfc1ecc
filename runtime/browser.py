"""The one module that touches the page: DOM, JS values and the boot glue.

Every function JS calls here is synchronous unless a user hook is async. Pyodide
schedules `async def` functions through asyncio, which costs more than a whole
small-model prediction, so JS awaits `session.run` and Python only prepares feeds
and reads results (see `pipeline`).
"""

from __future__ import annotations

import codecs
import contextlib
import importlib
import json
import math
import sys
from collections.abc import Callable, Sequence
from typing import Any

import js  # type: ignore[import-not-found]
from pyodide.ffi import JsProxy, create_proxy, to_js  # type: ignore[import-not-found]

from . import stdlib_rest
from .batch import BatchError, predict_csv
from .display import image_of, render_output, render_result, result_output
from .dtypes import Value
from .form import example_texts, render_output_slot
from .hooks import Hooks
from .images import Pixels
from .links import from_fragment, to_fragment
from .names import ATTRIBUTES, FILES, IDS, PAGE_DATA, USER_MODULE
from .picture_prep import picture_files
from .pipeline import Pipeline, Prediction, Prepared, attempt
from .plan import page_plan
from .spec import AppSpec, InputSpec, TensorSpec
from .tensors import Feed, FeedLayout, Output, read_output
from .values import ForeignArray, InputError, Picture, Values, from_api, from_form


def _js(value: object) -> Any:
    return to_js(value, dict_converter=js.Object.fromEntries)


class Page:
    """The API the boot glue calls: prepare feeds, then collect results.

    With a user hook that is `async def`, prepare or collect return an awaitable,
    which JS awaits like a Promise; without one, both stay synchronous.
    """

    def __init__(self, app: AppSpec, hooks: Hooks) -> None:
        self.app = app
        self.hooks = hooks
        self.pipeline = Pipeline(app, hooks)
        self.form = js.document.getElementById(IDS.form)
        self.pending: dict[int, Prepared] = {}  # what postprocess will need, by run
        self.runs = 0
        self.layout = FeedLayout(app)
        self.pictures = picture_files(app)

    def plan(self) -> Any:
        """What JS needs once: see `plan.page_plan`."""
        return _js(page_plan(self.app, self.hooks, self.layout))

    def prepare_api(self, given: JsProxy, typed: JsProxy) -> Any:
        """The submission for `window.shipyard.predict(inputs)` (see `_submission`), or
        `{error}`. `typed` holds the inputs JS sent as typed arrays: with no hook to read
        them, they stay in JS."""
        return self._prepare(lambda: from_api(self.app, given.to_py() | self._typed(typed)), show=False)

    def _typed(self, typed: JsProxy) -> dict[str, Any]:
        if self.hooks.any:
            return typed.to_py()  # type: ignore[no-any-return]
        return {key: JsFloatArray(array) for key, array in js.Object.entries(typed)}

    def prepare_form(self) -> Any:
        """Feeds for the form's current values; problems are shown beside their fields."""
        return self._prepare(self._read_form, show=True)

    def collect(self, results: JsProxy, show: bool, run: int) -> Any:
        """`{ok: {name: {type, dims, data}}}` from onnxruntime-web's result map, with
        `postprocess`'s entries under `ok.postprocess`; or `{error}` if it failed."""
        outputs = [self._read(name, tensor) for name, tensor in js.Object.entries(results)]
        if show:
            for output in outputs:
                self._show_output(output)
        prepared = self.pending.pop(run, Prepared({}))  # nothing waits when there is no postprocess
        return attempt(
            lambda: self.pipeline.finish(prepared, outputs),
            lambda prediction: self._result(prediction, show),
            lambda error: _js({"error": str(error)}),
        )

    async def predict_csv(self, text: str, run: JsProxy, show: bool) -> Any:
        """`{ok: {rows, csv}}` for a CSV file's rows, or `{error}`; `run(feeds)` is JS's
        session.run. With `show`, the page's batch section gets the table."""

        async def run_model(feeds: list[Feed]) -> list[Output]:
            results = await run(_js(_js_feeds(feeds)))
            return [self._read(name, tensor) for name, tensor in js.Object.entries(results)]

        try:
            table = await predict_csv(self.pipeline, text, run_model)
        except BatchError as error:
            return _js({"error": str(error)})
        if show:
            js.document.getElementById(IDS.batch_result).innerHTML = table.to_html()
        return _js({"ok": {"rows": len(table.rows), "csv": table.to_csv()}})

    def memory(self) -> dict[str, int]:
        """Bytes of WebAssembly memory Pyodide holds (it only grows), and Python's live objects."""
        import pyodide_js  # type: ignore[import-not-found]

        return {"wasm": pyodide_js._module.HEAPU8.length, "objects": sys.getallocatedblocks()}

    def warm_up(self) -> Any:
        """Go once through what a click runs, showing nothing and running no user code, and
        return blank feeds for JS to run the model on once.

        With Pyodide restored from its snapshot, the page is ready before the browser has
        compiled the wasm a click needs (it compiles each function the first time it runs):
        the first click would pay for Python's share and for onnxruntime-web's first run.
        """
        with contextlib.suppress(InputError):
            from_form(self.app, self._read_texts(), {})
        for spec in self.app.outputs:
            render_output(Output(spec.key, spec.dtype, spec.dims, _blanks(spec), spec.show))
        return self._submission({spec.key: _probe(spec) for spec in self.app.inputs}, 0)

    def show_error(self, message: str) -> None:
        """A failure outside any one field (onnxruntime-web, user code), shown under the form."""
        box = js.document.getElementById(IDS.form_error)
        box.textContent = message
        box.hidden = not message

    def _prepare(self, read: Callable[[], Values], show: bool) -> Any:
        try:
            values = read()
        except InputError as error:
            if show:
                self._show_problems(dict(error.problems))
            return _js({"error": f"Invalid input: {error}"})
        if show:
            self._show_problems({})
        return attempt(
            lambda: self.pipeline.prepare(values),
            self._feeds,
            lambda error: _js({"error": str(error), "hook": True}),
        )

    def _feeds(self, prepared: Prepared) -> Any:
        self.runs += 1
        if self.hooks.postprocess is not None:
            self.pending[self.runs] = prepared
        return self._submission(prepared.rows, self.runs)

    def _submission(self, rows: Values, run: int) -> Any:
        """`{packed, own, dims, run}`: the packed buffer (the plan's `offset`s say where each
        input sits in it; null when every input travels on its own), the inputs that travel
        on their own in order, the dims of each of those whose value sets them (null for the
        others), and the run's number."""
        packed, own, dims = self.layout.pack(rows)
        arrays = [v.array if isinstance(v, JsFloatArray) else v for v in own]
        return _js({"packed": packed, "own": arrays, "dims": dims, "run": run})

    def _result(self, prediction: Prediction, show: bool) -> Any:
        if show:
            for name, value in (prediction.entries or {}).items():
                self._show_result(name, value)
        return _js({"ok": prediction.to_result()})

    def _show_result(self, name: str, value: object) -> None:
        spec = next((r for r in self.app.results if r.key == name), None)
        slot = self._slot(name)
        slot.innerHTML = render_result(value, spec)
        output = result_output(value, spec) if spec and spec.show.display == "image" else None
        if output:
            _draw(slot, output)

    def _slot(self, name: str) -> Any:
        """The element showing `name`, added under the outputs when the page has none."""
        slot = _output_slot(name)
        if not slot:  # querySelector's null is Pyodide's `jsnull`, not None
            holder = js.document.createElement("div")
            holder.innerHTML = render_output_slot(name, name)
            js.document.getElementById(IDS.outputs).appendChild(holder.firstChild)
            slot = _output_slot(name)
        return slot

    def form_fragment(self) -> str:
        """The URL fragment that reproduces the form as it is now."""
        return to_fragment(self._read_texts())

    def fill_from_fragment(self, fragment: str) -> bool:
        """Fill the form from a shared link; False when the link names none of the inputs."""
        texts = from_fragment(fragment)
        known = {key: items for key, items in texts.items() if key in self.app.form_keys}
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
        return from_form(self.app, self._read_texts(), self._read_images())

    def _read_images(self) -> dict[str, Picture]:
        """The pictures chosen so far: the tensor the page prepared of each it prepares (see
        `picture_prep`), or else the picture as the page decoded it (ImageData, RGBA)."""
        images: dict[str, Picture] = {}
        for spec in self.app.form:
            if spec.key in self.pictures:
                tensor = js.window.shipyardBoot.formTensor(spec.key)
                if tensor is not None:  # JS undefined: no picture yet
                    images[spec.key] = tensor.to_py() if self.hooks.any else JsFloatArray(tensor)
            elif spec.image is not None and (image := js.window.shipyardBoot.image(spec.key)):
                images[spec.key] = Pixels(image.width, image.height, image.data.to_bytes())
        return images

    def _show_problems(self, problems: dict[str, str]) -> None:
        for box in self.form.querySelectorAll(f"[{ATTRIBUTES.error_for}]"):
            message = problems.get(box.getAttribute(ATTRIBUTES.error_for), "")
            box.textContent = message
            box.hidden = not message
        self.show_error("")

    def _read(self, name: str, tensor: JsProxy) -> Output:
        data = tensor.data.to_py()
        return read_output(self.app, name, tensor.type, tensor.dims.to_py(), data)

    def _show_output(self, output: Output) -> None:
        slot = _output_slot(output.name)
        if slot:  # an output the metadata leaves out has no slot (null is `jsnull`)
            slot.innerHTML = render_output(output)
            if output.show and output.show.display == "image" and output.values:
                _draw(slot, output)


class JsFloatArray(ForeignArray):
    """A JS Float32Array or Float64Array, checked by shipyard.js's `within` in one loop."""

    def __init__(self, array: JsProxy) -> None:
        self.array = array
        self.typecode = {"Float32Array": "f", "Float64Array": "d"}.get(array.constructor.name, "")

    def __len__(self) -> int:
        return int(self.array.length)

    def all_within(self, low: float, high: float) -> bool:
        return bool(js.window.shipyardBoot.within(self.array, low, high))

    def to_memoryview(self) -> memoryview:
        return self.array.to_py()  # type: ignore[no-any-return]


_BLANKS: dict[str, Value] = {"string": "", "bool": False, "int": 0, "float": 0.0}


def _blanks(spec: TensorSpec) -> list[Value]:
    """A submission of zeros (empty text, false) for the tensor."""
    return [_BLANKS[spec.dtype.kind]] * spec.size


def _probe(spec: InputSpec) -> Sequence[Value]:
    """Zeros in the dims of a made-up input (see `InputSpec.probe_dims`)."""
    dims = spec.probe_dims
    return spec.shaped([_BLANKS[spec.dtype.kind]] * math.prod(dims), dims)


def _draw(slot: JsProxy, output: Output) -> None:
    """Paint an image output on the canvas `render_output` put in its slot."""
    pixels = image_of(output)
    data = js.Uint8ClampedArray.new(to_js(pixels.rgba))
    canvas = slot.querySelector("canvas")
    canvas.getContext("2d").putImageData(js.ImageData.new(data, pixels.width, pixels.height), 0, 0)


def _js_feeds(feeds: list[Feed]) -> list[dict[str, Any]]:
    """Feeds as the page's JS makes tensors of them: `{name, type, dims, data}`."""
    return [{"name": f.name, "type": f.dtype.name, "dims": list(f.dims), "data": f.data} for f in feeds]


def _control_text(element: JsProxy) -> str:
    if element.type == "checkbox":
        return "true" if element.checked else "false"
    return str(element.value)


def _output_slot(name: str) -> Any:
    """The element showing output `name`, or JS's null (`jsnull`, not None) when there is none."""
    return js.document.querySelector(f'[{ATTRIBUTES.output}="{_css_string(name)}"]')


def _css_string(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def rest_of_stdlib(path: str) -> bytes:
    """The rest of the stdlib (see `stdlib_rest`): as the page kept it on an earlier visit
    (templates/stdlib.mjs), or fetched now and handed to the page to keep."""
    rest = js.window.shipyardBoot.stdlibRest
    if rest.bytes:
        return rest.bytes.to_bytes()  # type: ignore[no-any-return]
    data = fetch_now(path)
    rest.keep(to_js(data))
    return data


def fetch_now(path: str) -> bytes:
    """A site file's bytes, fetched synchronously, for an import (which cannot await)."""
    request = js.XMLHttpRequest.new()
    request.open("GET", path, False)
    request.overrideMimeType("text/plain; charset=x-user-defined")  # one char per byte
    try:
        request.send()
    except Exception as error:  # the browser's NetworkError
        raise ImportError(f"{path} cannot be fetched ({error}); is the network down?") from None
    if request.status != 200:
        raise ImportError(f"{path} cannot be fetched: the host answered {request.status}")
    # x-user-defined maps byte b to U+F700 + b above 0x7F, so each byte is a char's low byte.
    # (The codec's function itself: a codec looked up by name may be in the rest.)
    return codecs.utf_16_le_encode(request.responseText)[0][::2]


def start() -> None:
    """Read the app spec embedded in the page and hand the API to the waiting boot glue."""
    data = json.loads(js.document.getElementById(PAGE_DATA).textContent)
    stdlib_rest.install(data["manifest"], FILES.stdlib_rest, rest_of_stdlib)
    app = AppSpec.from_dict(data["app"])
    module = importlib.import_module(USER_MODULE) if app.python else None
    page = Page(app, Hooks.from_module(module))
    js.window.shipyardBoot.attach(create_proxy(page))
