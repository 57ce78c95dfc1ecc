"""The JS the benchmarks run in the pages they compare: the comparison pages of their own,
init scripts that record what a page did, and the in-page measurements.

Marks are read from the page's JSON block (`names.marks`), where Python names them:
`ready` (predict works) and, where the page sets it, `python` (Python runs too: the Run
button is enabled); a page that sets no `python` mark is measured by `ready` for both.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from shipyard.site.page import read_page_data
from shipyard_runtime.names import FILES, PAGE_DATA


def floor_page(site: Path) -> str:
    """Pyodide alone, from `site`'s files (its compiled stdlib too): the least any Python page
    costs."""
    return f"""<!doctype html><meta charset="utf-8"><title>floor</title><link rel="icon" href="data:,">
<script type="module">
import {{ loadPyodide }} from "./pyodide/pyodide.mjs";
{_serving_pyodide(site)}
window.ready = loadPyodide().then((py) => {{ py.runPython("1 + 1"); performance.mark("ready"); }});
</script>"""


WORKER_FLOOR_MODULE = "worker-floor.mjs"


def worker_floor_page() -> str:
    """Pyodide alone in a PyScript worker (no SharedArrayBuffer, as on a host that sends no
    isolation headers), from the site's files: what Python off the page's thread costs, and
    what it leaves the page's thread. Ready once the page has called into the worker's Python."""
    config = json.dumps({"interpreter": f"./{WORKER_FLOOR_MODULE}"})
    return f"""<!doctype html><meta charset="utf-8"><title>worker floor</title><link rel="icon" href="data:,">
<script type="module">
import "./{FILES.pyscript}";
const script = document.querySelector("script[type=py]");
const marked = () => performance.mark("ready");
const call = () => script.xworker.sync.ready().then(marked, () => setTimeout(call, 10));
const started = () => (script.xworker ? call() : setTimeout(started, 10));
started();
</script>
<script type="py" worker config='{config}'>
from pyscript import sync
sync.ready = lambda: 1 + 1
</script>"""


def worker_floor_module(site: Path) -> str:
    """The worker floor's interpreter: Pyodide's module, with its wasm decoded as the site's
    page decodes it. (The worker is a blob: URL, so its paths are made whole.)"""
    return f"""import {{ loadPyodide as load, version }} from "./pyodide/pyodide.mjs";
{_serving_pyodide(site)}
export {{ version }};
const indexURL = new URL("./pyodide/", import.meta.url).href;
export const loadPyodide = (options) => load({{ ...options, indexURL }});"""


def _serving_pyodide(site: Path) -> str:
    """JS that answers Pyodide's fetch of a file the site ships brotli-compressed (its wasm,
    its stdlib) with the site's, decoded."""
    manifest = read_page_data(site)["manifest"]
    packed = {
        entry["unpacked"]["path"]: [path, entry["unpacked"]["type"]]
        for path, entry in manifest.items()
        if path.endswith(".br")
    }
    return f"""{_unpacking(site)}
const PACKED = {json.dumps(packed)};
const browserFetch = globalThis.fetch;
const packedOf = (url) => Object.entries(PACKED)
  .find(([content]) => String(url).endsWith(`/${{content}}`))?.[1];
globalThis.fetch = (url, init) => {{
  const [path, type] = packedOf(url) ?? [];
  if (!path) return browserFetch(url, init);
  return unpacked(path).then((bytes) => new Response(bytes, {{ headers: {{ "Content-Type": type }} }}));
}};"""


def plain_page(site: Path) -> str:
    """A plain-JS page of `site`'s own model session, opened with the page's own options."""
    session = read_page_data(site)["session"]
    return f"""<!doctype html><meta charset="utf-8"><title>plain</title><link rel="icon" href="data:,">
<script type="module">
import * as ort from "./{FILES.ort}";
{_unpacking(site)}
window.ready = unpacked("{FILES.ort_wasm}").then((wasm) => {{
  ort.env.wasm.wasmBinary = wasm.buffer;
  return ort.InferenceSession.create("./{FILES.model}", {json.dumps(session)});
}}).then(() => performance.mark("ready"));
</script>"""


def _unpacking(site: Path) -> str:
    """JS for a page of `site`'s files: `unpacked(path)`, a file the site ships brotli-compressed,
    decoded as the site's page decodes it (templates/unbrotli.mjs)."""
    manifest = read_page_data(site)["manifest"]
    sizes = {path: entry["unpacked"]["size"] for path, entry in manifest.items() if path.endswith(".br")}
    return f"""import {{ decoderWorker }} from "./unbrotli.mjs";
const SIZES = {json.dumps(sizes)};
const whole = (path) => new URL(`./${{path}}`, import.meta.url).href;
let unpack;
const unpacked = async (path) => {{
  const bytes = new Uint8Array(await (await fetch(whole(path))).arrayBuffer());
  unpack ??= decoderWorker({{
    worker: whole("{FILES.unbrotli}"),
    module: whole("{FILES.brotli}"),
    wasm: fetch(whole("{FILES.brotli_wasm}")).then((response) => response.arrayBuffer()),
  }});
  return unpack(bytes, SIZES[path]);
}};"""


