"""The page's Python start, in steps. Imported at once, the runtime held the page's thread
in one task on a first visit (no start-up snapshot): its modules' bodies run as they are
imported (dataclasses build their methods then). So the page's script hands JS the list of
modules, JS imports them one a task, giving the page its thread back between them, and then
`browser.start` attaches the page (templates/shipyard.js, `inSteps`).
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Iterator

import js  # type: ignore[import-not-found]
from pyodide.ffi import create_proxy, to_js  # type: ignore[import-not-found]

# The runtime's modules, each after those it imports (tests/unit/test_boot.py checks it).
MODULES = (
    "problems",
    "names",
    "shapes",
    "links",
    "stdlib_rest",
    "dtypes",
    "images",
    "dims",
    "spec",
    "picture_prep",
    "values",
    "tensors",
    "display",
    "hooks",
    "pipeline",
    "plan",
    "form",
    "batch",
    "browser",
)


@contextlib.contextmanager
def _reported() -> Iterator[None]:
    """A step's failure, told to the page as the page's script tells its own."""
    try:
        yield
    except Exception as error:
        js.shipyardBoot.fail(f"{type(error).__name__}: {error}")
        raise


def _import(name: str) -> None:
    with _reported():
        importlib.import_module(f"{__package__}.{name}")


def _attach() -> None:
    with _reported():
        importlib.import_module(f"{__package__}.browser").start()


def start() -> None:
    """Hand JS the steps of the start: it calls `_import` for each module, then `_attach`."""
    js.shipyardBoot.inSteps(create_proxy(_import), to_js(MODULES), create_proxy(_attach))
