"""The bundled examples, for every test layer: where they are, one built into a folder, and
an example's own Python file imported once."""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


def browser_loaded() -> tuple[str, ...]:
    """The files of a site with a snapshot (an example's) that the browser loads itself: its
    entry, style and modules, PyScript's entry among them."""
    from shipyard.site.layout import ENTRY, STYLE, interpreter, module_preloads, python_modules

    return (ENTRY, STYLE, *module_preloads(), *python_modules(interpreter(snapshot=True, worker=True)))


def build_example(name: str, output: Path) -> Path:
    """`shipyard build` of example `name` with its metadata, into `output / name`."""
    from shipyard.build import build_site

    folder = EXAMPLES / name
    build_site(folder / "model.onnx", folder / "metadata.yml", output / name)
    return output / name


@functools.cache
def example_module(name: str, file: str) -> ModuleType:
    """An example's Python file (`app.py`, `train.py`) imported once, as `<name>_<stem>`."""
    path = EXAMPLES / name / file
    spec = importlib.util.spec_from_file_location(f"{name}_{path.stem}", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
