"""The one module that meets JS: its values, the boot glue, and the page's data. The page
itself is JS's (templates/view.mjs): `Page` is handed the form's values and returns what
to show.

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
from .names import FILES, USER_MODULE
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

    It never touches the page: JS hands it the form's texts (`{key: [text, ...]}`, one per
    control of the key) and pictures, and shows what it returns (problems beside their
    fields, `shown` outputs).
    With a user hook that is `async def`, prepare or collect return an awaitable, which JS
    awaits like a Promise; without one, both stay synchronous.
    """

    def __init__(self, app: AppSpec, hooks: Hooks, within: JsProxy) -> None:
        self.app = app
        self.hooks = hooks
        self.within = within  # shipyard.js's check of a typed array's numbers (see JsFloatArray)
        self.pipeline = Pipeline(app, hooks)
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
        return {key: self._float_array(array) for key, array in js.Object.entries(typed)}

    def _float_array(self, array: JsProxy) -> JsFloatArray:
        return JsFloatArray(array, self.within)

    def prepare_form(self, texts: JsProxy, pictures: JsProxy) -> Any:
        """Feeds for the form's values (`texts`, and `pictures`: by key, the tensor the page
        prepared of a picture it prepares, see `picture_prep`, or else the picture as the page
        decoded it, `{width, height, data}` in RGBA), with `problems`: a message by field,
        for JS to show beside each (none when they pass)."""
        return self._prepare(lambda: from_form(self.app, texts.to_py(), self._images(pictures)), show=True)

    def collect(self, results: JsProxy, show: bool, run: int) -> Any:
        """`{ok: {name: {type, dims, data}}}` from the run's outputs (`{name: {type, dims,
        data}}`), with `postprocess`'s entries under `ok.postprocess`, and with `show` what
        the page shows of them (`shown`, see `_shown`); or `{error}` if it failed."""
        outputs = [self._read(name, tensor) for name, tensor in js.Object.entries(results)]
        prepared = self.pending.pop(run, Prepared({}))  # nothing waits when there is no postprocess
        return attempt(
            lambda: self.pipeline.finish(prepared, outputs),
            lambda prediction: self._result(prediction, outputs if show else None),
            lambda error: _js({"error": str(error)}),
        )

    async def predict_csv(self, text: str, run: JsProxy, show: bool) -> Any:
        """`{ok: {rows, csv}}` for a CSV file's rows, or `{error}`; `run(feeds)` is JS's
        session.run. With `show`, `ok.table` is the HTML table the page shows."""

        async def run_model(feeds: list[Feed]) -> list[Output]:
            results = await run(_js(_js_feeds(feeds)))
            return [self._read(name, tensor) for name, tensor in js.Object.entries(results)]

        try:
            table = await predict_csv(self.pipeline, text, run_model)
        except BatchError as error:
            return _js({"error": str(error)})
        shown = {"table": table.to_html()} if show else {}
        return _js({"ok": {"rows": len(table.rows), "csv": table.to_csv(), **shown}})

    def memory(self) -> Any:
        """`{wasm, objects}`: bytes of WebAssembly memory Pyodide holds (it only grows), and
        Python's live objects."""
        import pyodide_js  # type: ignore[import-not-found]

        return _js({"wasm": pyodide_js._module.HEAPU8.length, "objects": sys.getallocatedblocks()})

    def warm_up(self, texts: JsProxy) -> Any:
        """Go once through what a click runs, showing nothing and running no user code, and
        return blank feeds for JS to run the model on once.

        With Pyodide restored from its snapshot, the page is ready before the browser has
        compiled the wasm a click needs (it compiles each function the first time it runs):
        the first click would pay for Python's share and for onnxruntime-web's first run.
        """
        with contextlib.suppress(InputError):
            from_form(self.app, texts.to_py(), {})
        for spec in self.app.outputs:
            render_output(Output(spec.key, spec.dtype, spec.dims, _blanks(spec), spec.show))
        return self._submission({spec.key: _probe(spec) for spec in self.app.inputs}, 0)

    def _prepare(self, read: Callable[[], Values], show: bool) -> Any:
        try:
            values = read()
        except InputError as error:
            shown = {"problems": dict(error.problems)} if show else {}
            return _js({"error": f"Invalid input: {error}", **shown})
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

    def _result(self, prediction: Prediction, outputs: list[Output] | None) -> Any:
        shown = {} if outputs is None else {"shown": self._shown(outputs, prediction.entries or {})}
        return _js({"ok": prediction.to_result(), **shown})

    def _shown(self, outputs: list[Output], entries: dict[str, object]) -> list[dict[str, Any]]:
        """What the page shows of a run, in order: `{name, html, image, slot}` per output and
        per `postprocess` entry. JS puts `html` in the element that shows `name` (for an
        output the metadata leaves out, there is none), and first adds `slot` under the
        outputs when there is no such element; `image` (`{width, height, rgba}`, or null) is
        drawn on the canvas `html` holds."""
        shown = [_item(output.name, render_output(output), _image(output), None) for output in outputs]
        for name, value in entries.items():
            spec = next((r for r in self.app.results if r.key == name), None)
            output = result_output(value, spec) if spec and spec.show.display == "image" else None
            slot = render_output_slot(name, name)
            shown.append(_item(name, render_result(value, spec), _image(output) if output else None, slot))
        return shown

    def form_fragment(self, texts: JsProxy) -> str:
        """The URL fragment that reproduces the form's `texts`."""
        return to_fragment(texts.to_py())

    def fragment_texts(self, fragment: str) -> Any:
        """The form's texts from a shared link, or null when the link names none of the inputs."""
        texts = from_fragment(fragment)
        known = {key: items for key, items in texts.items() if key in self.app.form_keys}
        return _js(known) if known else None

    def example_texts(self, index: int) -> Any:
        """The form's texts for the metadata's example `index`."""
        return _js(example_texts(self.app, index))

    def _images(self, pictures: JsProxy) -> dict[str, Picture]:
        given = dict(js.Object.entries(pictures))
        images: dict[str, Picture] = {}
        for spec in self.app.form:
            if spec.key not in given:
                continue
            if spec.key in self.pictures:
                tensor = given[spec.key]
                images[spec.key] = tensor.to_py() if self.hooks.any else self._float_array(tensor)
            elif spec.image is not None:
                image = given[spec.key]
                images[spec.key] = Pixels(image.width, image.height, image.data.to_bytes())
        return images

    def _read(self, name: str, tensor: JsProxy) -> Output:
        data = tensor.data.to_py()
        return read_output(self.app, name, tensor.type, tensor.dims.to_py(), data)


