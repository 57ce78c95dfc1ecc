"""shipyard against its floor and its peers, in one run: start-up, latency, bytes, memory,
batches and build time, with the ratios issues 5 and 13 set as targets.

    pip install -r benchmarks/requirements.txt   # modelship, for this script only
    python benchmarks/compare.py [--runs N] [--examples housing photo digits]
        [--links 20mbit 5mbit] [--skip-throttled] [--skip-repeat]
    python benchmarks/compare.py --runs 1 --examples housing --links 20mbit   # a quick look

One server serves, side by side from one folder and the same asset files: the shipyard
site, and the same built `--no-snapshot`; `floor.html`, a blank page that only boots
Pyodide and runs one statement; `worker-floor.html`, the same in a PyScript worker (what
Python off the page's thread costs, and the blocking time it leaves); `plain.html`, a
plain-JS page that creates the same onnxruntime-web session; and, under `modelship/`,
modelship's site for the same model (when modelship can take it). Each first visit gets a
new Chromium with an empty profile; a repeat visit is a second page in the same profile
once the site's service worker controls it. The pages take turns within each run, and
every figure is a median with its min-max. Run it on an idle machine.

On localhost: first paint, ready and Python ready (see benchmarks/pages.py for the
marks), the total blocking time of boot, click to result and its longest task, latency
against plain JS on the same session, memory, CSV batches; for the photo model, a
640 × 480 picture to the result against the model's own run; for digits, navigation to
the first prediction. Over throttled links (benchmarks/network.py): each first visit
from a host that gzips, and the bytes it sent, per file.
"""

from __future__ import annotations

import argparse
import gzip
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.figures import Samples, at_most, print_all, print_lines, ratio  # noqa: E402
from benchmarks.network import LINKS, wire_table  # noqa: E402
from benchmarks.pages import (  # noqa: E402
    CLICK_TO_RESULT,
    LATENCY,
    MEMORY,
    RECORD,
    START_MS,
    WORKER_FLOOR_MODULE,
    first_prediction,
    floor_page,
    plain_page,
    start_figures,
    worker_floor_module,
    worker_floor_page,
)
from benchmarks.pictures_and_batches import BATCH, photo_model  # noqa: E402
from benchmarks.visitors import PHOTO_METADATA, photo_figures, throttled_visits  # noqa: E402
from examples.samples import digit_picture, housing_rows, to_csv  # noqa: E402
from shipyard.build import build_site  # noqa: E402
from shipyard.site.serve import served  # noqa: E402
from shipyard.verify.chromium import WAIT_CONTROLLED, WAIT_KEPT, launch_chromium  # noqa: E402
from shipyard_runtime.names import ATTRIBUTES, IDS, PAGE_DATA  # noqa: E402

EXAMPLES = ROOT / "examples"

PAGE_KINDS = {
    "index.html": "shipyard",
    "no-snapshot/index.html": "shipyard --no-snapshot",
    "floor.html": "floor",
    "worker-floor.html": "worker floor",
    "plain.html": "plain",
}
SITES = ["shipyard", "shipyard --no-snapshot", "modelship"]  # the pages a visitor could be sent to
FLOORS = ["floor", "worker floor"]


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
    photo: bool = False  # a picture input, measured from a photo (see visitors.photo_figures)
    first_prediction: bool = False  # measured from navigation to the first prediction


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
            "photo",
            photo_model(folder / "photo.onnx"),
            _written(folder / "photo.yml", PHOTO_METADATA),
            {"photo": photo},
            {"photo": photo},
            "",
            photo=True,
        ),
        "digits": Example(
            "digits",
            EXAMPLES / "digits" / "model.onnx",
            EXAMPLES / "digits" / "metadata.yml",
            {"digit": _picture()},
            {},  # preprocess makes the model's input: no plain-JS call does the same
            "",
            first_prediction=True,
        ),
    }


