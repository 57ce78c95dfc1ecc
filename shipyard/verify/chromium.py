"""Headless Chromium driven by Playwright: finding it, starting it, and running a site's predictions.

`shipyard verify` uses this, and so do the tests and benchmarks (`tests/browser.py`), so
every browser shipyard starts gets the same flags. Playwright only drives a Chromium that
is already installed (Debian's, by default); it never downloads one.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from playwright.sync_api import Browser, Page, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from shipyard_runtime.names import IDS

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
# Flags that keep Chromium from calling home on a machine with no internet.
QUIET_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# WebGPU for a --gpu site: headless Chromium then has a software adapter (SwiftShader), with
# --disable-gpu still set. Without it `requestAdapter()` gives null.
WEBGPU_FLAGS = ["--enable-unsafe-webgpu"]
LOAD_TIMEOUT_MS = 120_000
PREDICT_TIMEOUT_MS = 60_000

# Waits until `predict` works (`window.shipyard.ready`: before Python on a site without
# hooks; `predict` waits for Python itself where an input needs it), or rejects after `ms`.
WAIT_READY = """(ms) => Promise.race([
  window.shipyard.ready,
  new Promise((_, reject) => setTimeout(() => reject(new Error(`not ready after ${ms / 1000} s`)), ms)),
])"""
# Waits until the whole page runs (`window.shipyard.python`: the form's Run too).
WAIT_PYTHON = WAIT_READY.replace("window.shipyard.ready", "window.shipyard.python")
# Waits until the site's service worker controls the page (registered once it is ready):
# from then on the next visit is served by it and the browser's caches.
WAIT_CONTROLLED = """() => navigator.serviceWorker.ready.then(() => new Promise((resolve) => {
  if (navigator.serviceWorker.controller) resolve();
  else navigator.serviceWorker.addEventListener("controllerchange", resolve);
}))"""
# Waits until what the page has fetched so far is in the browser's cache: a first visit
# keeps it only once the page runs (templates/files.mjs, `writesAfter`).
WAIT_KEPT = "() => window.shipyard.kept()"
# Predicts every input set in turn; a rejected one gives its message. BigInts come back as
# text, since Playwright would hand them over as floats.
PREDICT_ALL = """async ([sets, ms]) => {
  const plain = (v) => (typeof v === "bigint" ? v.toString() : v);
  const late = () => new Promise((_, reject) => setTimeout(() => reject(new Error("no answer")), ms));
  const results = [];
  for (const inputs of sets) {
    try {
      const result = await Promise.race([window.shipyard.predict(inputs), late()]);
      results.push(Object.fromEntries(Object.entries(result).map(([name, o]) =>
        [name, name === "postprocess" ? o : {type: o.type, dims: o.dims, data: Array.from(o.data, plain)}])));
    } catch (error) {
      results.push(String(error?.message ?? error));
    }
  }
  return results;
}"""


def find_chromium(explicit: str | None = None) -> str | None:
    """`explicit` (a path or a name on PATH) if given; else Debian's Chromium or one on PATH."""
    if explicit is not None:
        return shutil.which(explicit)
    if os.access(CHROMIUM, os.X_OK):
        return CHROMIUM
    return next((found for name in CHROMIUM_NAMES if (found := shutil.which(name))), None)


@contextmanager
def launch_chromium(executable: str = CHROMIUM, webgpu: bool = False) -> Iterator[Browser]:
    """Chromium with `chromium_flags(webgpu)`."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=chromium_flags(webgpu))
        try:
            yield browser
        finally:
            browser.close()


def chromium_flags(webgpu: bool = False) -> list[str]:
    """QUIET_FLAGS; `webgpu`: with a WebGPU adapter too (WEBGPU_FLAGS)."""
    return QUIET_FLAGS + (WEBGPU_FLAGS if webgpu else [])


def is_foreign(url: str, origin: str) -> bool:
    """Whether a request left the site's origin (data: and blob: URLs stay in the page)."""
    return not url.startswith((origin.rstrip("/") + "/", "data:", "blob:"))


@dataclass
class PageRun:
    """What a page did: a result (or failure message) per input set, and every URL it requested."""

    results: list[dict[str, Any] | str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    load_error: str | None = None  # the page never became ready
    status: str = ""  # the page's status line after the runs (a --gpu page's names its backend)

    def foreign_requests(self, origin: str) -> list[str]:
        return list(dict.fromkeys(url for url in self.requests if is_foreign(url, origin)))


def predict_in_page(
    browser: Browser,
    url: str,
    input_sets: list[dict[str, Any]],
    until: str = WAIT_PYTHON,
    held: Sequence[str] = (),
) -> PageRun:
    """Open `url` in a fresh context, wait `until` it is ready (by default until the whole
    page runs, as a visitor needs it), and predict each input set. Requests for URLs that
    match a glob in `held` are never answered, as on a link that has not delivered them yet
    (a site that predicts before Python, with Pyodide's wasm held, never pays Python's start)."""
    run = PageRun()
    context = browser.new_context()
    context.on("request", lambda request: run.requests.append(request.url))
    for pattern in held:
        context.route(pattern, lambda route: None)
    try:
        page = context.new_page()
        load(page, url, until)
    except PlaywrightError as error:
        run.load_error = _first_line(error.message)
        context.close()
        return run
    try:
        run.results = page.evaluate(PREDICT_ALL, [input_sets, PREDICT_TIMEOUT_MS])
        run.status = page.locator(f"#{IDS.status}").text_content() or ""
    finally:
        context.close()
    return run


def load(page: Page, url: str, until: str = WAIT_READY) -> None:
    """Open a site's `url` in `page` and wait `until` it is ready (WAIT_READY: `predict`
    works; WAIT_PYTHON: the whole page runs), or raise Playwright's error after LOAD_TIMEOUT_MS."""
    page.goto(url, timeout=LOAD_TIMEOUT_MS)
    page.evaluate(until, LOAD_TIMEOUT_MS)


def _first_line(message: str) -> str:
    """Playwright's message without its call log and stack."""
    return message.strip().splitlines()[0] if message.strip() else "unknown error"
