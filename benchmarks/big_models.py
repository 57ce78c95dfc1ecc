"""Big models: build time and memory, and page start-up, with the weights merged into one
file or shipped beside the graph through onnxruntime-web's `externalData`.

    python benchmarks/big_models.py [--width N] [--weights N] [--runs N] [--no-quantize]

Makes a model of N chained MatMuls, each by one [width, width] float32 weight (12,000:
576 MB), in a temporary folder with its weights as external data, and builds it. Below
protobuf's 2 GiB it is also merged into one file and built as such, and quantized.
"build memory" is the peak resident memory of the build's own Python process (Linux's
VmHWM in a child that runs `shipyard build`): processes the build starts, such as Node,
are not counted. `--width 16000 --weights 3 --no-quantize` makes 2.86 GiB.

"merged" is the other way to ship weights: one model.onnx. shipyard does not build it, so
it is made as it would be: onnx loads the external-data model with its weights and saves
it as one file (its time and memory are that step's), and the externalData site's files
are swapped for that one file (its page data and manifest no longer name model.data).
"unpacked" is the externalData site opened with onnxruntime's prepacking off, as sites
whose weights pass external.PREPACK_LIMIT are ("packed", the other way round, for those).
Sites take turns, each load in a new Chromium; figures are medians (min-max) over the runs,
or the error a page failed with.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Error as PlaywrightError  # noqa: E402

from shipyard.site.manifest import Piece  # noqa: E402
from shipyard.site.page import PAGE, read_page_data, script_json  # noqa: E402
from shipyard.site.serve import served  # noqa: E402
from shipyard.verify.chromium import launch_chromium  # noqa: E402
from shipyard_runtime.names import FILES, MARKS  # noqa: E402

# Runs `-m MODULE ARGS` or `-c CODE ARGS` in this process, then prints its own peak memory
# in bytes: Linux's VmHWM, the high-water mark of this program alone (ru_maxrss would also
# count the parent's memory, which a child holds between fork and exec).
CHILD = """
import re, runpy, sys
kind, what, *rest = sys.argv[1:]
sys.argv = [what, *rest]
try:
    if kind == "-m":
        runpy.run_module(what, run_name="__main__", alter_sys=True)
    else:
        exec(compile(what, "<code>", "exec"), {"__name__": "__main__"})
except SystemExit as exit:
    if exit.code:
        raise
with open("/proc/self/status") as status:
    print(int(re.search(r"VmHWM:\\s*(\\d+) kB", status.read()).group(1)) * 1024)
"""

# Writes WIDTH-by-WIDTH float32 weights one at a time into weights.bin, beside the graph.
MAKE = """
import sys, numpy as np, onnx
from onnx import TensorProto, helper
width, count, path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
names = ["x", *(f"h{i}" for i in range(1, count)), "y"]
weights = []
with open(path.replace("big.onnx", "weights.bin"), "wb") as data:
    for i in range(count):
        offset = data.tell()
        (np.random.default_rng(i).standard_normal((width, width), dtype=np.float32) / width**0.5).tofile(data)
        weights.append(TensorProto(name=f"w{i}", data_type=TensorProto.FLOAT, dims=[width, width],
                                   data_location=TensorProto.EXTERNAL))
        for key, value in (("location", "weights.bin"), ("offset", offset), ("length", data.tell() - offset)):
            weights[-1].external_data.add(key=key, value=str(value))
nodes = [helper.make_node("MatMul", [names[i], f"w{i}"], [names[i + 1]]) for i in range(count)]
x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [None, width])
y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [None, width])
model = helper.make_model(helper.make_graph(nodes, "big", [x], [y], weights),
                          opset_imports=[helper.make_opsetid("", 17)])