def _written(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


def _picture() -> dict[str, Any]:
    """A 96 × 96 picture of a dataset digit, as `predict` takes it."""
    pixels = digit_picture(-1, 8, 16, (255, 255, 255))
    return {"width": pixels.width, "height": pixels.height, "data": list(pixels.rgba)}


def prepare(example: Example, folder: Path, modelship: str | None) -> list[str]:
    """Build the site and its comparison pages into `folder`; return the pages to load."""
    build_site(example.model, example.metadata, folder)
    build_site(example.model, example.metadata, folder / "no-snapshot", snapshot=False)
    (folder / "floor.html").write_text(floor_page(folder))
    (folder / "worker-floor.html").write_text(worker_floor_page())
    (folder / WORKER_FLOOR_MODULE).write_text(worker_floor_module(folder))
    (folder / "plain.html").write_text(plain_page(folder))
    pages = ["index.html", "no-snapshot/index.html", "floor.html", "worker-floor.html", "plain.html"]
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
    url: str,
    page_name: str,
    example: Example,
    samples: Samples,
    files: dict[str, dict[str, int]],
    repeat: bool,
) -> None:
    """One first visit of one page in a new browser: its start-up figures and bytes; then,
    with `repeat`, a second visit in the same profile."""
    fetched: dict[str, int] = {}  # every response, workers' included (a Web Worker loads modelship's model)

    def record(response: Any) -> None:
        if response.url.startswith(url):
            fetched[urlsplit(response.url).path] = int(response.headers.get("content-length", 0))

    kind = PAGE_KINDS.get(page_name, "modelship")
    with launch_chromium() as browser:
        context = browser.new_context()
        context.add_init_script(RECORD)
        if example.first_prediction and kind.startswith("shipyard"):
            context.add_init_script(first_prediction(example.inputs))
        page = context.new_page()
        page.on("response", record)
        figures = start_figures(page, f"{url}/{page_name}")
        if example.output and kind in SITES:
            button, output = (
                (f"#{IDS.run}", f"[{ATTRIBUTES.output}={example.output}]")
                if kind.startswith("shipyard")
                else ("input[type=submit]", f"#{example.output}Output")
            )
            clicked = page.evaluate(CLICK_TO_RESULT, [button, output])
            samples.add(f"{kind} click-to-result ms", clicked["ms"])
            samples.add(f"{kind} click longest task ms", clicked["longest"])
        files[kind] = dict(fetched)
        _add_start(samples, kind, "", figures)
        samples.add(f"{kind} form visible ms", figures["ready"] if kind == "modelship" else figures["paint"])
        if example.first_prediction and kind.startswith("shipyard"):
            page.wait_for_function("window.firstPrediction", timeout=START_MS)
            samples.add(f"{kind} first prediction ms", page.evaluate("window.firstPrediction"))
        if repeat and kind in SITES:
            if kind.startswith("shipyard"):
                page.evaluate(WAIT_CONTROLLED)
                page.evaluate(WAIT_KEPT)
            page.close()
            _add_start(samples, kind, " repeat", start_figures(context.new_page(), f"{url}/{page_name}"))


def _add_start(samples: Samples, kind: str, visit: str, figures: dict[str, Any]) -> None:
    samples.add(f"{kind}{visit} ready ms", figures["ready"])
    if kind.startswith("shipyard"):
        samples.add(f"{kind}{visit} python ready ms", figures["python"])
    if not visit and kind in SITES + FLOORS:
        samples.add(f"{kind} boot TBT ms", figures["tbt"])
        samples.add(f"{kind} boot longest task ms", figures["longest"])


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
    extra = {"/floor.html", "/worker-floor.html", f"/{WORKER_FLOOR_MODULE}", "/plain.html"} | others
    unused = sorted(shipped - extra - set(files.get("shipyard", {})) - {"/", "/index.html"})
    lines.append(f"  shipyard files never fetched: {', '.join(unused) or 'none'}")
    return lines


