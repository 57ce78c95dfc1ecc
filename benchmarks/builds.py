"""Two or more built sites against one another, on first visits and, with `--repeat`,
repeat ones: the A/B of a change to the page, each side built as its own folder.

    python benchmarks/builds.py --runs 9 before/ after/   # each a `shipyard build` output
    python benchmarks/builds.py --runs 3 --repeat --round-trip 40 before/ after/

Each run opens each site in turn in a new Chromium with an empty profile, from 127.0.0.1 (a
host that compresses as static hosts do), and reads the start-up figures compare.py reads
(benchmarks/pages.py): ready, Python ready, and the total blocking time and longest task of
boot. With `--repeat`, a second visit in the same profile follows, once the first has kept
what it fetched and its service worker controls the page, and the host's requests during it
are counted. `--round-trip MS`: a host that answers each request MS late
(benchmarks/network.py, `late_host`), the service worker's too, as a real host over a real
link does. Figures are medians (min-max) over the runs. Run it on an idle machine: the
sites take turns, so a busy spell hits each alike, but a second browser beside it slows
both by half.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.figures import Samples, print_all  # noqa: E402
from benchmarks.network import late_host  # noqa: E402
from benchmarks.pages import RECORD, start_figures  # noqa: E402
from shipyard.site.serve import served  # noqa: E402
from shipyard.verify.chromium import WAIT_CONTROLLED, WAIT_KEPT, launch_chromium  # noqa: E402

NAMES = {
    "ready": "ready ms",
    "python": "python ready ms",
    "tbt": "boot TBT ms",
    "longest": "boot longest task ms",
    "requests": "requests to the host",
}


def visits(site: Path, repeat: bool, round_trip_ms: float) -> list[tuple[str, dict[str, Any]]]:
    """A first visit of `site` and, with `repeat`, a second one: each one's start-up
    figures, a repeat visit's with the number of requests the host was asked meanwhile."""
    asked: list[str] = []
    with served(site, handler=late_host(round_trip_ms, asked)) as url, launch_chromium() as browser:
        context = browser.new_context()
        context.add_init_script(RECORD)
        page = context.new_page()
        figures = [("", start_figures(page, url))]
        if repeat:
            page.evaluate(WAIT_CONTROLLED)
            page.evaluate(WAIT_KEPT)
            page.wait_for_timeout(KEEPING_MS)
            page.close()
            asked.clear()
            again = start_figures(context.new_page(), url)
            figures.append((" repeat", {**again, "requests": len(asked)}))
        return figures


KEEPING_MS = 1000  # for the service worker to keep the modules the page named once it ran


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--repeat", action="store_true", help="a repeat visit after each first one")
    parser.add_argument("--round-trip", type=float, default=0, metavar="MS", help="answer requests MS late")
    parser.add_argument("sites", nargs="+", type=Path, help="folders `shipyard build` wrote")
    options = parser.parse_args()
    samples = Samples()
    for _ in range(options.runs):
        for number, site in enumerate(options.sites):
            for visit, figures in visits(site, options.repeat, options.round_trip):
                for key, name in NAMES.items():
                    if key in figures:
                        samples.add(f"{number + 1}. {site.name}{visit}: {name}", figures[key])
    print_all(samples)


if __name__ == "__main__":
    main()