model.ir_version = 8
onnx.save(model, path)
"""

# onnxruntime-web's session option for prepacking off, as external.SiteModel writes it.
UNPACKED = {"extra": {"session": {"disable_prepacking": "1"}}}

MERGE = """
import sys, onnx
onnx.save(onnx.load(sys.argv[1]), sys.argv[2])
"""

READY = """async ([mark, width]) => {
  await window.shipyard.ready;
  const ready = performance.getEntriesByName(mark)[0].startTime;
  const start = performance.now();
  await window.shipyard.predict({x: new Float32Array(width).fill(0.5)});
  return [ready, performance.now() - start];
}"""


def measured(kind: str, what: str, *args: str) -> tuple[float, int]:
    """Run `python -m MODULE ARGS` (kind "-m") or `python -c CODE ARGS` ("-c") in a child: its
    seconds, and its own peak memory."""
    start = time.perf_counter()
    command = [sys.executable, "-c", CHILD, kind, what, *args]
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    seconds = time.perf_counter() - start
    if result.returncode:
        raise RuntimeError(result.stderr)
    return seconds, int(result.stdout.split()[-1])


def measured_build(model: Path, output: Path, *options: str) -> tuple[float, int]:
    """`shipyard build MODEL --output OUTPUT OPTIONS`: its seconds, and the peak memory of its
    Python process."""
    paths = [str(model.resolve()), "--output", str(output.resolve())]
    return measured("-m", "shipyard", "build", *paths, *options)


def edited(site: Path, target: Path, *replacements: tuple[str, str]) -> Path:
    """A copy of `site` whose page has each (text, replacement) made."""
    shutil.copytree(site, target)
    page = (target / PAGE).read_text()
    for text, replacement in replacements:
        assert text in page, text
        page = page.replace(text, replacement)
    (target / PAGE).write_text(page)
    return target


def variants(site: Path, merged_model: Path | None, folder: Path) -> dict[str, Path]:
    """The externalData `site`; the same opened the other way round as to prepacking ("unpacked",
    as weights past external.PREPACK_LIMIT are, or "packed" for those); and the same with
    `merged_model` as its one model.onnx, if given."""
    options = read_page_data(site)["session"]
    toggled = {k: v for k, v in options.items() if k != "extra"} if "extra" in options else options | UNPACKED
    session = _compact(options)
    name = "packed" if "extra" in options else "unpacked"
    sites = {"externalData": site, name: edited(site, folder / name, (session, _compact(toggled)))}
    if merged_model is not None:
        data = read_page_data(site)
        merged = json.loads(json.dumps(data))
        merged["session"] = {}
        del merged["names"]["files"]["modelData"], merged["manifest"][FILES.model_data]
        whole = Piece.of(FILES.model, merged_model).to_dict()
        merged["manifest"][FILES.model] |= whole
        sites["merged"] = edited(site, folder / "merged", (script_json(data), script_json(merged)))
        (sites["merged"] / FILES.model_data).unlink()
        shutil.copyfile(merged_model, sites["merged"] / FILES.model)
    return sites


def _compact(data: object) -> str:
    """JSON as the page's block holds it."""
    return json.dumps(data, separators=(",", ":"))


def page_figures(sites: dict[str, Path], runs: int, width: int) -> dict[str, list[tuple[float, float] | str]]:
    """(ready ms, first predict ms) per load, or the error the page failed with; the sites
    taking turns."""
    figures: dict[str, list[tuple[float, float] | str]] = {name: [] for name in sites}
    with ExitStack() as servers:
        urls = {name: servers.enter_context(served(site)) for name, site in sites.items()}
        for _ in range(runs):
            for name, url in urls.items():
                with launch_chromium() as browser:
                    page = browser.new_page()
                    page.goto(url, timeout=300_000)
                    try:
                        ready, predict = page.evaluate(READY, [MARKS.ready, width])
                        figures[name].append((ready, predict))
                    except PlaywrightError as error:
                        figures[name].append(error.message.splitlines()[0])
    return figures


def summary(values: list[float], unit: str) -> str:
    return f"{statistics.median(values):8.1f} {unit} ({min(values):.1f}-{max(values):.1f})"


def page_line(name: str, loads: list[tuple[float, float] | str]) -> str:
    failed = [load for load in loads if isinstance(load, str)]
    if failed:
        return f"page, {name:<13} failed {len(failed)} of {len(loads)} loads: {failed[0]}"
    timed = [load for load in loads if not isinstance(load, str)]
    ready, predict = summary([r for r, _ in timed], "ms"), summary([p for _, p in timed], "ms")
    return f"page, {name:<13} ready {ready}  first predict {predict}"


def builds(folder: Path, width: int, count: int, quantize: bool) -> Path | None:
    """Make the model, build it each way and print each build's figures; the merged model, if
    it stays below protobuf's 2 GiB."""
    external, merged = folder / "big.onnx", folder / "merged.onnx"
    subprocess.run([sys.executable, "-c", MAKE, str(width), str(count), str(external)], check=True)
    size = (folder / "weights.bin").stat().st_size
    print(f"model: {count} × [{width}, {width}] float32, {size / 1e6:,.0f} MB")
    rows = {
        "import shipyard.build (the floor)": measured("-c", "import shipyard.build"),
        "build, external-data model": measured_build(external, folder / "site"),
    }
    small = size < 2**31 - 2**20
    if small:
        rows["merge into one file (onnx.load, onnx.save)"] = measured("-c", MERGE, str(external), str(merged))
        rows["build, one-file model"] = measured_build(merged, folder / "one-file")
    for mode in ("dynamic", "fp16") if quantize and small else ():
        rows[f"build --quantize {mode}"] = measured_build(external, folder / mode, "--quantize", mode)
    for name, (seconds, peak) in rows.items():
        print(f"{name:<42} {seconds:6.1f} s  peak memory {peak / 1e6:6,.0f} MB")
    return merged if small else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--width", type=int, default=12_000, help="each weight is [width, width] float32")
    parser.add_argument("--weights", type=int, default=1, help="how many weights (chained MatMuls)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-quantize", action="store_true", help="skip the --quantize builds")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        merged = builds(folder, args.width, args.weights, not args.no_quantize)
        figures = page_figures(variants(folder / "site", merged, folder), args.runs, args.width)
    for name, loads in figures.items():
        print(page_line(name, loads))


if __name__ == "__main__":
    main()