# On every page, before its own scripts: when modelship shows its form (it is hidden until
# the model has loaded), and every long task of the main thread as [start, duration]
# (`window.longTasks`).
RECORD = """
new MutationObserver(() => {
  const form = document.getElementById("modelInterface");
  if (form && form.style.display === "block" && !window.shownAt) window.shownAt = performance.now();
}).observe(document, {subtree: true, attributes: true, attributeFilter: ["style"]});
const reported = [];
new PerformanceObserver((list) => {
  for (const task of list.getEntries()) reported.push([task.startTime, task.duration]);
}).observe({type: "longtask", buffered: true});
// Chromium's longtask entries miss some long tasks (a promise reaction to a Response's body,
// as Pyodide's start is): the long animation frames' scripts show them.
const scripts = [];
new PerformanceObserver((list) => {
  for (const frame of list.getEntries()) {
    for (const {startTime, duration} of frame.scripts) if (duration > 50) scripts.push([startTime, duration]);
  }
}).observe({type: "long-animation-frame", buffered: true});
const overlaps = ([start, duration]) => reported.some(([s, d]) => s < start + duration && start < s + d);
Object.defineProperty(window, "longTasks", {
  get: () => [...reported, ...scripts.filter((script) => !overlaps(script))],
});
"""

_MARKS = f"""const marks = () => {{
  const block = document.getElementById({json.dumps(PAGE_DATA)});
  return block ? JSON.parse(block.textContent).names.marks : {{}};
}};
const at = (name) => (name ? performance.getEntriesByName(name)[0]?.startTime ?? null : null);"""

# True once a page has started: shipyard's Python mark (else its ready mark), modelship's
# form shown, a comparison page's own `ready` mark.
STARTED = f"""() => {{
  {_MARKS}
  const {{ ready, python }} = marks();
  return (python ? at(python) : at(ready)) ?? at("ready") ?? window.shownAt ?? null;
}}"""

# The start-up figures, in ms from navigation; `tbt` and `longest` over the long tasks that
# began before the page had started (its `python` figure). The observer is told of a task a
# little after it ends, so the figures wait first: read at once, they could miss the task
# that set the mark.
FIGURES = f"""async () => {{
  await new Promise((resolve) => setTimeout(resolve, 200));
  {_MARKS}
  const {{ ready, python }} = marks();
  const readyAt = at(ready) ?? at("ready") ?? window.shownAt ?? null;
  const pythonAt = at(python) ?? readyAt;
  const boot = window.longTasks.filter(([start]) => start < pythonAt).map(([, duration]) => duration);
  return {{
    paint: performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? null,
    ready: readyAt,
    python: pythonAt,
    tbt: boot.reduce((sum, duration) => sum + duration - 50, 0),
    longest: Math.max(0, ...boot),
  }};
}}"""

# How long a page may take to start on localhost before a benchmark gives up on it.
START_MS = 120_000


def start_figures(page: Any, url: str) -> dict[str, Any]:
    """Open `url` in `page` (a Playwright page, with RECORD) and wait until it has started;
    its start-up figures (FIGURES)."""
    page.goto(url, timeout=START_MS)
    page.wait_for_function(STARTED, timeout=START_MS, polling=50)
    figures: dict[str, Any] = page.evaluate(FIGURES)
    return figures


# The longest main-thread task (0: none over 50 ms) running at any time from `since` to
# `until` (the task that made the call counts); the observer is told of tasks a little
# after they end, hence the wait.
_LONGEST = """const channel = new MessageChannel();
const tick = () => new Promise((resolve) => {
  channel.port1.onmessage = resolve;
  channel.port2.postMessage(0);
});
const settle = () => new Promise((resolve) => setTimeout(resolve, 100));
const longestSince = (since, until = Infinity) => Math.max(0, ...window.longTasks
  .filter(([start, duration]) => start + duration >= since && start <= until)
  .map(([, duration]) => duration));"""

# Click Run half a second after the page has started (a person needs longer to see it and
# click) and wait for the first output to change, polling through a MessageChannel (no
# timer clamping), the same way on every page; the longest task on the way.
CLICK_TO_RESULT = f"""async ([button, output]) => {{
  {_LONGEST}
  await new Promise((resolve) => setTimeout(resolve, 500));
  const read = () => {{ const e = document.querySelector(output); return e.value ?? e.textContent; }};
  const before = read();
  const start = performance.now();
  document.querySelector(button).click();
  while (read() === before || read() === "") await tick();
  const ms = performance.now() - start;
  await settle();
  return {{ms, longest: longestSince(start)}};
}}"""

