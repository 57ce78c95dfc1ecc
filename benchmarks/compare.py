"""shipyard against its floor and its peers, in one run: start-up, latency, bytes, memory,
batches and build time, with the ratios issue 5 sets as targets.

    pip install -r benchmarks/requirements.txt   # modelship, for this script only
    python benchmarks/compare.py [--runs N] [--examples housing digits]

One server serves, side by side from one folder and the same asset files: the shipyard
site; `floor.html`, a blank page that only boots Pyodide and runs one statement;
`plain.html`, a plain-JS page that creates the same onnxruntime-web session; and,
under `modelship/`, modelship's site for the same model (when modelship can take it).
Each page load gets a new Chromium with an empty profile, the pages take turns within
each run, and every figure is a median with its min-max. Run it on an idle machine.
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.pictures_and_batches import BATCH, photo_model  # noqa: E402
from examples.samples import digit_picture, housing_rows, to_csv  # noqa: E402
from shipyard.build import build_site  # noqa: E402
from shipyard.site.page import read_page_data  # noqa: E402
from shipyard.site.serve import served  # noqa: E402
from shipyard.verify.chromium import launch_chromium  # noqa: E402
from shipyard_runtime.names import ATTRIBUTES, FILES, IDS, MARKS, PAGE_DATA  # noqa: E402

EXAMPLES = ROOT / "examples"

FLOOR = """<!doctype html><meta charset="utf-8"><title>floor</title><link rel="icon" href="data:,">
<script type="module">
import { loadPyodide } from "./pyodide/pyodide.mjs";
window.ready = loadPyodide().then((py) => { py.runPython("1 + 1"); performance.mark("ready"); });
</script>"""


def plain_page(site: Path) -> str:
    """A plain-JS page of `site`'s own model session, opened with the page's own options."""
    data = read_page_data(site)
    session, unpacked = data["session"], data["manifest"][FILES.ort_wasm]["unpacked"]["size"]
    return f"""<!doctype html><meta charset="utf-8"><title>plain</title><link rel="icon" href="data:,">
