"""Pictures and CSV batches in headless Chromium: how long a photo takes to become a
prediction, and how many CSV rows a second the batch path predicts.

    python benchmarks/pictures_and_batches.py [--runs N]

Pictures: a 640 × 480 photo (random pixels, as PNG, decoded once) into a [1, 3, 224, 224]
float32 input, through `window.shipyard.predict`: as an ImageData, which the page prepares
in onnxruntime-web (templates/picture_prep.mjs); as a plain `{width, height, data}`, which
goes to Python's resize (runtime/images.py; the site has no numpy, so the pure-Python
path); and as the tensor's values in a Float32Array, which runs the model with no call
into Python (the model's own run, and a little). Each with the longest main-thread task
seen during the call. The digits example's page (a preprocess hook) takes the same photo.
Batches: housing rows through `window.shipyard.predictCsv`, 1,000 and 10,000 rows.
Medians with min-max over runs.
"""

from __future__ import annotations

import argparse
import base64
import statistics
import sys
import tempfile
from pathlib import Path

import onnx
from onnx import TensorProto, helper
from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.pages import RECORD  # noqa: E402
from examples.samples import housing_rows, noise, png, to_csv  # noqa: E402
from shipyard.build import build_site  # noqa: E402
from shipyard.site.serve import served  # noqa: E402
from shipyard.verify.chromium import launch_chromium  # noqa: E402

EXAMPLES = ROOT / "examples"

PICTURE = """async ([data, runs, key, ways]) => {
  await window.shipyard.ready;
  const blob = new Blob([Uint8Array.from(atob(data), (c) => c.charCodeAt(0))], {type: "image/png"});
  const bitmap = await createImageBitmap(blob);
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  canvas.getContext("2d").drawImage(bitmap, 0, 0);
  const image = canvas.getContext("2d").getImageData(0, 0, bitmap.width, bitmap.height);
  const given = {
    imageData: image,
    python: {width: image.width, height: image.height, data: image.data},
    tensor: Float32Array.from({length: 3 * 224 * 224}, (_, i) => (i % 255) / 255),
  };
  const times = Object.fromEntries(ways.map((way) => [way, []]));
  const longest = Object.fromEntries(ways.map((way) => [way, []]));
  for (let i = 0; i < runs; i++) {
    for (const way of ways) {
      const start = performance.now();
      await window.shipyard.predict({[key]: given[way]});
      const end = performance.now();
      await new Promise((resolve) => setTimeout(resolve, 100)); // the observer reports late
      times[way].push(end - start);
      const during = window.longTasks.filter(([begun, duration]) => begun < end && begun + duration > start);
      longest[way].push(Math.max(0, ...during.map(([, duration]) => duration)));
    }
  }
  return {times, longest};
}"""

BATCH = """async (text) => {
  await window.shipyard.ready;
  const start = performance.now();
  const result = await window.shipyard.predictCsv(text);
  return [result.rows, performance.now() - start];
}"""


def photo_model(path: Path) -> Path:
    """[1, 3, 224, 224] float32 in, its mean out: the model's own time is negligible."""
    photo = helper.make_tensor_value_info("photo", TensorProto.FLOAT, [1, 3, 224, 224])
    mean = helper.make_tensor_value_info("mean", TensorProto.FLOAT, [1])
    node = helper.make_node("ReduceMean", ["photo"], ["mean"], axes=[1, 2, 3], keepdims=0)
    model = helper.make_model(
        helper.make_graph([node], "photo", [photo], [mean]), opset_imports=[helper.make_opsetid("", 17)]
    )
    model.ir_version = 8
    onnx.save(model, str(path))
    return path


WAYS = {
    "imageData": "ImageData, prepared in onnxruntime-web",
    "python": "{width, height, data}, Python's resize",
    "tensor": "the tensor's values (the model's own run)",
}


def longest(values: list[float]) -> str:
    return f"longest task: median {statistics.median(values):.0f} ms, max {max(values):.0f} ms"


def summary(values: list[float], unit: str) -> str:
    return f"median {statistics.median(values):9.1f} {unit}  (min {min(values):.1f}, max {max(values):.1f})"


def pictures(page: Page, photo: str, digits: str, runs: int) -> None:
    """The photo through each way on the photo site, and as an ImageData on the digits page."""
    data = base64.b64encode(png(noise(640, 480, seed=1))).decode()
    print("640 × 480 photo into [1, 3, 224, 224] float32, per prediction:")
    page.goto(photo)
    report(page.evaluate(PICTURE, [data, runs, "photo", list(WAYS)]))
    print("the same photo on the digits page (a preprocess hook), through predict:")
    page.goto(digits)
    report(page.evaluate(PICTURE, [data, runs, "digit", ["imageData"]]))


def report(found: dict[str, dict[str, list[float]]]) -> None:
    for way, times in found["times"].items():
        print(f"  {WAYS[way]}  {summary(times, 'ms')}")
        print(f"  {' ' * len(WAYS[way])}  {longest(found['longest'][way])}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        build_site(photo_model(folder / "photo.onnx"), None, folder / "photo")
        build_site(
            EXAMPLES / "housing" / "model.onnx", EXAMPLES / "housing" / "metadata.yml", folder / "housing"
        )
        build_site(
            EXAMPLES / "digits" / "model.onnx", EXAMPLES / "digits" / "metadata.yml", folder / "digits"
        )
        with (
            served(folder / "photo") as photo,
            served(folder / "housing") as housing,
            served(folder / "digits") as digits,
        ):
            with launch_chromium() as browser:
                page = browser.new_page()
                page.add_init_script(RECORD)  # window.longTasks
                pictures(page, photo, digits, args.runs)
                page.goto(housing)
                for count in (1_000, 10_000):
                    text = to_csv(housing_rows(count))
                    rates = []
                    for _ in range(args.runs):
                        rows, ms = page.evaluate(BATCH, text)
                        rates.append(rows / ms * 1000)
                    print(f"housing CSV, {count:>6} rows: {summary(rates, 'rows/s')}")


if __name__ == "__main__":
    main()