class JsFloatArray(ForeignArray):
    """A JS Float32Array or Float64Array, checked by shipyard.js's `within` in one loop."""

    def __init__(self, array: JsProxy, within: JsProxy) -> None:
        self.array = array
        self.within = within
        self.typecode = {"Float32Array": "f", "Float64Array": "d"}.get(array.constructor.name, "")

    def __len__(self) -> int:
        return int(self.array.length)

    def all_within(self, low: float, high: float) -> bool:
        return bool(self.within(self.array, low, high))

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


def _image(output: Output) -> dict[str, Any] | None:
    """An image output's pixels, for JS to paint on the canvas `render_output` made for it."""
    if not (output.show and output.show.display == "image" and output.values):
        return None
    pixels = image_of(output)
    return {"width": pixels.width, "height": pixels.height, "rgba": pixels.rgba}


def _item(name: str, html: str, image: dict[str, Any] | None, slot: str | None) -> dict[str, Any]:
    return {"name": name, "html": html, "image": image, "slot": slot}


def _js_feeds(feeds: list[Feed]) -> list[dict[str, Any]]:
    """Feeds as the page's JS makes tensors of them: `{name, type, dims, data}`."""
    return [{"name": f.name, "type": f.dtype.name, "dims": list(f.dims), "data": f.data} for f in feeds]


def rest_of_stdlib(path: str) -> bytes:
    """The rest of the stdlib (see `stdlib_rest`): as the page kept it on an earlier visit
    (templates/stdlib.mjs), or fetched now and handed to the page to keep."""
    rest = js.shipyardBoot.stdlibRest
    if rest.bytes:
        return rest.bytes.to_bytes()  # type: ignore[no-any-return]
    data = fetch_now(path)
    rest.keep(to_js(data))
    return data


def fetch_now(path: str) -> bytes:
    """A site file's bytes, fetched synchronously, for an import (which cannot await). The
    path is the site's (`shipyardBoot.site`): a worker's own URL is no base for it."""
    request = js.XMLHttpRequest.new()
    request.open("GET", js.URL.new(path, js.shipyardBoot.site).href, False)
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
    """Read the app spec of the page's JSON block and hand the API to the waiting boot glue:
    the page's own (templates/shipyard.js), or, with Python in a worker, the worker's, which
    has the block from the page (templates/python_worker.mjs)."""
    boot = js.shipyardBoot
    data = json.loads(boot.data)
    stdlib_rest.install(data["manifest"], FILES.stdlib_rest, rest_of_stdlib)
    app = AppSpec.from_dict(data["app"])
    module = importlib.import_module(USER_MODULE) if app.python else None
    boot.attach(create_proxy(Page(app, Hooks.from_module(module), boot.within)))