LATENCY = """async ([inputs, plain, calls, pageData]) => {
  await window.shipyard.ready;
  const session = await window.shipyard.session;
  const { app, names } = JSON.parse(document.getElementById(pageData).textContent);
  const ort = await import(`./${names.files.ort}`);
  const spec = app.inputs;
  const tensors = () => Object.fromEntries(Object.entries(plain).map(([key, values]) => {
    const dims = spec[key].shape.map((d) => (typeof d === "number" ? d : 1));
    return [key, new ort.Tensor("float32", Float32Array.from(values), dims)];
  }));
  const plainCall = async () => {
    const out = await session.run(tensors());
    Object.values(out).forEach((tensor) => Array.from(tensor.data));
  };
  // The browser's clock ticks in 0.1 ms steps: time blocks of 50 calls (2 µs a call at
  // most), the two paths in turn. (Blocks of 10 could not tell 20 µs from 22.)
  const BLOCK = 50;
  const block = async (call) => {
    const start = performance.now();
    for (let i = 0; i < BLOCK; i++) await call();
    return (performance.now() - start) / BLOCK;
  };
  const measure = async () => {
    const times = {shipyard: [], plain: []};
    for (let i = 0; i < calls / BLOCK; i++) {
      times.shipyard.push(await block(() => window.shipyard.predict(inputs)));
      times.plain.push(await block(plainCall));
    }
    return times;
  };
  const first = await measure();
  // The browser compiles hot wasm functions a second time, optimised, as they run: Pyodide's
  // take about 1,000 predictions to get there, onnxruntime-web's about 200.
  for (let i = 0; i < 1000 / BLOCK; i++) {
    await block(() => window.shipyard.predict(inputs));
    await block(plainCall);
  }
  return {first, warm: await measure()};
}"""

MEMORY = """async ([inputs, calls]) => {
  await window.shipyard.ready;
  for (let i = 0; i < calls; i++) await window.shipyard.predict(inputs);
  return window.shipyard.memory();
}"""


def first_prediction(inputs: dict[str, Any]) -> str:
    """An init script that predicts `inputs` as soon as the page allows (retrying while it
    refuses, for up to a minute) and records when the first prediction resolved."""
    return f"""(async () => {{
  const inputs = {json.dumps(inputs)};
  const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  while (!window.shipyard) await wait(5);
  await window.shipyard.ready;
  for (let tries = 0; tries < 3000; tries++) {{
    try {{
      await window.shipyard.predict(inputs);
      window.firstPrediction = performance.now();
      return;
    }} catch {{
      await wait(20);
    }}
  }}
}})();"""


# A 640 × 480 PNG (base64) to the result, `runs` times each way: through predict as a Blob
# and as ImageData, through the form's file input (as a person choosing the file), and the
# model's own session.run on a tensor of the input's shape, after one untimed call of each.
# Each way's longest task too.
PHOTO = f"""async ([png, key, output, runs]) => {{
  {_LONGEST}
  const {{ app, names }} = JSON.parse(document.getElementById({json.dumps(PAGE_DATA)}).textContent);
  const bytes = Uint8Array.from(atob(png), (c) => c.charCodeAt(0));
  const file = new File([bytes], "photo.png", {{type: "image/png"}});
  const bitmap = await createImageBitmap(file);
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  canvas.getContext("2d").drawImage(bitmap, 0, 0);
  const image = canvas.getContext("2d").getImageData(0, 0, bitmap.width, bitmap.height);
  const ort = await import(`./${{names.files.ort}}`);
  const session = await window.shipyard.session;
  const dims = app.inputs[key].shape.map((d) => (typeof d === "number" ? d : 1));
  const feed = {{[key]: new ort.Tensor("float32", new Float32Array(dims.reduce((a, b) => a * b)), dims)}};
  const input = document.querySelector(`[${{names.attributes.imageFor}}="${{key}}"] input[type=file]`);
  const slot = () => document.querySelector(output);
  const viaForm = async () => {{
    const chosen = new DataTransfer();
    chosen.items.add(file);
    slot().textContent = "";
    input.files = chosen.files;
    input.dispatchEvent(new Event("change"));
    while (!slot().textContent) await tick();
  }};
  const ways = {{
    blob: () => window.shipyard.predict({{[key]: file}}),
    image: () => window.shipyard.predict({{[key]: image}}),
    model: () => session.run(feed),
    form: viaForm,
  }};
  for (const call of Object.values(ways)) await call();  // the first call of each pays for imports
  const times = Object.fromEntries(Object.keys(ways).map((way) => [way, []]));
  const spans = Object.fromEntries(Object.keys(ways).map((way) => [way, []]));
  for (let i = 0; i < runs; i++) {{
    for (const [way, call] of Object.entries(ways)) {{
      const start = performance.now();
      await call();
      const end = performance.now();
      times[way].push(end - start);
      spans[way].push([start, end]);
      await settle();
    }}
  }}
  await settle();
  const longest = Object.fromEntries(Object.entries(spans).map(([way, list]) =>
    [way, Math.max(...list.map(([start, end]) => longestSince(start, end)))]));
  return {{times, longest}};
}}"""