<script type="module">
import * as ort from "./{FILES.ort}";
import {{ unbrotlied }} from "./unbrotli.mjs";  // the site ships onnxruntime-web's wasm brotli-compressed
const decoder = {{ module: "./{FILES.brotli}", wasm: "./{FILES.brotli_wasm}" }};
window.ready = unbrotlied("./{FILES.ort_wasm}", {unpacked}, decoder).then((wasm) => {{
  ort.env.wasm.wasmBinary = wasm.buffer;
  return ort.InferenceSession.create("./{FILES.model}", {json.dumps(session)});
}}).then(() => performance.mark("ready"));
</script>"""


PAGE_KINDS = {
    "index.html": "shipyard",
    "no-snapshot/index.html": "shipyard --no-snapshot",
    "floor.html": "floor",
    "plain.html": "plain",
}

# Records when modelship shows its form (it is hidden until the model has loaded).
RECORD_SHOWN = """
new MutationObserver(() => {
  const form = document.getElementById("modelInterface");
  if (form && form.style.display === "block" && !window.shownAt) window.shownAt = performance.now();
}).observe(document, {subtree: true, attributes: true, attributeFilter: ["style"]});
"""

FIGURES = """(mark) => ({
  paint: performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? null,
  ready: performance.getEntriesByName(mark)[0]?.startTime
         ?? performance.getEntriesByName("ready")[0]?.startTime ?? window.shownAt ?? null,
})"""

# Click Run half a second after the page is ready (a person needs longer to see it and
# click) and wait for the first output to change, polling through a MessageChannel (no
# timer clamping), the same way on every page.
CLICK_TO_RESULT = """async ([button, output]) => {
  await new Promise((resolve) => setTimeout(resolve, 500));
  const read = () => { const e = document.querySelector(output); return e.value ?? e.textContent; };
  const before = read();
  const channel = new MessageChannel();
  const tick = () => new Promise((resolve) => {
    channel.port1.onmessage = resolve;
    channel.port2.postMessage(0);
  });
  const start = performance.now();
  document.querySelector(button).click();
  while (read() === before || read() === "") await tick();
  return performance.now() - start;
}"""

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
  // The browser's clock ticks in 0.1 ms steps: time blocks of 10 calls, the two paths in turn.
  const block = async (call) => {
    const start = performance.now();
    for (let i = 0; i < 10; i++) await call();
    return (performance.now() - start) / 10;
  };
  const measure = async () => {
    const times = {shipyard: [], plain: []};
    for (let i = 0; i < calls / 10; i++) {
      times.shipyard.push(await block(() => window.shipyard.predict(inputs)));
      times.plain.push(await block(plainCall));
    }
    return times;
  };
  const first = await measure();
  // The browser compiles hot wasm functions a second time, optimised, as they run: Pyodide's
  // take about 1,000 predictions to get there, onnxruntime-web's about 200.
  for (let i = 0; i < 100; i++) {
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


@dataclass(frozen=True)
class Example:
    """A model to measure: its files, predict inputs, form output and plain-JS feeds."""

    name: str
    model: Path
    metadata: Path | None
    inputs: dict[str, Any]  # for window.shipyard.predict
    plain: dict[str, list[float]]  # float32 feeds for the plain-JS call on the same session
    output: str  # the output the click-to-result figure waits for
    csv: bool = False


def examples(folder: Path) -> dict[str, Example]:
    housing = {"MedInc": 3.5, "HouseAge": 25, "AveRooms": 5.5, "Latitude": 37.77}
    photo = [(i % 255) / 255 for i in range(3 * 224 * 224)]
    return {
        "housing": Example(
            "housing",
            EXAMPLES / "housing" / "model.onnx",
            EXAMPLES / "housing" / "metadata.yml",
            housing,
            {k: [v] for k, v in housing.items()},
            "variable",
            csv=True,
        ),
        "photo": Example(
            "photo", photo_model(folder / "photo.onnx"), None, {"photo": photo}, {"photo": photo}, ""
        ),
        "digits": Example(
            "digits",
            EXAMPLES / "digits" / "model.onnx",
            EXAMPLES / "digits" / "metadata.yml",
            {"digit": _picture()},
            {},  # preprocess makes the model's input: no plain-JS call does the same
            "",
        ),
    }


def _picture() -> dict[str, Any]:
    """A 96 × 96 picture of a dataset digit, as `predict` takes it."""
    pixels = digit_picture(-1, 8, 16, (255, 255, 255))
    return {"width": pixels.width, "height": pixels.height, "data": list(pixels.rgba)}


@dataclass
class Samples:
    """Figures by name, one value per run."""

    values: dict[str, list[float]] = field(default_factory=dict)

    def add(self, name: str, value: float | None) -> None:
        if value is not None:
            self.values.setdefault(name, []).append(value)

    def median(self, name: str) -> float:
        return statistics.median(self.values[name])

    def line(self, name: str, unit: str, scale: float = 1.0) -> str:
        got = self.values.get(name)
        if not got:
            return f"  {name:<28} (not measured)"
        low, mid, high = min(got) * scale, statistics.median(got) * scale, max(got) * scale
        return f"  {name:<28} {mid:10.2f} {unit:<6} ({low:.2f}–{high:.2f}, {len(got)} runs)"


def prepare(example: Example, folder: Path, modelship: str | None) -> list[str]:
    """Build the site and its comparison pages into `folder`; return the pages to load."""
    build_site(example.model, example.metadata, folder)
    build_site(example.model, example.metadata, folder / "no-snapshot", snapshot=False)
    (folder / "floor.html").write_text(FLOOR)
    (folder / "plain.html").write_text(plain_page(folder))
    pages = ["index.html", "no-snapshot/index.html", "floor.html", "plain.html"]
    if modelship and example.metadata and example.csv:  # modelship takes float32 and string fields only
        command = [
            modelship,
            "static",
            "--output",
            str(folder / "modelship"),
            "--metadata",
            str(example.metadata),
        ]
        subprocess.run([*command, str(example.model)], check=True, capture_output=True)
        pages.append("modelship/index.html")
    return pages


def load(
    url: str, page_name: str, example: Example, samples: Samples, files: dict[str, dict[str, int]]
) -> None:
    """One cold load of one page in a new browser: its start-up figures and bytes."""
    fetched: dict[str, int] = {}  # every response, workers' included (a Web Worker loads modelship's model)

    def record(response: Any) -> None:
        if response.url.startswith(url):
            fetched[urlsplit(response.url).path] = int(response.headers.get("content-length", 0))

    with launch_chromium() as browser:
        page = browser.new_page()
        page.add_init_script(RECORD_SHOWN)
        page.on("response", record)
        page.goto(f"{url}/{page_name}")
        kind = PAGE_KINDS.get(page_name, "modelship")
        if kind.startswith("shipyard"):
            page.evaluate("window.shipyard.ready")
        elif kind == "modelship":
            page.wait_for_function("window.shownAt", timeout=60_000)
        else:
            page.evaluate("window.ready")
        if example.output and kind != "floor" and kind != "plain":
            button, output = (
                (f"#{IDS.run}", f"[{ATTRIBUTES.output}={example.output}]")
                if kind.startswith("shipyard")
                else ("input[type=submit]", f"#{example.output}Output")
            )
            samples.add(f"{kind} click-to-result ms", page.evaluate(CLICK_TO_RESULT, [button, output]))
        figures = page.evaluate(FIGURES, MARKS.ready)
        samples.add(f"{kind} ready ms", figures["ready"])
        samples.add(f"{kind} form visible ms", figures["ready"] if kind == "modelship" else figures["paint"])
        files[kind] = fetched


def in_page(url: str, example: Example, samples: Samples, calls: int) -> None:
    """Latency against plain JS on the same session, memory over 1,000 predictions, batches."""
    with launch_chromium() as browser:
        page = browser.new_page()
        page.goto(url)
        if example.plain:
            times = page.evaluate(LATENCY, [example.inputs, example.plain, calls, PAGE_DATA])
            for phase, when in (("first", " (first calls)"), ("warm", "")):
                for page_name, key in (("predict", "shipyard"), ("plain JS", "plain")):
                    samples.add(f"{page_name} µs per call{when}", 1000 * statistics.median(times[phase][key]))
        if example.inputs:
            cdp = page.context.new_cdp_session(page)
            before = _heaps(page, cdp)
            after_memory = page.evaluate(MEMORY, [example.inputs, 1000])
            after = _heaps(page, cdp) | {"wasm": after_memory["wasm"]}
            samples.add("JS heap growth MB", (after["js"] - before["js"]) / 1e6)
            samples.add("Pyodide heap growth MB", (after["wasm"] - before["wasm"]) / 1e6)
        if example.csv:
            rows, ms = page.evaluate(BATCH, to_csv(housing_rows(10_000)))
            samples.add("batch rows/s (10,000)", rows / ms * 1000)


def _heaps(page: Any, cdp: Any) -> dict[str, float]:
    cdp.send("HeapProfiler.collectGarbage")
    memory = page.evaluate("window.shipyard.memory()")
    return {"js": cdp.send("Runtime.getHeapUsage")["usedSize"], "wasm": memory["wasm"]}


def build_times(runs: int) -> dict[str, list[float]]:
    """`shipyard build` through the CLI with a warm cache, for the smallest and largest example models."""
    models = sorted(EXAMPLES.glob("*/model.onnx"), key=lambda p: p.stat().st_size)
    times: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for model in (models[0], models[-1]):
            command = [sys.executable, "-m", "shipyard", "build", str(model), "--output", f"{tmp}/site"]
            command += ["--metadata", str(model.parent / "metadata.yml")]
            for _ in range(runs):
                start = time.perf_counter()
                subprocess.run(command, check=True, capture_output=True)
                times.setdefault(f"{model.parent.name} ({model.stat().st_size / 1e3:.0f} kB)", []).append(
                    time.perf_counter() - start
                )
    return times


def bytes_table(site: Path, files: dict[str, dict[str, int]]) -> list[str]:
    """Per page: each file fetched, raw and gzip-compressed, and the site's files never fetched."""
    lines = []
    for kind in ("shipyard", "shipyard --no-snapshot", "modelship"):
        fetched = files.get(kind)
        if not fetched:
            continue
        lines.append(f"  {kind}: bytes fetched up to the first prediction")
        total_raw = total_gzip = 0
        for path, raw in sorted(fetched.items(), key=lambda item: -item[1]):
            local = site / path.lstrip("/")
            packed = len(gzip.compress(local.read_bytes(), 6)) if local.is_file() else raw
            total_raw, total_gzip = total_raw + raw, total_gzip + packed
            lines.append(f"    {raw / 1e6:8.3f} MB  gzip {packed / 1e6:8.3f} MB  {path}")
        lines.append(f"    {total_raw / 1e6:8.3f} MB  gzip {total_gzip / 1e6:8.3f} MB  in all")
    shipped = {f"/{p.relative_to(site)}" for p in site.rglob("*") if p.is_file()}
    others = {p for p in shipped if p.startswith(("/modelship/", "/no-snapshot/"))}
    extra = {"/floor.html", "/plain.html"} | others
    unused = sorted(shipped - extra - set(files.get("shipyard", {})) - {"/", "/index.html"})
    lines.append(f"  shipyard files never fetched: {', '.join(unused) or 'none'}")
    return lines


