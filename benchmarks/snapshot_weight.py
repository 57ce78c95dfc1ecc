"""Whether the start-up snapshot pays for its bytes on a first visit: what restoring it saves
in start-up, against what its download costs over a link.

    python benchmarks/snapshot_weight.py [--runs N]

Builds the housing example with the snapshot (the default) and with `--no-snapshot`, and
serves both from a host that gzips what is not compressed already, as GitHub Pages and
most CDNs do. Each run opens each site in a new Chromium with an empty profile twice, in
one context: the second visit has every file from the browser's cache, so the snapshot
site's second visit is restored from it and the other's starts afresh; their difference
is what restoring saves. Then first visits over Chromium's own network emulation, with the
bytes that came before Python ran (the snapshot comes after it). Figures: the page's
Python mark (the snapshot speeds Python's start only) from navigation, medians (min-max)
in ms.
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

from benchmarks.network import LINKS, Link, throttle  # noqa: E402
from benchmarks.visits import ready_at, visits  # noqa: E402
from shipyard.site.serve import CompressingHandler, served  # noqa: E402
from shipyard.verify.chromium import launch_chromium  # noqa: E402
from shipyard_runtime.names import FILES, MARKS  # noqa: E402


def throttled(url: str, link: Link) -> tuple[float, int]:
    """Python's mark over the link, in ms, and the bytes on the wire until then."""
    with launch_chromium() as browser:
        page = browser.new_context().new_page()
        throttle(page, link)
        cdp = page.context.new_cdp_session(page)
        cdp.send("Network.enable")
        wire: list[int] = []
        cdp.on("Network.loadingFinished", lambda event: wire.append(int(event["encodedDataLength"])))
        page.goto(url, timeout=600_000)
        return ready_at(page, MARKS.python), sum(wire)


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
    with tempfile.TemporaryDirectory() as tmp:
        snapshot, fresh = Path(tmp) / "snapshot", Path(tmp) / "fresh"
        build(snapshot)
        build(fresh, "--no-snapshot")
        weight = (snapshot / FILES.snapshot).stat().st_size
        local: dict[str, list[tuple[float, float]]] = {"snapshot": [], "no snapshot": []}
        links: dict[str, list[tuple[float, int]]] = {link.name: [] for link in LINKS.values()}
        with (
            served(snapshot, handler=CompressingHandler) as url,
            served(fresh, handler=CompressingHandler) as bare,
        ):
            for _ in range(args.runs):
                # The first page stays 3 s: the snapshot, fetched once Python runs, is kept.
                local["snapshot"].append(visits(url, MARKS.python, settle_ms=3000))
                local["no snapshot"].append(visits(bare, MARKS.python, settle_ms=3000))
                for link in LINKS.values():
                    links[link.name].append(throttled(url, link))
    for name, loads in local.items():
        first, second = summary([f for f, _ in loads]), summary([a for _, a in loads])
        print(f"127.0.0.1, {name:<12} first visit {first}   second visit {second}")
    again = {name: statistics.median(a for _, a in loads) for name, loads in local.items()}
    saved = again["no snapshot"] - again["snapshot"]
    print(f"restoring the snapshot saves {saved:.0f} ms; it weighs {weight / 1e6:.2f} MB")
    mbit = {link.name: link.mbit for link in LINKS.values()}
    for name, loads in links.items():
        costs = weight * 8 / (mbit[name] * 1e6) * 1000
        wire = statistics.median(w for _, w in loads) / 1e6
        ready = summary([r for r, _ in loads])
        before = f"{wire:.2f} MB before Python"
        print(f"{name:<18} first visit {ready}, {before}; the snapshot adds {costs:.0f} ms")


if __name__ == "__main__":
    main()
