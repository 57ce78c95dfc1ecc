"""A model as a site ships it: parsed, rewritten to tensor outputs, and inspected."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import onnx

from shipyard.model.external import write_site_model
from shipyard.model.infer import infer_document
from shipyard.model.load import ModelInfo, inspect_model, load_model
from shipyard.model.rewrite import Rewrite, tensor_outputs


@dataclass(frozen=True)
class PreparedModel:
    path: Path
    original: ModelInfo  # the file as it is
    model: onnx.ModelProto  # the copy for the site, its weights left in their files (see `skeleton`)
    info: ModelInfo  # of that copy: its `problems` say whether a browser can run it
    rewrites: list[Rewrite]
    base: Path  # the folder the copy's external data locations are relative to

    def inferred(self) -> dict[str, Any]:
        """The metadata document `shipyard init` writes for this model."""
        return infer_document(self.info, self.model)

    def write(self, folder: Path) -> tuple[str, ...]:
        """Write the site's model files into `folder` (see `external`); returns their names."""
        return write_site_model(self.model, self.base, folder)


def prepare_model(path: Path) -> PreparedModel:
    original = load_model(path)
    model, rewrites = tensor_outputs(original)
    info = inspect_model(path, model)
    return PreparedModel(path, inspect_model(path, original), model, info, rewrites, path.parent)
