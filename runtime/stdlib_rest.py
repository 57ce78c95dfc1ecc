"""The standard modules the site's trimmed stdlib left out, fetched on their first import.

The build ships only the stdlib files the page was seen to import (shipyard/site/stdlib.py)
and the rest as one zip. A finder at the end of `sys.meta_path` sees only what no other
finder found: when that is a module the rest holds, it fetches the rest once, checks its
size and sha256 against the site's manifest, writes it beside the stdlib and imports from
there, so that an app's code never meets a missing standard module. An import is
synchronous, so the fetch is too (`fetch` is given by browser.py, the one module that
touches the page).
"""

from __future__ import annotations

import hashlib
import importlib.machinery
import sys
from collections.abc import Callable, Sequence
from importlib.machinery import ModuleSpec
from types import ModuleType
from typing import Any

# Where the fetched rest is written, beside Pyodide's /lib/python3XY.zip.
REST = "/lib/python_stdlib_rest.zip"


class RestOfStdlib:
    """A meta path finder for the modules of the stdlib's rest, which it fetches when one
    is first asked for. `entry`: the rest's manifest entry (path, size, sha256, modules)."""

    def __init__(self, entry: dict[str, Any], fetch: Callable[[str], bytes], where: str = REST) -> None:
        self.entry = entry
        self.modules = frozenset(entry["modules"])
        self.fetch = fetch
        self.where = where
        self.written = False
        self.fetching = False

    def find_spec(
        self, fullname: str, path: Sequence[str] | None = None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if self.fetching or fullname.partition(".")[0] not in self.modules:
            return None  # not the rest's, or imported on the way to fetching it
        if not self.written:
            self.fetching = True
            try:
                self._write()
            finally:
                self.fetching = False
        package = fullname.rpartition(".")[0].replace(".", "/")
        entries = [f"{self.where}/{package}" if package else self.where]
        return importlib.machinery.PathFinder.find_spec(fullname, entries)

    def _write(self) -> None:
        path = self.entry["path"]
        data = self.fetch(path)
        if len(data) != self.entry["size"] or hashlib.sha256(data).hexdigest() != self.entry["sha256"]:
            raise ImportError(
                f"{path} is broken: {len(data):,} bytes that are not the file this site was built "
                "with; deploy the whole site again"
            )
        with open(self.where, "wb") as file:
            file.write(data)
        self.written = True


def install(manifest: dict[str, Any], rest: str, fetch: Callable[[str], bytes]) -> None:
    """Put the finder for the stdlib's rest (`rest`, its path in the site's `manifest`)
    last on `sys.meta_path`; a site without one (built before) gets none."""
    entry = manifest.get(rest)
    if entry is not None and "modules" in entry:
        sys.meta_path.append(RestOfStdlib({**entry, "path": rest}, fetch))
