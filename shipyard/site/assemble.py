"""Assemble a site in a temporary folder next to the output, then swap it into place.

A build that fails part-way leaves the previous output exactly as it was. Each file the
site copies is read apart from its writing, so that a failure to read one is its source's
(the asset cache, shipyard's own files, the app's packages), reported by that source's
error; what fails after is writing the site, and only that is blamed on the output.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from shipyard.cache import read_cached
from shipyard.errors import OutputError, RequirementError, os_reason
from shipyard.installed import own_file
from shipyard.model.external import SiteModel
from shipyard.model.picture_graph import write_picture_graphs
from shipyard.packages.resolve import NO_PACKAGES, SitePackages
from shipyard.packages.runtime_wheel import build_runtime_wheel
from shipyard.packages.site_lock import local_wheels, write_site_lock
from shipyard.site.brotli import brotlied
from shipyard.site.gpu import gpu_check, ort_asset
from shipyard.site.layout import (
    ENTRY,
    FETCHED,
    LATER,
    PAGE,
    PYSCRIPT,
    PYSCRIPT_CONFIG,
    PYSCRIPT_FILES,
    RUNTIME_PACKAGE,
    STYLE,
    USER_MODULE_FILE,
    glue,
    interpreter,
    module_preloads,
    python_modules,
    site_files,
    template,
)
from shipyard.site.manifest import Piece, entry_of, manifest
from shipyard.site.npm_assets import BROTLI_DECODER, PYODIDE, ensure_asset
from shipyard.site.page import page_context, render_page
from shipyard.site.parts import split_large
from shipyard.site.snapshot import ensure_snapshot
from shipyard.site.stdlib import STDLIB, SplitStdlib, site_imports, split_stdlib
from shipyard.site.webapp import ICON_SIZES, icon, icon_path, web_manifest
from shipyard_runtime.names import FILES
from shipyard_runtime.spec import AppSpec

# Writes the site's model files into a folder (`PreparedModel.write`).
ModelWriter = Callable[[Path], SiteModel]


def write_site(
    model: ModelWriter,
    app: AppSpec,
    output: Path,
    python: bytes | None = None,
    packages: SitePackages = NO_PACKAGES,
    snapshot: bool = True,
    threads: int = 1,
    max_file_size: int | None = None,
    host_files: Mapping[str, bytes] | None = None,
    gpu: bool = False,
    full_stdlib: bool = False,
    python_on_page: bool = False,
) -> None:
    """Write the whole site for `model` (what writes its files) and `app` to `output`, replacing a
    previous build.

    `packages` are already fetched and checked (`resolve`): here they are only copied.
    `snapshot`: the page restores Pyodide from its start-up snapshot (see `snapshot`).
    `threads`: onnxruntime-web's threads; above 1 the site's service worker also makes it
    cross-origin isolated on hosts that send no such headers (templates/worker.mjs).
    `max_file_size`: a host's per-file limit in bytes; a larger file ships in parts.
    `host_files`: what a host preset adds (`_headers`, a Space's README.md), by path in the site.
    `gpu`: ship onnxruntime-web's WebGPU build, which the page uses when its outputs agree
    with the wasm backend's (templates/backend.mjs).
    `full_stdlib`: ship the whole standard library, not only what the site imports (see `stdlib`).
    `python_on_page`: run Python on the page's thread, where user code may use the page
    (`js.document`), rather than in a worker (templates/python_worker.mjs).
    """
    _check_replaceable(output)
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=output.parent, prefix=f".{output.name}.building-"))
    except OSError as error:
        raise OutputError(f"cannot create a folder here ({os_reason(error)})", file=output) from None
    try:
        options = (threads, max_file_size, gpu, full_stdlib, not python_on_page)
        _assemble(model, app, staging, python, packages, snapshot, *options)
        for name, content in (host_files or {}).items():
            (staging / name).parent.mkdir(parents=True, exist_ok=True)
            (staging / name).write_bytes(content)
        _swap(staging, output)
    except OSError as error:
        raise OutputError(f"cannot write the site ({os_reason(error)})", file=output) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _assemble(
    model: ModelWriter,
    app: AppSpec,
    site: Path,
    python: bytes | None,
    packages: SitePackages,
    snapshot: bool,
    threads: int,
    max_file_size: int | None,
    gpu: bool,
    full_stdlib: bool,
    worker: bool,
) -> None:
    own_interpreter = interpreter(snapshot, worker)
    config = PYSCRIPT_CONFIG | {
        "interpreter": f"./{own_interpreter}" if own_interpreter else "./pyodide/pyodide.mjs",
        "packages": [RUNTIME_PACKAGE, *packages.load],
    }
    if python is not None:  # PyScript writes it where Python imports it from
        (site / FILES.user_code).write_bytes(python)
        config = config | {"files": {f"./{FILES.user_code}": USER_MODULE_FILE}}
    own = (own_interpreter,) if own_interpreter else ()
    for name in (STYLE, ENTRY, *glue(), *own, FILES.worker):
        (site / name).write_bytes(template(name))
    _write_web_app(site, app)
    site_model = model(site)
    pictures = write_picture_graphs(site, app)
    pyodide = _copy_assets(site, gpu)
    wheels = [build_runtime_wheel(pyodide)]
    wheels += [_write(pyodide / wheel.name, read_cached(wheel)) for wheel in packages.wheels]
    for file in packages.pyodide.files:
        _write(pyodide / file.name, _given(file))
    rest = _write_stdlib(site, wheels, python, packages, snapshot, full_stdlib)
    if rest is not None:  # the runtime as the trace compiled it
        build_runtime_wheel(pyodide, read_cached(rest.runtime_bytecode))
    lock = write_site_lock(pyodide / "pyodide-lock.json", wheels, pyodide, packages.pyodide.entries)
    runtime = _packed_in_place(site, wheels[0])
    for name in PYSCRIPT_FILES:
        _write(site / "pyscript" / name, own_file(PYSCRIPT / name))
    user_code = (FILES.user_code,) if python is not None else ()
    snapshot_file = (FILES.snapshot,) if snapshot else ()
    wheel_paths = tuple(path for path in local_wheels(lock) if path != runtime.removesuffix(".br"))
    fetched = site_model.files + pictures + FETCHED + snapshot_file + user_code + (runtime, *wheel_paths)
    files = _manifest(site, fetched, max_file_size)
    if rest is not None:
        files[FILES.stdlib_rest]["modules"] = list(rest.rest_modules)  # runtime/stdlib_rest.py
    (site / FILES.manifest).write_text(json.dumps(files, indent=1), encoding="utf-8")
    remote = packages.remote_notice()
    session = site_model.session()
    checked = gpu_check() if gpu else None
    preloads, later = module_preloads(), python_modules(own_interpreter)
    context = page_context(
        app, config, preloads, remote, threads, snapshot, session, files, checked, later, python_worker=worker
    )
    (site / PAGE).write_text(render_page(context), encoding="utf-8")


def _write_web_app(site: Path, app: AppSpec) -> None:
    (site / FILES.web_manifest).write_bytes(web_manifest(app))
    for size in ICON_SIZES:
        (site / icon_path(size)).write_bytes(icon(size))


def _manifest(site: Path, fetched: tuple[str, ...], max_file_size: int | None) -> dict[str, Any]:
    """The site's manifest of its files but the page (which carries it), the files over
    `max_file_size` split first."""
    parts = split_large(site, fetched, max_file_size) if max_file_size else {}
    paths = set(site_files(site)) - {PAGE} - _part_paths(parts) | set(parts)
    entries = (entry_of(site, path, parts.get(path, ()), path in fetched, path in LATER) for path in paths)
    return manifest(entries)


def _part_paths(parts: dict[str, tuple[Piece, ...]]) -> set[str]:
    return {piece.path for pieces in parts.values() for piece in pieces}


def _copy_assets(site: Path, gpu: bool) -> Path:
    """Copy the npm assets from the cache (onnxruntime-web's CPU or WebGPU build, the brotli
    decoder, Pyodide but its stdlib), the wasm files brotli-compressed; returns the site's
    Pyodide folder. Either build goes to the same paths (FILES.ort, FILES.ort_wasm): the
    page hands onnxruntime-web its wasm itself."""
    build = ort_asset(gpu)
    ort, pyodide = ensure_asset(build), ensure_asset(PYODIDE)
    module, wasm = build.names
    _write(site / FILES.ort, read_cached(ort / module))
    _write(site / FILES.ort_wasm, read_cached(brotlied(ort / wasm)))
    decoder = ensure_asset(BROTLI_DECODER)
    for name in BROTLI_DECODER.names:
        _write(site / Path(FILES.brotli).parent / name, read_cached(decoder / name))
    wasm = Path(FILES.pyodide_wasm).stem
    for name in set(PYODIDE.names) - {STDLIB, wasm}:
        _write(site / "pyodide" / name, read_cached(pyodide / name))
    _write(site / FILES.pyodide_wasm, read_cached(brotlied(pyodide / wasm)))
    return site / "pyodide"


def _packed_in_place(site: Path, wheel: Path) -> str:
    """The runtime's wheel, once the lock has its hash, replaced by itself brotli-compressed
    (served unpacked by the page, as Pyodide asks for it); returns its site path."""
    packed = _write(wheel.with_name(f"{wheel.name}.br"), read_cached(brotlied(wheel)))
    wheel.unlink()
    return packed.relative_to(site).as_posix()


# Brotli's quality for the stdlib, which each site traces anew (its modules are the site's):
# the best quality packs it hardly smaller, in twice the time.
STDLIB_QUALITY = 10


def _write_stdlib(
    site: Path, wheels: list[Path], python: bytes | None, packages: SitePackages, snapshot: bool, full: bool
) -> SplitStdlib | None:
    """The stdlib trimmed to what the site imports and the rest of it, or the whole one when
    `full`, and the start-up snapshot made with the one the page starts with (shipped
    brotli-compressed, served unpacked by the page). `wheels`: the runtime's, then the
    requirements'."""
    pyodide = ensure_asset(PYODIDE)
    split = None
    started = pyodide / STDLIB
    if not full:
        names = site_imports(wheels[0], python, [*wheels[1:], *packages.pyodide.files])
        split = split_stdlib(pyodide, wheels[0], names)
        started = split.trimmed
        _write(site / FILES.stdlib_rest, read_cached(split.rest))
    _write(site / FILES.stdlib, read_cached(brotlied(started, quality=STDLIB_QUALITY)))
    if snapshot:
        _write(site / FILES.snapshot, read_cached(ensure_snapshot(pyodide, started)))
    return split


def _write(target: Path, data: bytes) -> Path:
    """A file of the site, its bytes read beforehand from their source (so that a failure
    here is the site's)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return target


def _given(file: Path) -> bytes:
    """A package file of the distribution `--pyodide-packages` names."""
    try:
        return file.read_bytes()
    except OSError as error:
        raise RequirementError(
            f"cannot read it ({os_reason(error)})", file=file, key="--pyodide-packages"
        ) from None


def _check_replaceable(output: Path) -> None:
    """Refuse to replace a folder that holds anything but a previous shipyard site."""
    if output.exists() and not output.is_dir():
        raise OutputError("exists and is not a folder", file=output)
    if output.is_dir() and any(output.iterdir()) and not (output / ENTRY).is_file():
        raise OutputError(
            "is not empty and holds no shipyard site; choose an empty or new folder",
            file=output,
        )


def _swap(staging: Path, output: Path) -> None:
    if not output.exists():
        staging.rename(output)
        return
    old = _old(staging)
    output.rename(old)
    try:
        staging.rename(output)
    except OSError:
        old.rename(output)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _old(staging: Path) -> Path:
    """Where the previous site waits while the new one takes its place."""
    return staging.with_name(staging.name + "-old")