def ratio(samples: Samples, top: str, bottom: str, target: float | None = None) -> str:
    if top not in samples.values or bottom not in samples.values:
        return ""
    value = samples.median(top) / samples.median(bottom)
    goal = f"  (target ≤ {target:g}: {'met' if value <= target else 'NOT met'})" if target else ""
    return f"  {top} / {bottom}: {value:.2f}{goal}"


def report(example: Example, samples: Samples, site: Path, files: dict[str, dict[str, int]]) -> None:
    print(f"\n== {example.name} ==")
    for name in samples.values:
        unit = next((u for u in ("rows/s", "MB", "µs") if u in name), "ms")
        print(samples.line(name, unit))
    print("ratios (medians):")
    for line in (
        ratio(samples, "shipyard form visible ms", "modelship ready ms", 0.3),
        ratio(samples, "shipyard ready ms", "floor ready ms", 1.15),
        ratio(samples, "shipyard ready ms", "modelship ready ms", 2),
        ratio(samples, "shipyard --no-snapshot ready ms", "floor ready ms", 1.15),
        ratio(samples, "predict µs per call", "plain JS µs per call", 2 if example.csv else 1.1),
        ratio(samples, "predict µs per call (first calls)", "plain JS µs per call (first calls)"),
        ratio(samples, "shipyard click-to-result ms", "modelship click-to-result ms", 1),
    ):
        if line:
            print(line)
    print("\n".join(bytes_table(site, files)))
    if files.get("modelship"):
        raw = sum(files["shipyard"].values()) / sum(files["modelship"].values())
        verdict = "met" if raw <= 1.2 else "NOT met"
        print(f"  raw bytes, shipyard / modelship: {raw:.2f}  (target ≤ 1.2: {verdict})")


