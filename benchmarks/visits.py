"""A site's ready time on a first visit and a repeat one, and a big model's with its weights
split into parts for a host's per-file limit against the same model unsplit.

    python benchmarks/visits.py [--width N] [--limit MiB] [--runs N]

Builds the housing example, and makes the big model of benchmarks/big_models.py (one
[width, width] float32 weight; 8,192: 268 MB) and builds it twice: as it is, and with
`--max-file-size` (25 MiB, Cloudflare Pages' limit). Each run opens each site in a new
Chromium (a first visit: nothing cached), then again in the same browser (a repeat visit:
the files come from the Cache API). Figures are medians (min-max) of the page's "ready"
mark, in ms, over the runs, from 127.0.0.1.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.big_models import MAKE, measured_build  # noqa: E402
from shipyard.site.serve import served  # noqa: E402
from shipyard.verify.chromium import WAIT_CONTROLLED, WAIT_KEPT, launch_chromium  # noqa: E402
from shipyard_runtime.names import MARKS  # noqa: E402

# The time of `mark` from navigation, once the promise it marks has resolved: `predict`
# works (`window.shipyard.ready`, MARKS.ready) or Python runs too (`.python`, MARKS.python).
READY = """async ([promise, mark]) => {
  await window.shipyard[promise];
  return performance.getEntriesByName(mark)[0].startTime;
}"""
PROMISES = {MARKS.ready: "ready", MARKS.python: "python"}


def ready_at(page: Any, mark: str = MARKS.ready) -> float:
    """`mark`'s time in `page`, in ms, once it is set."""
    return float(page.evaluate(READY, [PROMISES[mark], mark]))


def visits(url: str, mark: str = MARKS.ready, settle_ms: int = 0) -> tuple[float, float]:
    """`mark` on a first visit, then on a repeat visit in the same browser, in ms; the first
    page stays `settle_ms` once the service worker controls it (for what it fetches late)."""
    with launch_chromium() as browser:
        context = browser.new_context()
        page = context.new_page()
        page.goto(url, timeout=300_000)
        first = ready_at(page, mark)
        page.evaluate(WAIT_CONTROLLED)
        page.evaluate(WAIT_KEPT)
        page.wait_for_timeout(settle_ms)
        page.close()
        page = context.new_page()
        page.goto(url, timeout=300_000)
        return first, ready_at(page, mark)


def summary(values: list[float]) -> str:
    return f"{statistics.median(values):8.0f} ms ({min(values):.0f}-{max(values):.0f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--width", type=int, default=8192)
    parser.add_argument("--limit", type=int, default=25, help="the per-file limit, in MiB")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        model = folder / "big.onnx"
        subprocess.run([sys.executable, "-c", MAKE, str(args.width), "1", str(model)], check=True)
        size = (folder / "weights.bin").stat().st_size
        print(f"model: [{args.width}, {args.width}] float32, {size / 1e6:,.0f} MB")
        housing = ROOT / "examples" / "housing"
        metadata = str(housing / "metadata.yml")
        measured_build(housing / "model.onnx", folder / "housing", "--metadata", metadata)
        measured_build(model, folder / "unsplit")
        measured_build(model, folder / "split", "--max-file-size", f"{args.limit}MiB")
        parts = len(list((folder / "split").glob("model.data.part*")))
        names = {"housing": "housing", "big, unsplit": "unsplit", f"big, {parts} parts": "split"}
        figures: dict[str, list[tuple[float, float]]] = {name: [] for name in names}
        with ExitStack() as servers:
            urls = [servers.enter_context(served(folder / site)) for site in names.values()]
            for _ in range(args.runs):
                for name, url in zip(figures, urls, strict=True):
                    figures[name].append(visits(url))
    for name, loads in figures.items():
        first, repeat = summary([f for f, _ in loads]), summary([r for _, r in loads])
        print(f"{name:<16} first visit {first}   repeat visit {repeat}")


if __name__ == "__main__":
    main()
