"""A metadata document written out as a commented YAML file (`shipyard init`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from shipyard.errors import OutputError, os_reason
from shipyard_runtime.dtypes import DTYPES

HEADER = """\
# Metadata for {model}, written by `shipyard init` from the model itself.
# `shipyard build {model} --metadata {file} --output dist` reads it as it is.
# Edit freely: a field you delete is inferred from the model again.
"""
_INPUT_HINTS = """\
    # min: 0          # optional: the smallest value the form accepts
    # max: 1          # optional: the largest
    # step: 0.1       # optional: the spinner's increment (any value in range is accepted)
    # default: 0      # optional: the value the form starts with (a list for a row)
"""
_IMAGE_HINTS = """\
    # image:          # optional: how a picture becomes this tensor
    #   color: RGB    # RGB, BGR or gray (a channel dimension of 1 is gray)
    #   layout: NCHW  # or NHWC; guessed from the shape when left out
    #   scale: 0.00392156862745098  # value = (pixel × scale − mean) / std; 1/255 gives 0..1
    #   mean: [0.485, 0.456, 0.406]
    #   std: [0.229, 0.224, 0.225]
    #   fit: stretch  # or crop: cut the picture to the tensor's aspect ratio first
"""
_NUMBER_TYPES = {d.name for d in DTYPES.values() if d.kind in ("float", "int")}


def render_metadata(document: dict[str, Any], model: str, file: str) -> str:
    lines = [HEADER.format(model=model, file=file)]
    lines.append(f"name: {_scalar(document['name'])}")
    lines.append(f"description: {_scalar(document.get('description'))}  # shown under the title")
    lines.append("inputs:  # keyed by the model's input names; the form shows them in this order")
    for key, entry in document["inputs"].items():
        lines.append(_entry(key, entry) + _input_hints(entry))
    lines.append("outputs:  # keyed by the model's output names")
    for key, entry in document["outputs"].items():
        lines.append(_entry(key, entry))
    return "\n".join(lines) + "\n"


def _entry(key: str, entry: dict[str, Any]) -> str:
    body = [f"  {_scalar(key)}:"]
    for field, value in entry.items():
        body.append(f"    {field}: {_scalar(value)}{_COMMENTS.get(field, '')}")
    return "\n".join(body) + "\n"


def _input_hints(entry: dict[str, Any]) -> str:
    if entry.get("widget") == "image":
        return _IMAGE_HINTS
    return _INPUT_HINTS if entry["type"] in _NUMBER_TYPES else ""


_COMMENTS = {
    "name": "  # the label shown on the page",
    "type": "  # must be the model's type",
    "shape": "  # null (or a name) first: the batch; one form submission is one row",
    "display": "  # value, number, label, probabilities, table, text, json or image",
    "widget": "  # number, slider, integer, checkbox, select, text, textarea or image",
    "default": "  # a state: it starts as zeros (one value fills every element)",
}


def _scalar(value: object) -> str:
    """One YAML value on one line (flow style), quoted where YAML needs it."""
    text = yaml.safe_dump(value, default_flow_style=True, width=10**6, allow_unicode=True)
    return text.removesuffix("\n").removesuffix("\n...")


def write_new(path: Path, text: str, force: bool) -> None:
    """Write `text` to `path`, refusing to replace an existing file unless `force`."""
    if path.exists() and not force:
        raise OutputError("exists already; pass --force to replace it", file=path)
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise OutputError(f"cannot write it ({os_reason(error)})", file=path) from None