def measure(example: Example, folder: Path, runs: int, calls: int, modelship: str | None) -> None:
    site = folder / example.name
    pages = prepare(example, site, modelship)
    samples, files = Samples(), {}
    with served(site) as served_url:
        url = served_url.rstrip("/")
        for run in range(runs):
            for page_name in pages[run % len(pages) :] + pages[: run % len(pages)]:  # take turns
                load(url, page_name, example, samples, files)
            if example.inputs or example.csv:
                in_page(url, example, samples, calls)
    report(example, samples, site, files)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--calls", type=int, default=200, help="predictions per latency figure")
    parser.add_argument("--examples", nargs="*", default=["housing", "photo", "digits"])
    args = parser.parse_args()
    modelship = shutil.which("modelship", path=str(Path(sys.executable).parent)) or shutil.which("modelship")
    if modelship is None:
        print("modelship is not installed (pip install -r benchmarks/requirements.txt): no figures for it")
    with tempfile.TemporaryDirectory() as tmp:
        chosen = examples(Path(tmp))
        for name in args.examples:
            measure(chosen[name], Path(tmp), args.runs, args.calls, modelship)
    print("\n== build, warm asset cache, through the CLI ==")
    for name, values in build_times(args.runs).items():
        print(f"  {name:<28} {statistics.median(values):10.2f} s      ({min(values):.2f}–{max(values):.2f})")


if __name__ == "__main__":
    main()
