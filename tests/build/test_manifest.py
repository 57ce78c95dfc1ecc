"""The site's manifest of its own files (shipyard/site/manifest.py), and files over a host's
per-file limit shipped as parts (shipyard/site/parts.py)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import brotli
import pytest

from shipyard.build import build_site
from shipyard.errors import HostLimitError
from shipyard.site.page import read_page_data
from shipyard.site.parts import split_large
from shipyard_runtime.names import FILES
from tests.support.sites import EXAMPLES

HOUSING = EXAMPLES / "housing"


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def test_the_manifest_names_every_file_but_the_page_with_its_size_and_hash(site: Path) -> None:
    manifest = read_page_data(site)["manifest"]
    files = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    assert set(manifest) == files - {"index.html", FILES.manifest}
    for path, entry in manifest.items():
        content = (site / path).read_bytes()
        assert (entry["path"], entry["size"], entry["sha256"]) == (path, len(content), sha256(content))
    assert json.loads((site / FILES.manifest).read_text()) == manifest


def test_the_page_fetches_the_large_files_and_the_browser_loads_the_modules(site: Path) -> None:
    manifest = read_page_data(site)["manifest"]
    fetched = {path for path, entry in manifest.items() if entry.get("fetch")}
    large = {FILES.model, FILES.ort_wasm, FILES.brotli_wasm, FILES.snapshot, FILES.pyodide_wasm}
    assert large <= fetched
    assert not any(path.endswith((".mjs", ".js", ".css")) for path in fetched)
    assert manifest[FILES.brotli_wasm]["type"] == "application/wasm"
    assert manifest[FILES.brotli_wasm]["magic"] == "0061736d"
    for packed in (FILES.ort_wasm, FILES.pyodide_wasm):
        unpacked = brotli.decompress((site / packed).read_bytes())
        assert manifest[packed]["unpacked"] == {
            "path": packed.removesuffix(".br"),
            "size": len(unpacked),
            "sha256": sha256(unpacked),
            "type": "application/wasm",
        }


def test_files_over_the_limit_ship_in_parts(site: Path, tmp_path: Path) -> None:
    limit = 2 * 1024 * 1024
    unsplit = read_page_data(site)["manifest"]
    big = {path for path, e in unsplit.items() if e["size"] > limit}
    assert big and all(unsplit[path].get("fetch") for path in big)
    limited = tmp_path / "limited"
    build_site(HOUSING / "model.onnx", HOUSING / "metadata.yml", limited, max_file_size=limit)
    manifest = read_page_data(limited)["manifest"]
    assert all(p.stat().st_size <= limit for p in limited.rglob("*") if p.is_file())
    for path in big:
        entry = manifest[path]
        assert not (limited / path).exists()
        joined = b"".join((limited / part["path"]).read_bytes() for part in entry["parts"])
        assert joined == (site / path).read_bytes()
        assert [part["path"] for part in entry["parts"]] == [
            f"{path}.part{i:03d}" for i in range(len(entry["parts"]))
        ]
        assert all(part["sha256"] == sha256((limited / part["path"]).read_bytes()) for part in entry["parts"])


def test_a_module_over_the_limit_fails_the_build_and_keeps_the_old_site(tmp_path: Path) -> None:
    output = tmp_path / "site"
    build_site(HOUSING / "model.onnx", HOUSING / "metadata.yml", output)
    before = sorted(p.name for p in output.iterdir())
    with pytest.raises(HostLimitError) as raised:
        build_site(HOUSING / "model.onnx", HOUSING / "metadata.yml", output, max_file_size=200_000)
    assert "cannot be split: the browser loads it itself" in str(raised.value)
    assert sorted(p.name for p in output.iterdir()) == before


def test_split_large_leaves_small_files_alone(tmp_path: Path) -> None:
    (tmp_path / "a.bin").write_bytes(b"x" * 10)
    (tmp_path / "b.bin").write_bytes(bytes(range(250)))
    parts = split_large(tmp_path, ["a.bin", "b.bin"], 100)
    assert [p.size for p in parts["b.bin"]] == [100, 100, 50] and "a.bin" not in parts
    assert (tmp_path / "a.bin").is_file() and not (tmp_path / "b.bin").exists()
