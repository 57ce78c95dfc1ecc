"""`shipyard build`: read the model, infer and reconcile the metadata, then write the site."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from shipyard.errors import UnrunnableModelError
from shipyard.metadata.read import app_document, load_document
from shipyard.metadata.reconcile import reconcile
from shipyard.metadata.user_code import find_module, read_module
from shipyard.model.load import read_signature
from shipyard.model.prepared import prepare_model
from shipyard.model.proof import prove
from shipyard.model.rewrite import Rewrite
from shipyard.packages.declared import declared_requirements
from shipyard.packages.resolve import Pin, resolve
from shipyard.site.assemble import write_site
from shipyard_runtime.names import FILES


@dataclass(frozen=True)
class BuildReport:
    output: Path
    files: int
    bytes: int
    rewrites: list[Rewrite]
    pins: tuple[Pin, ...] = ()  # the resolved requirements, each with its version and source
    remote_packages: str | None = None  # what the site fetches from elsewhere at run time


def build_site(
    model: Path,
    metadata: Path | None,
    output: Path,
    python: Path | None = None,
    requirements: Path | None = None,
    pyodide_packages: str | None = None,
    snapshot: bool = True,
    threads: int = 1,
) -> BuildReport:
    """Validate everything and fetch the requirements first; only a fully valid build touches `output`."""
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
    prepared = prove(prepared, app)  # the site's onnxruntime-web runs it, repaired if it must be
    source = read_module(module) if module else None
    packages = resolve(declared, pyodide_packages)
    write_site(prepared.data(), app, output, source, packages, snapshot, threads)
    files = [p for p in output.rglob("*") if p.is_file()]
    size = sum(p.stat().st_size for p in files)
    return BuildReport(output, len(files), size, prepared.rewrites, packages.pins, packages.remote_notice())
