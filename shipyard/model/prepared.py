"""A model as a site ships it: parsed, rewritten to tensor outputs, and inspected."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import onnx

from shipyard.model.infer import infer_document
from shipyard.model.load import ModelInfo, inspect_model, load_model
from shipyard.model.rewrite import Rewrite, tensor_outputs


@dataclass(frozen=True)
class PreparedModel:
    path: Path
    original: ModelInfo  # the file as it is
    model: onnx.ModelProto  # the copy for the site
    info: ModelInfo  # of that copy: its `problems` say whether a browser can run it
    rewrites: list[Rewrite]

    def inferred(self) -> dict[str, Any]:
        """The metadata document `shipyard init` writes for this model."""
        return infer_document(self.info, self.model)

    def data(self) -> bytes:
        """The bytes to ship: the file itself unless it was rewritten."""
        return self.model.SerializeToString() if self.rewrites else self.path.read_bytes()


def prepare_model(path: Path) -> PreparedModel:
    original = load_model(path)
    model, rewrites = tensor_outputs(original)
    return PreparedModel(path, inspect_model(path, original), model, inspect_model(path, model), rewrites)
