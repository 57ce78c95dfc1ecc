"""What a visitor meets that localhost hides: a first visit over a throttled link from a
host that compresses, and a photo made a prediction (through `predict` and through the form)
against the model's own run time."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

from benchmarks.figures import Samples
from benchmarks.network import Ledger, Link, counting_host, throttle
from benchmarks.pages import FIGURES, PHOTO, RECORD, STARTED
from examples.samples import noise, png
from shipyard.site.serve import served
from shipyard.verify.chromium import launch_chromium
from shipyard_runtime.names import ATTRIBUTES

SLOW_MS = 300_000  # a 5 Mbit/s first visit of a 17 MB site takes half a minute

# The photo model's pictures: what the page's `image:` options turn into its tensor.
PHOTO_METADATA = """name: Photo
inputs:
  photo:
    type: float32
    shape: [1, 3, 224, 224]
    widget: image
    image:
      color: RGB
      layout: NCHW
      scale: 0.00392156862745098
      mean: [0.485, 0.456, 0.406]
      std: [0.229, 0.224, 0.225]
      fit: crop
"""


def kind_of(page_name: str) -> str:
    return {"index.html": "shipyard", "no-snapshot/index.html": "shipyard --no-snapshot"}.get(
        page_name, "modelship"
    )


def throttled_visits(
    site: Path, pages: list[str], links: list[Link], runs: int
) -> tuple[Samples, dict[str, dict[str, int]]]:
    """Each page's first visit over each link, the pages in turn within each run, from a host
    that gzips; the figures, and each page's bytes on the wire up to its start."""
    samples: Samples = Samples()
    files: dict[str, dict[str, int]] = {}
    ledger = Ledger()
    with served(site, handler=counting_host(ledger)) as served_url:
        url = served_url.rstrip("/")
        for run in range(runs):
            for link in links:
                for page_name in pages[run % len(pages) :] + pages[: run % len(pages)]:
                    kind = kind_of(page_name)
                    figures, files[kind] = _visit(f"{url}/{page_name}", link, ledger)
                    samples.add(f"{kind} ready ms ({link.name})", figures["ready"])
                    if kind.startswith("shipyard"):
                        samples.add(f"{kind} python ready ms ({link.name})", figures["python"])
    return samples, files


def _visit(url: str, link: Link, ledger: Ledger) -> tuple[dict[str, Any], dict[str, int]]:
    with launch_chromium() as browser:
        page = browser.new_page()
        page.add_init_script(RECORD)
        throttle(page, link)
        ledger.reset()
        page.goto(url, timeout=SLOW_MS)
        page.wait_for_function(STARTED, timeout=SLOW_MS, polling=100)
        sent = ledger.taken()
        return page.evaluate(FIGURES), sent


def photo_figures(url: str, runs: int, samples: Samples) -> None:
    """A 640 × 480 PNG to the result on a started photo page, each way, and the model's run."""
    data = base64.b64encode(png(noise(640, 480, seed=1))).decode()
    with launch_chromium() as browser:
        page = browser.new_page()
        page.add_init_script(RECORD)
        page.goto(url)
        page.wait_for_function(STARTED, timeout=120_000, polling=100)
        got = page.evaluate(PHOTO, [data, "photo", f"[{ATTRIBUTES.output}=mean]", runs])
    names = {"blob": "predict(Blob)", "image": "predict(ImageData)", "form": "form", "model": "session.run"}
    for way, name in names.items():
        for ms in got["times"][way]:
            samples.add(f"photo {name} ms", ms)
        samples.add(f"photo {name} longest task ms", got["longest"][way])
