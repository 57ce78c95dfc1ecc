"""The `--dist-dir` pytest-pyodide serves: the Pyodide core plus the wheels the tests load.

The root conftest loads this module as a plugin (`pytest_plugins`), so that
every run gets a fresh temporary dist dir before pytest-pyodide reads the
option. `tests/pyodide/conftest.py` fills it only when the in-browser tests are
collected: plain `pytest tests/test_x.py` never touches npm or PyPI.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from importlib import metadata
from pathlib import Path

import pytest

# What `run_in_pyodide` loads from the lock: pytest (assertion rewriting, pytest.raises),
# its dependencies, and tblib (tracebacks). Pinned to the host's versions.
TEST_WHEELS = ("pytest", "pluggy", "iniconfig", "packaging", "pygments", "tblib")
_UNSET = Path("pyodide")  # pytest-pyodide's default --dist-dir
_MANAGED = pytest.StashKey[Path]()


@pytest.hookimpl(tryfirst=True)  # before pytest-pyodide's own pytest_configure reads the option
def pytest_configure(config: pytest.Config) -> None:
    if config.option.dist_dir == _UNSET:
        config.stash[_MANAGED] = Path(tempfile.mkdtemp(prefix="shipyard-pyodide-dist-"))
        config.option.dist_dir = config.stash[_MANAGED]


def pytest_unconfigure(config: pytest.Config) -> None:
    if _MANAGED in config.stash:
        shutil.rmtree(config.stash[_MANAGED], ignore_errors=True)


def prepare(folder: Path) -> None:
    """Put the Pyodide core, the runtime wheel and the test wheels in `folder`, with their lock."""
    from shipyard.cache import cache_dir
    from shipyard.packages.runtime_wheel import build_runtime_wheel
    from shipyard.packages.site_lock import write_site_lock
    from shipyard.site.npm_assets import PYODIDE, ensure_asset

    folder.mkdir(parents=True, exist_ok=True)
    core = ensure_asset(PYODIDE)
    for name in PYODIDE.files:  # its lock lists 357 packages but no wheels: ours replaces it
        if name != "pyodide-lock.json":
            (folder / name).unlink(missing_ok=True)
            (folder / name).symlink_to(core / name)
    wheels = [build_runtime_wheel(folder)]
    for wheel in fetch_test_wheels(cache_dir() / "test-wheels"):
        wheels.append(Path(shutil.copy(wheel, folder)))  # a copy: the lock wants them inside folder
    write_site_lock(core / "pyodide-lock.json", wheels, folder)


def fetch_test_wheels(cache: Path) -> list[Path]:
    """The pure-Python wheels of TEST_WHEELS, downloaded from PyPI once into `cache`."""
    pins = {name: metadata.version(name) for name in TEST_WHEELS}
    missing = [f"{n}=={v}" for n, v in pins.items() if not list(cache.glob(f"{n}-{v}-*.whl"))]
    if missing:
        cache.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=cache) as tmp:  # whole files only: runs may overlap
            pip = [sys.executable, "-m", "pip", "download", "--only-binary=:all:", "--no-deps"]
            options = ["--python-version", "3.14", "--disable-pip-version-check", "-q", "-d", tmp]
            result = subprocess.run(pip + options + missing, capture_output=True, text=True)
            if result.returncode != 0:
                raise pytest.UsageError(f"could not download {missing} from PyPI:\n{result.stderr}")
            for wheel in Path(tmp).glob("*.whl"):
                wheel.replace(cache / wheel.name)
    return [next(cache.glob(f"{n}-{v}-*.whl")) for n, v in pins.items()]
