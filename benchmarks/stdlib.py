"""What trimming Python's standard library saves: its bytes, and the time to Python running.

    python benchmarks/stdlib.py [--runs N] [--mbps M] [--examples housing digits]

Builds each example twice: as shipyard builds it (the stdlib trimmed to what the site
imports and compiled, the rest beside it) and with `--full-stdlib` (Pyodide's sources).
Prints the stdlib's bytes, raw and gzipped at level 6 as a compressing host would send
them (the page's own is brotli-compressed already), and then, for each site in turn,
the time from navigation to Python attaching its page and to "ready", medians (min-max)
over the runs, each a first visit in a new Chromium from 127.0.0.1 (throttled to M Mbit/s
with 40 ms latency when `--mbps` is given).
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from shipyard.build import build_site  # noqa: E402
from shipyard.site.serve import served  # noqa: E402
from shipyard.verify.chromium import launch_chromium  # noqa: E402
from shipyard_runtime.names import FILES, MARKS  # noqa: E402

EXAMPLES = ROOT / "examples"
# Notes when Python hands the page its API (shipyardBoot.attach), before the page's code runs.
WATCH_PYTHON = """
Object.defineProperty(window, "shipyardBoot", {
  configurable: true,
  get() { return this.watchedBoot; },
  set(boot) {
    const attach = boot.attach;
    boot.attach = (page) => { window.pythonAt = performance.now(); return attach(page); };
    this.watchedBoot = boot;
  },
});
"""
TIMES = """async (mark) => {
  await window.shipyard.ready;
  return [window.pythonAt, performance.getEntriesByName(mark)[0].startTime];
}"""


def sizes(path: Path) -> str:
    if not path.is_file():
        return f"{'-':>22}"
    data = path.read_bytes()
    return f"{len(data) / 1e6:6.2f} MB ({len(gzip.compress(data, 6)) / 1e6:4.2f} gzip)"


def first_visit(url: str, mbps: float | None) -> tuple[float, float]:
    """Python attached, then ready, in ms from navigation."""
    with launch_chromium() as browser:
        page = browser.new_context().new_page()
        page.add_init_script(WATCH_PYTHON)
        if mbps:
            cdp = page.context.new_cdp_session(page)
            cdp.send("Network.enable")
            rate = mbps * 1e6 / 8
            link = {"offline": False, "latency": 40, "downloadThroughput": rate, "uploadThroughput": rate}
            cdp.send("Network.emulateNetworkConditions", link)
        page.goto(url, timeout=300_000)
        python, ready = page.evaluate(TIMES, MARKS.ready)
        return python, ready


def summary(values: list[float]) -> str:
    return f"{statistics.median(values):7.0f} ms ({min(values):.0f}-{max(values):.0f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--mbps", type=float, help="throttle the link to this many Mbit/s, 40 ms latency")
    parser.add_argument("--examples", nargs="+", default=["housing", "digits"])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        sites: dict[str, Path] = {}
        for name in args.examples:
            example = EXAMPLES / name
            for kind, full in (("trimmed", False), ("full", True)):
                site = sites[f"{name} {kind}"] = Path(tmp) / name / kind
                build_site(example / "model.onnx", example / "metadata.yml", site, full_stdlib=full)
        print(f"{'site':<18} {'python_stdlib.zip.br':>22} {'python_stdlib_rest.zip':>24}")
        for label, site in sites.items():
            print(f"{label:<18} {sizes(site / FILES.stdlib)} {sizes(site / FILES.stdlib_rest):>24}")
        times: dict[str, list[tuple[float, float]]] = {label: [] for label in sites}
        for _ in range(args.runs):  # the sites take turns, so that the machine's load hits each alike
            for label, site in sites.items():
                with served(site) as url:
                    times[label].append(first_visit(url, args.mbps))
        print(f"\n{'site':<18} {'Python attached':>24} {'ready':>24}")
        for label, runs in times.items():
            print(f"{label:<18} {summary([p for p, _ in runs]):>24} {summary([r for _, r in runs]):>24}")


if __name__ == "__main__":
    main()
