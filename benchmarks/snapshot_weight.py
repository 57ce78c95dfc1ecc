"""Whether the start-up snapshot pays for its bytes: the housing site built with and without
it, first visits on 127.0.0.1 and over throttled links, from a host that gzips.

    python benchmarks/snapshot_weight.py [--runs N]

Each load is a new Chromium with an empty profile; the two sites take turns. The server
gzips every response whose file is not already compressed, as GitHub Pages and most CDNs
do. The link is Chromium's own network emulation. Figures: the page's "ready" mark (from
navigation), medians (min-max) in ms, and the bytes on the wire (as the link carried them).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from shipyard.site.serve import GzippingHandler, served  # noqa: E402
from shipyard.verify.chromium import launch_chromium  # noqa: E402
from shipyard_runtime.names import MARKS  # noqa: E402

# Mbit/s and round-trip latency in ms; None: the loopback as it is.
LINKS: dict[str, tuple[float, int] | None] = {
    "localhost": None,
    "20 Mbit/s, 40 ms": (20, 40),
    "5 Mbit/s, 80 ms": (5, 80),
}
READY = """async (mark) => {
  await window.shipyard.ready;
  return performance.getEntriesByName(mark)[0].startTime;
}"""


def visit(url: str, link: tuple[float, int] | None) -> tuple[float, int]:
    """Ready, in ms, and the bytes on the wire, for one first visit over `link`."""
    with launch_chromium() as browser:
        context = browser.new_context()
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        wire: list[int] = []
        cdp.on("Network.loadingFinished", lambda event: wire.append(int(event["encodedDataLength"])))
        if link:
            rate = link[0] * 1e6 / 8
            limits = {"latency": link[1], "downloadThroughput": rate, "uploadThroughput": rate}
            cdp.send("Network.emulateNetworkConditions", {"offline": False, **limits})
        page.goto(url, timeout=600_000)
        ready = page.evaluate(READY, MARKS.ready)
        return ready, sum(wire)


def build(folder: Path, *options: str) -> None:
    housing = ROOT / "examples" / "housing"
    command = [sys.executable, "-m", "shipyard", "build", str(housing / "model.onnx")]
    options = ("--metadata", str(housing / "metadata.yml"), "--output", str(folder), *options)
    subprocess.run([*command, *options], check=True, capture_output=True)


def summary(values: list[float]) -> str:
    return f"{statistics.median(values):7.0f} ms ({min(values):.0f}-{max(values):.0f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    sites = {"snapshot": "--snapshot", "no snapshot": "--no-snapshot"}
    with tempfile.TemporaryDirectory() as tmp:
        for option in sites.values():
            build(Path(tmp) / option, option)
        figures: dict[tuple[str, str], list[tuple[float, int]]] = {}
        for link_name, link in LINKS.items():
            for _ in range(args.runs):
                for name, option in sites.items():
                    with served(Path(tmp) / option, handler=GzippingHandler) as url:
                        figures.setdefault((link_name, name), []).append(visit(url, link))
    for (link_name, name), loads in figures.items():
        wire = statistics.median(w for _, w in loads) / 1e6
        ready = summary([r for r, _ in loads])
        print(f"{link_name:<18} {name:<12} ready {ready}   {wire:6.2f} MB on the wire")


if __name__ == "__main__":
    main()
