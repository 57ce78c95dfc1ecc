"""Pictures and CSV batches in headless Chromium: how long Python takes to make a photo a
tensor, and how many CSV rows a second the batch path predicts.

    python benchmarks/pictures_and_batches.py [--runs N]

Pictures: a 640 × 480 photo (random pixels, as PNG) into a [1, 3, 224, 224] float32
input, through `window.shipyard.predict`, against the same call with the tensor's
values given directly (the difference is decoding, resizing and normalising). The
site has no numpy, so this is the pure-Python path. Batches: housing rows through
`window.shipyard.predictCsv`, 1,000 and 10,000 rows. Medians with min-max over runs.
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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from examples.samples import housing_rows, noise, png, to_csv  # noqa: E402
from shipyard.build import build_site  # noqa: E402
from shipyard.site.serve import served  # noqa: E402
from shipyard.verify.chromium import launch_chromium  # noqa: E402

EXAMPLES = ROOT / "examples"

PICTURE = """async ([data, runs]) => {
  await window.shipyard.ready;
  const blob = new Blob([Uint8Array.from(atob(data), (c) => c.charCodeAt(0))], {type: "image/png"});
  const bitmap = await createImageBitmap(blob);
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  canvas.getContext("2d").drawImage(bitmap, 0, 0);
  const image = canvas.getContext("2d").getImageData(0, 0, bitmap.width, bitmap.height);
  const tensor = Array.from({length: 3 * 224 * 224}, (_, i) => (i % 255) / 255);
  const times = {picture: [], tensor: []};
  for (let i = 0; i < runs; i++) {
    let start = performance.now();
    await window.shipyard.predict({photo: image});
    times.picture.push(performance.now() - start);
    start = performance.now();
    await window.shipyard.predict({photo: tensor});
    times.tensor.push(performance.now() - start);
  }
  return times;
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


def summary(values: list[float], unit: str) -> str:
    return f"median {statistics.median(values):9.1f} {unit}  (min {min(values):.1f}, max {max(values):.1f})"


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
        with served(folder / "photo") as photo, served(folder / "housing") as housing:
            with launch_chromium() as browser:
                page = browser.new_page()
                page.goto(photo)
                data = base64.b64encode(png(noise(640, 480, seed=1))).decode()
                times = page.evaluate(PICTURE, [data, args.runs])
                print("640 × 480 photo into [1, 3, 224, 224] float32, pure Python, per prediction:")
                print(f"  picture  {summary(times['picture'], 'ms')}")
                print(f"  tensor   {summary(times['tensor'], 'ms')}  (the same call given the values)")
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
