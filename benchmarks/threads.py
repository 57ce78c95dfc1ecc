"""onnxruntime-web on one thread and on two, for a model whose run takes milliseconds.

    python benchmarks/threads.py [--runs N] [--calls N]

Builds one model (two 3 × 3 convolutions over a [1, 3, 224, 224] picture, about 0.25
GFLOP) twice, with `--threads 1` and `--threads 2`, serves both with `shipyard serve`
(which makes the second cross-origin isolated), and times `window.shipyard.predict` and a
plain-JS call on the same session in the same page, in turns. A new Chromium per load.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from shipyard.build import build_site  # noqa: E402
from shipyard.site.serve import served  # noqa: E402
from shipyard.verify.chromium import launch_chromium  # noqa: E402
from shipyard_runtime.names import PAGE_DATA  # noqa: E402

LATENCY = """async ([calls, pageData]) => {
  await window.shipyard.ready;
  const session = await window.shipyard.session;
  const { names } = JSON.parse(document.getElementById(pageData).textContent);
  const ort = await import(`./${names.files.ort}`);
  const photo = Array.from({length: 3 * 224 * 224}, (_, i) => (i % 255) / 255);
  const plain = async () => {
    const tensor = new ort.Tensor("float32", Float32Array.from(photo), [1, 3, 224, 224]);
    const out = await session.run({photo: tensor});
    Object.values(out).forEach((tensor) => Array.from(tensor.data));
  };
  const timed = async (call) => {
    const start = performance.now();
    await call();
    return performance.now() - start;
  };
  for (let i = 0; i < 10; i++) { await window.shipyard.predict({photo}); await plain(); }
  const times = {shipyard: [], plain: [], threads: ort.env.wasm.numThreads, isolated: crossOriginIsolated};
  for (let i = 0; i < calls; i++) {
    times.shipyard.push(await timed(() => window.shipyard.predict({photo})));
    times.plain.push(await timed(plain));
  }
  return times;
}"""


def conv_model(path: Path) -> Path:
    """[1, 3, 224, 224] float32 in, 32 pooled features out, through two convolutions."""
    rng = np.random.default_rng(0)
    weights = [
        numpy_helper.from_array(rng.normal(size=(32, 3, 3, 3)).astype(np.float32), "w1"),
        numpy_helper.from_array(rng.normal(size=(32, 32, 3, 3)).astype(np.float32) * 0.1, "w2"),
    ]
    nodes = [
        helper.make_node("Conv", ["photo", "w1"], ["c1"], pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c1"], ["r1"]),
        helper.make_node("Conv", ["r1", "w2"], ["c2"], pads=[1, 1, 1, 1], strides=[2, 2]),
        helper.make_node("Relu", ["c2"], ["r2"]),
        helper.make_node("GlobalAveragePool", ["r2"], ["pooled"]),
        helper.make_node("Flatten", ["pooled"], ["features"]),
    ]
    photo = helper.make_tensor_value_info("photo", TensorProto.FLOAT, [1, 3, 224, 224])
    features = helper.make_tensor_value_info("features", TensorProto.FLOAT, [1, 32])
    graph = helper.make_graph(nodes, "conv", [photo], [features], weights)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.save(model, str(path))
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--calls", type=int, default=30)
    args = parser.parse_args()
    figures: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        model = conv_model(Path(tmp) / "conv.onnx")
        with ExitStack() as servers:
            urls = []
            for threads in (1, 2):
                build_site(model, None, Path(tmp) / f"threads-{threads}", threads=threads)
                urls.append(servers.enter_context(served(Path(tmp) / f"threads-{threads}")))
            for _ in range(args.runs):
                for url in urls:
                    with launch_chromium() as browser:
                        page = browser.new_page()
                        page.goto(url)
                        times = page.evaluate(LATENCY, [args.calls, PAGE_DATA])
                    where = f"{times['threads']} thread(s), isolated: {times['isolated']}"
                    for path in ("shipyard", "plain"):
                        figures.setdefault(f"{path:8} {where}", []).append(statistics.median(times[path]))
    for name, values in figures.items():
        print(f"{name}  median {statistics.median(values):7.2f} ms  ({min(values):.2f}-{max(values):.2f})")


if __name__ == "__main__":
    main()
