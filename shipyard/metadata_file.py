"""A metadata document written out as a commented YAML file (`shipyard init`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from shipyard_runtime.dtypes import DTYPES

from .errors import OutputError

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
_NUMBER_TYPES = {d.name for d in DTYPES.values() if d.kind in ("float", "int")}


def render_metadata(document: dict[str, Any], model: str, file: str) -> str:
    lines = [HEADER.format(model=model, file=file)]
    lines.append(f"name: {_scalar(document['name'])}")
    lines.append(f"description: {_scalar(document.get('description'))}  # shown under the title")
    lines.append("inputs:  # keyed by the model's input names; the form shows them in this order")
    for key, entry in document["inputs"].items():
        lines.append(_entry(key, entry, hints=entry["type"] in _NUMBER_TYPES))
    lines.append("outputs:  # keyed by the model's output names")
    for key, entry in document["outputs"].items():
        lines.append(_entry(key, entry, hints=False))
    return "\n".join(lines) + "\n"


def _entry(key: str, entry: dict[str, Any], hints: bool) -> str:
    body = [f"  {_scalar(key)}:"]
    for field, value in entry.items():
        body.append(f"    {field}: {_scalar(value)}{_COMMENTS.get(field, '')}")
    text = "\n".join(body) + "\n"
    return text + _INPUT_HINTS if hints else text


_COMMENTS = {
    "name": "  # the label shown on the page",
    "type": "  # must be the model's type",
    "shape": "  # null (or a name) first: the batch; one form submission is one row",
    "display": "  # value, label or probabilities",
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
        raise OutputError(f"cannot write it ({error.strerror or error})", file=path) from None
