"""A visitor's network: links throttled by Chromium's own emulation, a host that
compresses as static hosts do and counts the bytes it sends, and one that answers each
request a round trip late.

The emulation is set on the page's DevTools session; it holds for the page's dedicated
workers too (modelship loads its model in one), but not for its service worker, whose
requests go at full speed: a repeat visit, which the service worker serves, is slowed by
the late host instead. The bytes are counted where they are sent, so a worker's or a
service worker's requests count as the page's own do.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from shipyard.site.serve import CompressingHandler


@dataclass(frozen=True)
class Link:
    """A visitor's link: its download and upload rate and its round-trip latency."""

    name: str
    mbit: float
    latency_ms: float

    def conditions(self) -> dict[str, Any]:
        rate = self.mbit * 1e6 / 8  # bytes a second
        return {
            "offline": False,
            "latency": self.latency_ms,
            "downloadThroughput": rate,
            "uploadThroughput": rate,
        }


LINKS = {
    "20mbit": Link("20 Mbit/s, 40 ms", 20, 40),
    "5mbit": Link("5 Mbit/s, 80 ms", 5, 80),
}


def throttle(page: Any, link: Link) -> None:
    """Throttle `page` (a Playwright page, before it navigates) to `link`."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", link.conditions())


class Ledger:
    """The body bytes sent per path, as encoded on the wire, since the last reset."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sent: dict[str, int] = {}

    def add(self, path: str, size: int) -> None:
        with self._lock:
            self._sent[path] = self._sent.get(path, 0) + size

    def reset(self) -> None:
        with self._lock:
            self._sent.clear()

    def taken(self) -> dict[str, int]:
        with self._lock:
            return dict(self._sent)


def counting_host(ledger: Ledger) -> type[CompressingHandler]:
    """A handler for `served` that compresses as hosts do and counts what it sends in `ledger`."""

    class CountingHandler(CompressingHandler):
        def send_header(self, keyword: str, value: str) -> None:
            if keyword.lower() == "content-length":
                ledger.add(urlsplit(self.path).path, int(value))
            super().send_header(keyword, value)

    return CountingHandler


def late_host(round_trip_ms: float, asked: list[str]) -> type[CompressingHandler]:
    """A handler for `served` that compresses as hosts do and answers each request
    `round_trip_ms` late, whoever asks (the page, its workers, its service worker), keeping
    the path of each in `asked`."""

    class LateHandler(CompressingHandler):
        def send_head(self) -> Any:
            asked.append(self.path)
            time.sleep(round_trip_ms / 1000)
            return super().send_head()

    return LateHandler


SMALL = 10_000  # bytes: files under this are summed in one line


def wire_table(files: dict[str, dict[str, int]], kinds: list[str]) -> list[str]:
    """Per page: each file's bytes on the wire up to the page's start, largest first."""
    lines = []
    for kind in kinds:
        sent = files.get(kind)
        if not sent:
            continue
        lines.append(f"  {kind}: bytes on the wire (gzip as hosts send it) until started")
        small = [size for size in sent.values() if size < SMALL]
        for path, size in sorted(sent.items(), key=lambda item: -item[1])[: len(sent) - len(small)]:
            lines.append(f"    {size / 1e6:8.3f} MB  {path}")
        lines.append(f"    {sum(small) / 1e6:8.3f} MB  {len(small)} files of under {SMALL / 1e3:.0f} kB each")
        lines.append(f"    {sum(sent.values()) / 1e6:8.3f} MB  in all")
    return lines
