"""`shipyard build`: check the metadata against the model, then write the site."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .metadata import load_metadata
from .model import check_against, read_signature
from .site import build_site


@dataclass(frozen=True)
class BuildReport:
    output: Path
    files: int
    bytes: int


def build(model: Path, metadata: Path, output: Path) -> BuildReport:
    """Validate everything first; only a fully valid build touches `output`."""
    app = load_metadata(metadata)
    check_against(app, read_signature(model), model, metadata)
    build_site(model, app, output)
    files = [p for p in output.rglob("*") if p.is_file()]
    return BuildReport(output, len(files), sum(p.stat().st_size for p in files))
