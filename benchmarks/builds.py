"""Two or more built sites against one another, on first visits: the A/B of a change to the
page, each side built as its own folder.

    python benchmarks/builds.py --runs 9 before/ after/   # each a `shipyard build` output

Each run opens each site in turn in a new Chromium with an empty profile, from 127.0.0.1,
and reads the start-up figures compare.py reads (benchmarks/pages.py): ready, Python ready,
and the total blocking time and longest task of boot. Figures are medians (min-max) over
the runs. Run it on an idle machine: the sites take turns, so a busy spell hits each alike,
but a second browser beside it slows both by half.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.figures import Samples, print_all  # noqa: E402
from benchmarks.pages import RECORD, start_figures  # noqa: E402
from shipyard.site.serve import served  # noqa: E402
from shipyard.verify.chromium import launch_chromium  # noqa: E402

NAMES = {
    "ready": "ready ms",
    "python": "python ready ms",
    "tbt": "boot TBT ms",
    "longest": "boot longest task ms",
}


def first_visit(site: Path) -> dict[str, Any]:
    """One first visit of `site`: its start-up figures."""
    with served(site) as url, launch_chromium() as browser:
        context = browser.new_context()
        context.add_init_script(RECORD)
        return start_figures(context.new_page(), url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("sites", nargs="+", type=Path, help="folders `shipyard build` wrote")
    options = parser.parse_args()
    samples = Samples()
    for _ in range(options.runs):
        for number, site in enumerate(options.sites):
            figures = first_visit(site)
            for key, name in NAMES.items():
                samples.add(f"{number + 1}. {site.name}: {name}", figures[key])
    print_all(samples)


if __name__ == "__main__":
    main()
