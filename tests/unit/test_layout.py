"""Which of the templates a site ships."""

from __future__ import annotations

from shipyard.site.layout import ENTRY, RESCUE, SNAPSHOT_INTERPRETER, TEMPLATES, WORKER_INTERPRETER, glue
from shipyard_runtime.names import FILES


def test_every_module_of_the_templates_is_an_entry_point_or_imported_by_one() -> None:
    """The site ships the modules its entry points import (so a module missing from an
    installation is named); one imported only dynamically would be left out of every site.
    The service worker and the inlined rescue script are scripts of their own."""
    modules = {entry.name for entry in TEMPLATES.iterdir() if entry.name.endswith((".js", ".mjs"))}
    assert modules == {ENTRY, SNAPSHOT_INTERPRETER, WORKER_INTERPRETER, FILES.worker, RESCUE, *glue()}
