"""`shipyard build`: read the model, infer and reconcile the metadata, then write the site."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import ModelError
from .metadata import load_document
from .model import read_signature
from .prepared import prepare_model
from .reconcile import reconcile
from .rewrite import Rewrite
from .site import build_site
from .user_code import SITE_NAME, find_module, read_module


@dataclass(frozen=True)
class BuildReport:
    output: Path
    files: int
    bytes: int
    rewrites: list[Rewrite]


def build(model: Path, metadata: Path | None, output: Path, python: Path | None = None) -> BuildReport:
    """Validate everything first; only a fully valid build touches `output`."""
    prepared = prepare_model(model)
    if prepared.info.problems:
        raise ModelError("cannot run in a browser:\n  " + "\n  ".join(prepared.info.problems), file=model)
    given = load_document(metadata) if metadata else {}
    module = find_module(given, metadata, python)
    if module is not None:
        given = given | {"python": SITE_NAME}
    signature = read_signature(prepared.model)
    app = reconcile(prepared.inferred(), given, signature, metadata or model)
    build_site(prepared.data(), app, output, read_module(module) if module else None)
    files = [p for p in output.rglob("*") if p.is_file()]
    return BuildReport(output, len(files), sum(p.stat().st_size for p in files), prepared.rewrites)
