"""A model as a site ships it: parsed, rewritten to tensor outputs, and inspected."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import onnx

from shipyard.model.external import SiteModel, write_site_model
from shipyard.model.infer import infer_document
from shipyard.model.load import ModelInfo, inspect_model, load_model
from shipyard.model.origin import Quantized, write_record
from shipyard.model.rewrite import Rewrite, tensor_outputs


@dataclass(frozen=True)
class PreparedModel:
    path: Path
    original: ModelInfo  # the file as it is
    model: onnx.ModelProto  # the copy for the site, its weights left in their files (see `skeleton`)
    info: ModelInfo  # of that copy: its `problems` say whether a browser can run it
    rewrites: list[Rewrite]
    base: Path  # the folder the copy's external data locations are relative to
    quantized: Quantized | None = None  # what `--quantize` made of the original (see `quantize`)
    # The temporary folder a quantized copy is in (`base`), removed when the model is dropped.
    holds: tempfile.TemporaryDirectory[str] | None = field(default=None, repr=False, compare=False)

    def inferred(self) -> dict[str, Any]:
        """The metadata document `shipyard init` writes for this model."""
        return infer_document(self.info, self.model)

    def write(self, folder: Path) -> SiteModel:
        """Write the site's model files into `folder` (see `external`), and a quantized copy's
        record (see `origin`)."""
        if self.quantized is not None:
            write_record(self.quantized, folder)
        return write_site_model(self.model, self.base, folder)


def prepare_model(path: Path) -> PreparedModel:
    original = load_model(path)
    model, rewrites = tensor_outputs(original)
    info = inspect_model(path, model)
    return PreparedModel(path, inspect_model(path, original), model, info, rewrites, path.parent)
