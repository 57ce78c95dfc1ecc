"""A built site opened in headless Chromium (started as `shipyard verify` starts it), as a
person uses it: for the end-to-end tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import Browser, Page, Request

from shipyard.verify.chromium import LOAD_TIMEOUT_MS, WAIT_PYTHON, is_foreign, load
from shipyard_runtime.names import IDS, PAGE_DATA

# Whether the site's Cache API storage holds the whole file of the manifest entry given
# (files.mjs keeps the files it fetched by sha256): the start-up snapshot is fetched once the
# page is ready. Its bytes are read back, not only its key: a page closed while the entry
# was being written would not have kept it.
HOLDS_FILE = """async ({sha256, size}) => {
  const names = await caches.keys();
  const name = names.find((n) => n.startsWith("shipyard /"));
  const cache = name === undefined ? null : await caches.open(name);
  const key = (await cache?.keys())?.find((r) => r.url.endsWith(sha256));
  return key !== undefined && (await (await cache.match(key)).arrayBuffer()).byteLength === size;
}"""


def wait_until(page: Page, predicate: str, arg: object, timeout_ms: int = LOAD_TIMEOUT_MS) -> None:
    """Wait, polling in the page, until the async `predicate(arg)` is true. (Playwright's
    `wait_for_function` takes the Promise an async function returns for a true value, and
    returns at once: a repeat-visit test once closed a page before its snapshot was kept.)"""
    page.evaluate(
        f"""async ([arg, ms]) => {{
  const predicate = {predicate};
  const end = performance.now() + ms;
  while (!(await predicate(arg))) {{
    if (performance.now() > end) throw new Error("timed out after " + ms + " ms");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }}
}}""",
        [arg, timeout_ms],
    )


# Keeps every text the loading indicator shows, in `window.statusHistory`.
RECORD_STATUS = f"""
window.statusHistory = [];
new MutationObserver(() => {{
  const status = document.getElementById("{IDS.status}");
  const text = status?.textContent;
  if (text && text !== window.statusHistory.at(-1)) window.statusHistory.push(text);
}}).observe(document, {{subtree: true, childList: true, characterData: true}});
"""


def tensor(array: Any) -> dict[str, Any]:
    """A numpy array as an explicit tensor, as `window.shipyard.predict` takes one: its dims
    and its values in row-major order."""
    return {"dims": list(array.shape), "data": array.ravel().tolist()}


@dataclass
class SitePage:
    """A site opened in its own browser context, with every request it made recorded."""

    page: Page
    origin: str
    requests: list[str] = field(default_factory=list)  # the page's own
    worker_requests: list[str] = field(default_factory=list)  # its service worker's
    errors: list[str] = field(default_factory=list)

    @classmethod
    def open(cls, browser: Browser, url: str, *init_scripts: str) -> SitePage:
        """Open `url` in a new context whose pages run `init_scripts` before their own."""
        context = browser.new_context()
        for script in (RECORD_STATUS, *init_scripts):
            context.add_init_script(script)
        parts = urlsplit(url)
        site = cls(context.new_page(), f"{parts.scheme}://{parts.netloc}")
        context.on("request", site._record)
        site.page.on("pageerror", lambda error: site.errors.append(str(error)))
        load(site.page, url, WAIT_PYTHON)  # a person's page: the form runs
        return site

    def _record(self, request: Request) -> None:
        (self.worker_requests if request.service_worker else self.requests).append(request.url)

    def foreign_requests(self) -> list[str]:
        """Requests that left the site's origin (data: URLs stay in the page)."""
        return [u for u in self.requests + self.worker_requests if is_foreign(u, self.origin)]

    def predict(self, inputs: dict[str, Any]) -> dict[str, Any]:
        return self.page.evaluate("(inputs) => window.shipyard.predict(inputs)", inputs)

    def predict_error(self, inputs: dict[str, Any]) -> str:
        """The message `predict` rejects with."""
        return self.page.evaluate(
            "(inputs) => window.shipyard.predict(inputs).then(() => null, (e) => e.message)", inputs
        )

    def submit_form(self, values: dict[str, list[str] | str | bool]) -> dict[str, str]:
        """Fill the form as a person would, press Run, and read each output's text."""
        for key, value in values.items():
            controls = self.page.locator(f'[name="{key}"]')
            if isinstance(value, bool):
                controls.set_checked(value)
                continue
            texts = [value] if isinstance(value, str) else value
            if len(texts) > 1 and controls.count() == 1:  # a long row is one text area
                controls.fill(", ".join(texts))
                continue
            for i, text in enumerate(texts):
                controls.nth(i).fill(text)
        self.page.evaluate("document.querySelectorAll('[data-output]').forEach(e => e.textContent = '')")
        self.page.click("#shipyard-run")
        return self.read_outputs()

    def read_outputs(self) -> dict[str, str]:
        self.page.wait_for_function(
            "[...document.querySelectorAll('[data-output]')].every(e => e.textContent)"
            " || !document.querySelector('#shipyard-form-error').hidden"
            " || [...document.querySelectorAll('[data-error-for]')].some(e => !e.hidden)",
            timeout=LOAD_TIMEOUT_MS,
        )
        return self.page.evaluate(
            "Object.fromEntries([...document.querySelectorAll('[data-output]')]"
            ".map(e => [e.dataset.output, e.innerText]))"
        )

    def bars(self, output: str) -> list[tuple[str, float]]:
        """The probability bars shown for `output`, top to bottom, as (class, probability)."""
        return self.page.evaluate(
            "(name) => [...document.querySelectorAll(`[data-output='${name}'] .bar`)]"
            ".map(b => [b.dataset.class, Number(b.dataset.probability)])",
            output,
        )

    def page_data(self) -> dict[str, Any]:
        """The page's JSON block (`names.page_data`), as the page has it."""
        return self.page.evaluate(f"JSON.parse(document.getElementById('{PAGE_DATA}').textContent)")

    def status_history(self) -> list[str]:
        return self.page.evaluate("window.statusHistory")

    def field_error(self, key: str) -> str:
        return self.page.inner_text(f'[data-error-for="{key}"]')

    def close(self) -> None:
        self.page.context.close()
