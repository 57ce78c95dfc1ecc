"""The finder for the stdlib's rest, on CPython: a module only the rest holds imports from
it, fetched once and checked; a broken rest is named; other names are left to others."""

from __future__ import annotations

import hashlib
import io
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from shipyard_runtime.stdlib_rest import RestOfStdlib

# Stand-ins for standard modules the trace did not see: one module, one package whose
# `__init__` the trimmed zip would hold and whose submodule only the rest does.
REST_FILES = {"restmod.py": "VALUE = 7\n", "restpkg/sub.py": "NAME = 'sub'\n"}


def zipped(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


class Host:
    """Serves the rest's bytes and counts the fetches."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.fetched: list[str] = []

    def fetch(self, path: str) -> bytes:
        self.fetched.append(path)
        return self.data


@pytest.fixture()
def imports(tmp_path: Path) -> Iterator[Path]:
    """A clean import state: the stand-ins forgotten, the finder and the package removed after."""
    (tmp_path / "restpkg").mkdir()
    (tmp_path / "restpkg" / "__init__.py").write_text("")  # the trimmed zip's part
    sys.path.insert(0, str(tmp_path))
    finders = list(sys.meta_path)
    yield tmp_path / "rest.zip"
    sys.path.remove(str(tmp_path))
    sys.meta_path[:] = finders
    for name in ("restmod", "restpkg", "restpkg.sub"):
        sys.modules.pop(name, None)


def finder(data: bytes, where: Path, expected: bytes | None = None) -> tuple[RestOfStdlib, Host]:
    shipped = data if expected is None else expected
    entry = {
        "path": "pyodide/python_stdlib_rest.zip",
        "size": len(shipped),
        "sha256": hashlib.sha256(shipped).hexdigest(),
        "modules": ["restmod", "restpkg"],
    }
    host = Host(data)
    found = RestOfStdlib(entry, host.fetch, str(where))
    sys.meta_path.append(found)
    return found, host


def test_a_module_only_the_rest_holds_is_fetched_once_and_imported(imports: Path) -> None:
    _, host = finder(zipped(REST_FILES), imports)
    import restmod  # type: ignore[import-not-found]
    import restpkg.sub  # type: ignore[import-not-found]

    assert (restmod.VALUE, restpkg.sub.NAME) == (7, "sub")
    assert host.fetched == ["pyodide/python_stdlib_rest.zip"]


def test_a_broken_rest_is_named_and_not_imported(imports: Path) -> None:
    finder(zipped({"restmod.py": "VALUE = 8\n"}), imports, expected=zipped(REST_FILES))
    with pytest.raises(ImportError, match="python_stdlib_rest.zip is broken"):
        import restmod  # type: ignore[import-not-found]  # noqa: F401


def test_a_name_the_rest_does_not_hold_fetches_nothing(imports: Path) -> None:
    _, host = finder(zipped(REST_FILES), imports)
    with pytest.raises(ModuleNotFoundError):
        import not_in_the_rest  # type: ignore[import-not-found]  # noqa: F401
    assert host.fetched == []
