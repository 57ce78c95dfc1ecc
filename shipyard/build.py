"""`shipyard build`: read the model, infer and reconcile the metadata, then write the site."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from shipyard.errors import UnrunnableModelError
from shipyard.metadata.read import app_document, load_document
from shipyard.metadata.reconcile import reconcile
from shipyard.metadata.user_code import find_module, read_module
from shipyard.model.load import read_signature
from shipyard.model.origin import Quantized
from shipyard.model.prepared import prepare_model
from shipyard.model.proof import prove
from shipyard.model.quantize import quantize as quantized_copy
from shipyard.model.rewrite import Rewrite
from shipyard.packages.declared import declared_requirements
from shipyard.packages.resolve import Pin, resolve
from shipyard.site.assemble import write_site
from shipyard.site.hosts import DEFAULT_HOST, HOSTS, Host, SiteTraits
from shipyard.site.received import Received, received
from shipyard_runtime.names import FILES


@dataclass(frozen=True)
class BuildReport:
    output: Path
    files: int
    bytes: int
    rewrites: list[Rewrite]
    pins: tuple[Pin, ...] = ()  # the resolved requirements, each with its version and source
    remote_packages: str | None = None  # what the site fetches from elsewhere at run time
    quantized: Quantized | None = None  # what --quantize made of the model, with its sizes
    host: Host = HOSTS[DEFAULT_HOST]  # the preset the site was built for
    received: Received | None = None  # what the host gets: sizes, its own files, the limit


def build_site(
    model: Path,
    metadata: Path | None,
    output: Path,
    python: Path | None = None,
    requirements: Path | None = None,
    pyodide_packages: str | None = None,
    snapshot: bool = True,
    threads: int = 1,
    quantize: str | None = None,
    host: str = DEFAULT_HOST,
    max_file_size: int | None = None,
    gpu: bool = False,
    full_stdlib: bool = False,
    python_on_page: bool = False,
) -> BuildReport:
    """Validate everything and fetch the requirements first; only a fully valid build touches `output`.

    `quantize`: ship a quantized copy of the model (a mode of `quantize.QUANTIZERS`).
    `host`: a preset of `hosts.HOSTS`, whose files the site gets and whose per-file limit
    applies unless `max_file_size` (bytes) gives another. `gpu`: ship onnxruntime-web's
    WebGPU build too (see `write_site`).
    `full_stdlib`: ship the whole standard library rather than what the site imports.
    `python_on_page`: run Python on the page's thread rather than in a worker."""
    preset = HOSTS[host]
    limit = max_file_size if max_file_size is not None else preset.max_file_size
    prepared = prepare_model(model)
    if prepared.info.problems:
        raise UnrunnableModelError(prepared.info.problems, file=model)
    document = load_document(metadata) if metadata else {}
    declared = declared_requirements(document, metadata, requirements)
    given = app_document(document)
    module = find_module(given, metadata, python)
    if module is not None:
        given = given | {"python": FILES.user_code}
    signature = read_signature(prepared.model)
    app = reconcile(prepared.inferred(), given, signature, metadata or model)
    if quantize is not None:  # it changes neither the signature nor the app
        prepared = quantized_copy(prepared, quantize)
    prepared = prove(prepared, app)  # the site's onnxruntime-web runs it, repaired if it must be
    source = read_module(module) if module else None
    packages = resolve(declared, pyodide_packages)
    host_files = preset.files(SiteTraits(app.name, app.description, isolated=threads > 1))
    shipped = (source, packages, snapshot, threads, limit, host_files)
    write_site(
        prepared.write, app, output, *shipped, gpu=gpu, full_stdlib=full_stdlib, python_on_page=python_on_page
    )
    got = received(output, tuple(host_files), limit)
    remote = packages.remote_notice()
    pins, quantized = packages.pins, prepared.quantized
    return BuildReport(output, got.files, got.bytes, prepared.rewrites, pins, remote, quantized, preset, got)
