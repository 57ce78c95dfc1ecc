"""The time the build's proof in the site's own onnxruntime-web adds to a build of
examples/housing: with no proof cached (Node starts and runs the model) and cached.

    python benchmarks/proof_time.py [--runs N]

Times `prove` itself, the one step the check adds to `shipyard build`, and the whole
build for scale. Each cold run uses a fresh cache folder for the proofs, whose npm assets
link to the user's cache so that nothing is downloaded; prints medians over N runs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from shipyard.build import build_site  # noqa: E402
from shipyard.cache import cache_dir  # noqa: E402
from shipyard.metadata.read import load_document  # noqa: E402
from shipyard.metadata.reconcile import reconcile  # noqa: E402
from shipyard.model.load import read_signature  # noqa: E402
from shipyard.model.prepared import prepare_model  # noqa: E402
from shipyard.model.proof import prove  # noqa: E402

HOUSING = ROOT / "examples" / "housing"


def seconds(step: Callable[[], object]) -> float:
    start = time.perf_counter()
    step()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    prepared = prepare_model(HOUSING / "model.onnx")
    document = load_document(HOUSING / "metadata.yml")
    app = reconcile(prepared.inferred(), document, read_signature(prepared.model), HOUSING / "metadata.yml")
    npm = cache_dir() / "npm"
    cold, cached = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(args.runs):
            folder = Path(tmp) / str(run)
            folder.mkdir()
            (folder / "npm").symlink_to(npm)
            os.environ["SHIPYARD_CACHE_DIR"] = str(folder)
            cold.append(seconds(lambda: prove(prepared, app)))
            cached.append(seconds(lambda: prove(prepared, app)))
        del os.environ["SHIPYARD_CACHE_DIR"]
        build = partial(build_site, HOUSING / "model.onnx", HOUSING / "metadata.yml")
        builds = [seconds(partial(build, Path(tmp) / f"site{run}")) for run in range(args.runs)]
    print(f"examples/housing, median of {args.runs} runs:")
    print(f"  proof, nothing cached (Node starts): {statistics.median(cold) * 1e3:.0f} ms")
    print(f"  proof, cached: {statistics.median(cached) * 1e3:.1f} ms")
    print(f"  whole build, proof cached: {statistics.median(builds) * 1e3:.0f} ms")


if __name__ == "__main__":
    main()
