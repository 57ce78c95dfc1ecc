"""The layout of a built site, its lock, and builds that fail without touching the last one."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path

import brotli
import pytest

from shipyard.build import build_site
from shipyard.errors import MetadataError, ModelError, OutputError
from shipyard.site.layout import TEMPLATES
from shipyard.site.npm_assets import ONNXRUNTIME_WEB, PYODIDE, ensure_asset
from shipyard.site.page import read_page_data
from shipyard_runtime.names import FILES
from tests.support.sites import EXAMPLES

HOUSING = EXAMPLES / "housing"


def test_site_holds_page_model_runtime_pyodide_pyscript_and_the_cpu_wasm_ort(site: Path) -> None:
    top = sorted(p.name for p in site.iterdir())
    assert top == [
        "app.webmanifest",
        "backend.mjs",
        "batch.mjs",
        "brotli",
        "channel.mjs",
        "fastpath.mjs",
        "files.json",
        "files.mjs",
        "gunzip.mjs",
        "icon-192.png",
        "icon-512.png",
        "index.html",
        "model.onnx",
        "numbers.mjs",
        "ort",
        "page.mjs",
        "picture_prep.mjs",
        "pictures.mjs",
        "predict.mjs",
        "pyodide",
        "pyodide_start.mjs",
        "pyscript",
        "python_link.mjs",
        "python_worker.mjs",
        "shipyard.js",
        "status.mjs",
        "stdlib.mjs",
        "steps.mjs",
        "style.css",
        "sw.js",
        "unbrotli.mjs",
        "unbrotli_worker.mjs",
        "view.mjs",
        "watchdog.mjs",
        "worker.mjs",
    ]
    assert sorted(p.name for p in (site / "ort").iterdir()) == [
        "ort-wasm-simd-threaded.wasm.br",
        "ort.wasm.bundle.min.mjs",
    ]
    decoder = sorted(p.name for p in (site / "brotli").iterdir())
    assert decoder == ["brotli_dec_wasm.js", "brotli_dec_wasm_bg.wasm"]
    wasm = brotli.decompress((site / "ort" / "ort-wasm-simd-threaded.wasm.br").read_bytes())
    assert wasm == (ensure_asset(ONNXRUNTIME_WEB) / "ort-wasm-simd-threaded.wasm").read_bytes()
    assert read_page_data(site)["gpu"] is None  # the CPU only, without --gpu
    pyodide = {p.name for p in (site / "pyodide").iterdir()}
    assert {"pyodide.mjs", "pyodide.asm.wasm.br", "pyodide-lock.json"} <= pyodide
    wasm = brotli.decompress((site / FILES.pyodide_wasm).read_bytes())
    assert wasm == (ensure_asset(PYODIDE) / "pyodide.asm.wasm").read_bytes()
    assert {"python_stdlib.zip.br", "python_stdlib_rest.zip"} <= pyodide
    assert "snapshot.bin.gz" in pyodide
    assert (site / "pyscript" / "core.js").is_file()
    assert (site / "model.onnx").read_bytes() == (HOUSING / "model.onnx").read_bytes()


def test_lock_lists_the_runtime_wheel_with_its_hash(site: Path) -> None:
    lock = json.loads((site / "pyodide" / "pyodide-lock.json").read_text())
    assert lock["info"]["python"].startswith("3.14")
    (entry,) = lock["packages"].values()
    wheel = brotli.decompress((site / "pyodide" / f"{entry['file_name']}.br").read_bytes())
    assert entry["sha256"] == hashlib.sha256(wheel).hexdigest()
    assert entry["imports"] == ["shipyard_runtime"]
    assert not (site / "pyodide" / entry["file_name"]).exists()  # the page serves it unpacked


def test_the_runtime_ships_compiled_by_the_page_s_python(site: Path) -> None:
    """Its modules as bytecode alone (shipyard/packages/runtime_wheel.py), which Pyodide's
    Python imports without compiling: unchecked hash-based, and of that Python's version."""
    (entry,) = json.loads((site / "pyodide" / "pyodide-lock.json").read_text())["packages"].values()
    wheel = unpacked_zip(site / "pyodide" / f"{entry['file_name']}.br")
    names = wheel.namelist()
    assert {"shipyard_runtime/browser.pyc", "shipyard_runtime/spec.pyc"} <= set(names)
    assert [name for name in names if name.endswith(".py")] == ["shipyard_runtime/__init__.py"]
    pyc = wheel.read("shipyard_runtime/browser.pyc")
    assert int.from_bytes(pyc[4:8], "little") == 0b01
    stdlib = unpacked_zip(site / FILES.stdlib).read("json/__init__.pyc")
    assert pyc[:4] == stdlib[:4]  # the magic number of the page's Python