def report(example: Example, samples: Samples, site: Path, files: dict[str, dict[str, int]]) -> None:
    print(f"\n== {example.name}, localhost ==")
    print_all(samples)
    print("ratios (medians):")
    print_lines(
        [
            ratio(samples, "shipyard form visible ms", "modelship ready ms", 0.3),
            ratio(samples, "shipyard ready ms", "floor ready ms", 1.15),
            ratio(samples, "shipyard ready ms", "modelship ready ms", 1.3),
            ratio(samples, "shipyard python ready ms", "modelship ready ms"),
            ratio(samples, "shipyard --no-snapshot ready ms", "floor ready ms", 1.15),
            ratio(samples, "worker floor ready ms", "floor ready ms"),
            ratio(samples, "predict µs per call", "plain JS µs per call", 1.1),
            ratio(samples, "predict µs per call (first calls)", "plain JS µs per call (first calls)"),
            ratio(samples, "shipyard click-to-result ms", "modelship click-to-result ms", 1),
            *(ratio(samples, f"{kind} repeat ready ms", f"{kind} ready ms", 0.5) for kind in SITES),
            *(at_most(samples, f"{kind} boot TBT ms", 200) for kind in SITES),
            *(at_most(samples, f"{kind} click longest task ms", 100) for kind in SITES),
            *(at_most(samples, f"photo {way} longest task ms", 100) for way in ("predict(Blob)", "form")),
            at_most(samples, "photo predict(Blob) ms", 30, over="photo session.run ms"),
            at_most(samples, "photo predict(ImageData) ms", 30, over="photo session.run ms"),
            at_most(samples, "photo form ms", 30, over="photo session.run ms"),
        ]
    )
    print("\n".join(bytes_table(site, files)))
    if files.get("modelship"):
        raw = sum(files["shipyard"].values()) / sum(files["modelship"].values())
        verdict = "met" if raw <= 1.2 else "NOT met"
        print(f"  raw bytes, shipyard / modelship: {raw:.2f}  (target ≤ 1.2: {verdict})")


def report_throttled(example: Example, samples: Samples, files: dict[str, dict[str, int]]) -> None:
    print(f"\n== {example.name}, first visit over a throttled link, from a host that gzips ==")
    print_all(samples)
    print("ratios (medians):")
    names = {link.name: target for link, target in zip(LINKS.values(), (1.2, 1.3), strict=True)}
    for link, target in names.items():
        for kind in SITES[:2]:
            print_lines([ratio(samples, f"{kind} ready ms ({link})", f"modelship ready ms ({link})", target)])
            print_lines([ratio(samples, f"{kind} python ready ms ({link})", f"modelship ready ms ({link})")])
    print("\n".join(wire_table(files, SITES)))
    if files.get("modelship"):
        for kind in SITES[:2]:
            if files.get(kind):
                value = sum(files[kind].values()) / sum(files["modelship"].values())
                verdict = "met" if value <= 1.2 else "NOT met"
                print(f"  bytes on the wire, {kind} / modelship: {value:.2f}  (target ≤ 1.2: {verdict})")


@dataclass(frozen=True)
class Options:
    runs: int
    calls: int
    links: list[str]
    repeat: bool
    modelship: str | None


def measure(example: Example, folder: Path, options: Options) -> None:
    site = folder / example.name
    pages = prepare(example, site, options.modelship)
    samples, files = Samples(), dict[str, dict[str, int]]()
    with served(site) as served_url:
        url = served_url.rstrip("/")
        for run in range(options.runs):
            for page_name in pages[run % len(pages) :] + pages[: run % len(pages)]:  # take turns
                load(url, page_name, example, samples, files, options.repeat)
            if example.inputs or example.csv:
                in_page(url, example, samples, options.calls)
        if example.photo:
            photo_figures(f"{url}/index.html", options.runs, samples)
    report(example, samples, site, files)
    if options.links:
        visitors = [page for page in pages if PAGE_KINDS.get(page, "modelship") in SITES]
        links = [LINKS[name] for name in options.links]
        report_throttled(example, *throttled_visits(site, visitors, links, options.runs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--calls", type=int, default=200, help="predictions per latency figure")
    parser.add_argument("--examples", nargs="*", default=["housing", "photo", "digits"])
    parser.add_argument(
        "--links", nargs="*", choices=list(LINKS), default=list(LINKS), help="throttled links"
    )
    parser.add_argument("--skip-throttled", action="store_true", help="no first visits over throttled links")
    parser.add_argument("--skip-repeat", action="store_true", help="no repeat visits")
    args = parser.parse_args()
    modelship = shutil.which("modelship", path=str(Path(sys.executable).parent)) or shutil.which("modelship")
    if modelship is None:
        print("modelship is not installed (pip install -r benchmarks/requirements.txt): no figures for it")
    links = [] if args.skip_throttled else args.links
    options = Options(args.runs, args.calls, links, not args.skip_repeat, modelship)
    with tempfile.TemporaryDirectory() as tmp:
        chosen = examples(Path(tmp))
        for name in args.examples:
            measure(chosen[name], Path(tmp), options)
    print("\n== build, warm asset cache, through the CLI ==")
    for name, values in build_times(args.runs).items():
        print(f"  {name:<28} {statistics.median(values):10.2f} s      ({min(values):.2f}–{max(values):.2f})")


if __name__ == "__main__":
    main()
