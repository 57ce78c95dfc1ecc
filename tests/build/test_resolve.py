"""Requirements resolved for the browser: pure wheels from PyPI, packages from a Pyodide
distribution, and builds that fail without touching the last site.

Tests marked by a `pypi_` name ask the package index (through pip) for real wheels.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from packaging.requirements import Requirement
from pyodide_lock import PyodideLockSpec

from shipyard.cli import main
from shipyard.errors import RequirementError
from shipyard.packages import index_wheels as pure_wheels
from shipyard.packages.declared import Declared
from shipyard.packages.pyodide_dist import open_distribution, take
from shipyard.packages.resolve import resolve
from shipyard.site.npm_assets import PYODIDE, ensure_asset
from tests.support.sites import EXAMPLES

HOUSING = EXAMPLES / "housing"


def requirements(*texts: str) -> Declared:
    return Declared(tuple(Requirement(t) for t in texts), "metadata.yml", "requirements")


def pinned_lock() -> PyodideLockSpec:
    return PyodideLockSpec.from_json(ensure_asset(PYODIDE) / "pyodide-lock.json")


# Declaring


def test_a_package_pyodide_distributes_needs_a_distribution() -> None:
    with pytest.raises(RequirementError) as caught:
        resolve(requirements("numpy>=2", "Pillow"), None)
    message = str(caught.value)
    assert "numpy: Pyodide distributes it" in message and "pillow" in message.lower()
    assert "--pyodide-packages DIR|URL" in message and message.startswith("metadata.yml: requirements:")


def test_pypi_a_package_with_only_compiled_wheels_is_refused_with_the_reason() -> None:
    with pytest.raises(RequirementError) as caught:
        resolve(requirements("psutil"), None)  # compiled wheels and an sdist; Pyodide lacks it
    message = str(caught.value)
    assert "psutil: no pure-Python wheel on the package index" in message
    assert "Pyodide cannot load compiled wheels" in message and "--pyodide-packages" in message


def test_pypi_a_dependency_pyodide_distributes_follows_the_same_rule() -> None:
    with pytest.raises(
        RequirementError, match=r"python-dateutil \(needed by arrow\): Pyodide distributes it"
    ):
        resolve(requirements("arrow==1.3.0"), None)


def test_pypi_pure_wheels_are_pinned_with_their_dependencies_and_cached(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    packages = resolve(requirements("python-slugify==8.0.4"), None)
    pins = [pin.describe() for pin in packages.pins]
    assert pins == ["python-slugify 8.0.4 (PyPI)", "text-unidecode 1.3 (PyPI, for python-slugify)"]
    assert packages.load == ("python-slugify",)

    def offline(*args: str) -> None:
        raise AssertionError(f"pip was asked: {args}")

    monkeypatch.setattr(pure_wheels, "_pip", offline)  # a rebuild takes the cached wheels
    assert resolve(requirements("python-slugify==8.0.4"), None).wheels == packages.wheels


# A Pyodide distribution


def fake_wheel(folder: Path, name: str, version: str) -> Path:
    path = folder / f"{name}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as wheel:
        wheel.writestr(f"{name}.py", "VALUE = 1\n")
    return path


def fake_distribution(folder: Path, entries: dict[str, tuple[Path, list[str]]]) -> Path:
    """A folder laid out like a Pyodide distribution: its lock and the wheels it lists."""
    folder.mkdir(exist_ok=True)
    packages = {
        name: {
            "name": name,
            "version": wheel.name.split("-")[1],
            "file_name": wheel.name,
            "install_dir": "site",
            "sha256": hashlib.sha256(wheel.read_bytes()).hexdigest() if wheel.exists() else "0" * 64,
            "imports": [name],
            "depends": depends,
        }
        for name, (wheel, depends) in entries.items()
    }
    lock = {"info": pinned_lock().info.to_dict(), "packages": packages}
    (folder / "pyodide-lock.json").write_text(json.dumps(lock))
    return folder


def test_a_local_distribution_gives_the_package_and_its_depends_checked(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    dist.mkdir()
    six, dateutil = fake_wheel(dist, "six", "1.17.0"), fake_wheel(dist, "python_dateutil", "2.9.0")
    fake_distribution(dist, {"six": (six, []), "python-dateutil": (dateutil, ["six"])})
    taken = take(open_distribution(str(dist), pinned_lock()), ["python-dateutil"])
    assert [e.name for e in taken.entries] == ["python-dateutil", "six"]
    assert taken.files == (dateutil, six)


def test_a_wheel_whose_hash_differs_from_the_lock_is_refused(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    dist.mkdir()
    six = fake_wheel(dist, "six", "1.17.0")
    fake_distribution(dist, {"six": (six, [])})
    six.write_bytes(six.read_bytes() + b"tampered")
    with pytest.raises(RequirementError, match=f"six: {six} has sha256 [0-9a-f]{{64}}, but its lock says"):
        take(open_distribution(str(dist), pinned_lock()), ["six"])


def test_a_missing_wheel_or_entry_of_a_distribution_is_named(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    dist.mkdir()
    lonely = fake_wheel(dist, "python_dateutil", "2.9.0")
    fake_distribution(
        dist, {"python-dateutil": (lonely, ["six"]), "toolz": (dist / "toolz-1-py3-none-any.whl", [])}
    )
    distribution = open_distribution(str(dist), pinned_lock())
    with pytest.raises(
        RequirementError, match=r"six: not in .*pyodide-lock.json \(needed by python-dateutil\)"
    ):
        take(distribution, ["python-dateutil"])
    with pytest.raises(RequirementError, match="toolz: .*toolz-1-py3-none-any.whl is missing"):
        take(distribution, ["toolz"])


def test_a_distribution_for_another_python_or_no_distribution_is_refused(tmp_path: Path) -> None:
    with pytest.raises(RequirementError, match="is neither a folder nor an http"):
        open_distribution(str(tmp_path / "nowhere"), pinned_lock())
    fake_distribution(tmp_path, {})
    lock = json.loads((tmp_path / "pyodide-lock.json").read_text())
    lock["info"] |= {"python": "3.12.7", "abi_version": None}
    (tmp_path / "pyodide-lock.json").write_text(json.dumps(lock))
    with pytest.raises(RequirementError, match="is for Python 3.12 .* use a Pyodide 314.0.7 distribution"):
        open_distribution(str(tmp_path), pinned_lock())


def test_a_url_distribution_is_fetched_at_run_time_and_the_page_says_so(tmp_path: Path) -> None:
    requirements_file = tmp_path / "requirements.txt"
    requirements_file.write_text("numpy\n")
    url = "https://cdn.example.org/pyodide/v314.0.7/full"
    args = ["build", str(HOUSING / "model.onnx"), "--metadata", str(HOUSING / "metadata.yml")]
    args += [
        "--requirements",
        str(requirements_file),
        "--pyodide-packages",
        url,
        "--output",
        str(tmp_path / "s"),
    ]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    notice = f"The site fetches numpy from {url}/ at run time."
    assert "Requirements: numpy 2.4.6 (Pyodide)" in result.output and notice in result.output
    assert notice in (tmp_path / "s" / "index.html").read_text()
    lock = json.loads((tmp_path / "s" / "pyodide" / "pyodide-lock.json").read_text())
    numpy = pinned_lock().packages["numpy"]
    assert lock["packages"]["numpy"]["file_name"] == f"{url}/{numpy.file_name}"
    assert lock["packages"]["numpy"]["sha256"] == numpy.sha256
    assert not list((tmp_path / "s" / "pyodide").glob("numpy*"))


def test_a_failed_resolution_leaves_the_previous_site_and_says_so_in_one_message(tmp_path: Path) -> None:
    output = tmp_path / "site"
    CliRunner().invoke(main, ["build", str(HOUSING / "model.onnx"), "--output", str(output)])
    before = (output / "index.html").read_text()
    (tmp_path / "requirements.txt").write_text("numpy\n")
    args = ["build", str(HOUSING / "model.onnx"), "--requirements", str(tmp_path / "requirements.txt")]
    result = CliRunner().invoke(main, [*args, "--output", str(output)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "numpy: Pyodide distributes it; pass --pyodide-packages" in result.output
    assert (output / "index.html").read_text() == before