def unpacked_zip(path: Path) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(brotli.decompress(path.read_bytes())))


def test_page_shows_the_form_before_python_starts(site: Path) -> None:
    html = (site / "index.html").read_text()
    for key in ("MedInc", "HouseAge", "AveRooms", "Latitude"):
        assert f'name="{key}"' in html
    assert 'value="37.77"' in html and 'data-output="variable"' in html
    assert '<script type="py" worker config="' in html  # Python runs off the page's thread
    assert '"interpreter":"./python_worker.mjs"' in html.replace("&#34;", '"')


def test_threads_are_opt_in_and_every_site_has_its_service_worker(site: Path, tmp_path: Path) -> None:
    assert read_page_data(site)["threads"] == 1
    build_site(HOUSING / "model.onnx", HOUSING / "metadata.yml", tmp_path / "site", threads=2)
    assert read_page_data(tmp_path / "site")["threads"] == 2
    for folder in (site, tmp_path / "site"):
        assert (folder / FILES.worker).read_bytes() == TEMPLATES.joinpath("sw.js").read_bytes()
        assert not (folder / "mini-coi.js").exists()


def test_without_a_snapshot_pyscript_boots_pyodide_itself(tmp_path: Path) -> None:
    """On the page (the worker's interpreter is the site's own either way, without its snapshot)."""
    site = tmp_path / "site"
    build_site(HOUSING / "model.onnx", HOUSING / "metadata.yml", site, snapshot=False, python_on_page=True)
    html = (site / "index.html").read_text().replace("&#34;", '"')
    assert '"interpreter":"./pyodide/pyodide.mjs"' in html and "snapshot" not in html
    assert '<script type="py" config="' in html and not read_page_data(site)["pythonWorker"]
    assert not (site / "interpreter.mjs").exists() and not (site / "python_worker.mjs").exists()
    assert not (site / "pyodide" / "snapshot.bin.gz").exists()


def test_python_on_page_ships_the_snapshots_interpreter_and_no_worker(tmp_path: Path) -> None:
    site = tmp_path / "site"
    build_site(HOUSING / "model.onnx", HOUSING / "metadata.yml", site, python_on_page=True)
    html = (site / "index.html").read_text().replace("&#34;", '"')
    assert '<script type="py" config="' in html and '"interpreter":"./interpreter.mjs"' in html
    assert (site / "interpreter.mjs").exists() and not (site / "python_worker.mjs").exists()


def test_user_text_is_escaped_in_the_page(tmp_path: Path) -> None:
    text = (
        (HOUSING / "metadata.yml")
        .read_text()
        .replace("name: California housing", 'name: "</script><b>x</b>"')
    )
    (tmp_path / "m.yml").write_text(text)
    build_site(HOUSING / "model.onnx", tmp_path / "m.yml", tmp_path / "site")
    html = (tmp_path / "site" / "index.html").read_text()
    assert "<b>x</b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.mark.parametrize(
    ("metadata", "model", "error"),
    [
        ("name: x\ninputs: {}\n", "model.onnx", MetadataError),
        (None, "metadata.yml", ModelError),  # a YAML file is not ONNX
        (
            (HOUSING / "metadata.yml").read_text().replace("Latitude:", "Longitude:"),
            "model.onnx",
            MetadataError,
        ),
    ],
    ids=["bad-metadata", "not-onnx", "name-mismatch"],
)
def test_failed_build_leaves_the_previous_output_as_it_was(
    tmp_path: Path, metadata: str | None, model: str, error: type[Exception]
) -> None:
    output = tmp_path / "site"
    build_site(HOUSING / "model.onnx", HOUSING / "metadata.yml", output)
    before = _snapshot(output)
    path = HOUSING / "metadata.yml"
    if metadata is not None:
        path = tmp_path / "bad.yml"
        path.write_text(metadata)
    with pytest.raises(error):
        build_site(HOUSING / model, path, output)
    assert _snapshot(output) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_refuses_to_replace_a_folder_that_is_not_a_site(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(OutputError, match="holds no shipyard site"):
        build_site(HOUSING / "model.onnx", HOUSING / "metadata.yml", tmp_path)
    assert (tmp_path / "notes.txt").read_text() == "mine"
