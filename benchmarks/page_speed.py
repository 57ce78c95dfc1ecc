"""Start-up, prediction latency, bytes and build time of a built example, in headless Chromium.

    python benchmarks/page_speed.py [EXAMPLE] [--runs N] [--calls N]

Each page load uses a new Chromium with an empty profile. Prints medians with
min-max over the loads; a prediction figure is the mean of N sequential calls
in one load (the browser's timer is too coarse to time a single 0.05 ms call).
Run it on an otherwise idle machine: a second browser running at the same time
slows every figure by about half.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from shipyard.build import build_site  # noqa: E402
from shipyard.site.serve import served  # noqa: E402
from shipyard.verify.chromium import launch_chromium  # noqa: E402
from shipyard_runtime.names import MARKS, PAGE_DATA  # noqa: E402

EXAMPLES = ROOT / "examples"

PLAIN_JS_LATENCY = """async ([inputs, calls, pageData]) => {
  const { app, names, session: options } = JSON.parse(document.getElementById(pageData).textContent);
  const ort = await import(`./${names.files.ort}`);
  const session = await ort.InferenceSession.create(`./${names.files.model}`, options);
  const spec = app.inputs;
  const start = performance.now();
  for (let i = 0; i < calls; i++) {
    const feeds = {};
    for (const [key, value] of Object.entries(inputs)) {
      const dims = spec[key].shape.map((d) => (typeof d === "number" ? d : 1));
      feeds[key] = typeof value === "string" ? new ort.Tensor("string", [value], dims)
                                             : new ort.Tensor("float32", Float32Array.of(value), dims);
    }
    const out = await session.run(feeds);
    Object.values(out).forEach((tensor) => Array.from(tensor.data));
  }
  return (performance.now() - start) / calls;
}"""

SHIPYARD_LATENCY = """async ([inputs, calls]) => {
  await window.shipyard.ready;
  const start = performance.now();
  for (let i = 0; i < calls; i++) await window.shipyard.predict(inputs);
  return (performance.now() - start) / calls;
}"""

START_UP = """(mark) => ({
  paint: performance.getEntriesByName("first-contentful-paint")[0]?.startTime,
  ready: performance.getEntriesByName(mark)[0]?.startTime,
  bytes: performance.getEntriesByType("resource").reduce((n, e) => n + e.transferSize, 0)
         + performance.getEntriesByType("navigation")[0].transferSize,
})"""


def summary(values: list[float], unit: str) -> str:
    return f"median {statistics.median(values):8.2f} {unit}  (min {min(values):.2f}, max {max(values):.2f})"


def time_builds(example: Path, output: Path, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        build_site(example / "model.onnx", example / "metadata.yml", output)
        times.append(time.perf_counter() - start)
    return times


def measure(url: str, inputs: dict[str, object], runs: int, calls: int) -> dict[str, list[float]]:
    figures: dict[str, list[float]] = {"paint": [], "ready": [], "bytes": [], "shipyard": [], "plain": []}
    for _ in range(runs):
        with launch_chromium() as browser:
            page = browser.new_page()
            page.goto(url)
            page.evaluate("window.shipyard.ready")
            start = page.evaluate(START_UP, MARKS.ready)
            for key in ("paint", "ready", "bytes"):
                figures[key].append(start[key])
            figures["shipyard"].append(page.evaluate(SHIPYARD_LATENCY, [inputs, calls]))
            figures["plain"].append(page.evaluate(PLAIN_JS_LATENCY, [inputs, calls, PAGE_DATA]))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("example", nargs="?", default="housing")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--calls", type=int, default=200, help="predictions per page load")
    args = parser.parse_args()
    example = EXAMPLES / args.example
    inputs = {
        "housing": {"MedInc": 3.5, "HouseAge": 25, "AveRooms": 5.5, "Latitude": 37.77},
        "sentiment": {"text": "A wonderful film with a moving story."},
    }[args.example]
    with tempfile.TemporaryDirectory() as tmp:
        builds = time_builds(example, Path(tmp) / "site", args.runs)
        with served(Path(tmp) / "site") as url:
            figures = measure(url, inputs, args.runs, args.calls)
    ratio = statistics.median(figures["shipyard"]) / statistics.median(figures["plain"])
    print(f"{args.example}: {args.runs} page loads, {args.calls} predictions each")
    print(f"build (warm asset cache)   {summary(builds, 's')}")
    print(f"form visible (first paint) {summary(figures['paint'], 'ms')}")
    print(f"window.shipyard.ready      {summary(figures['ready'], 'ms')}")
    print(f"bytes fetched to ready     {summary([b / 1e6 for b in figures['bytes']], 'MB')}")
    print(f"predict, shipyard (mean)   {summary(figures['shipyard'], 'ms')}")
    print(f"predict, plain JS (mean)   {summary(figures['plain'], 'ms')}")
    print(f"predict ratio shipyard / plain JS: {ratio:.2f}")


if __name__ == "__main__":
    main()
