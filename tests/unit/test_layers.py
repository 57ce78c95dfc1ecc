"""The test layers: every folder of tests/ that holds tests is a layer, and pytest collects
each (its default `norecursedirs` would skip a folder named build)."""

from __future__ import annotations

import tomllib
from fnmatch import fnmatch

from conftest import LAYERS, TESTS
from tests.support.sites import ROOT


def test_every_folder_of_tests_is_a_layer_that_pytest_collects() -> None:
    assert {path.parent.name for path in TESTS.rglob("test_*.py")} == set(LAYERS)
    options = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]
    assert [layer for layer in LAYERS if any(fnmatch(layer, p) for p in options["norecursedirs"])] == []
