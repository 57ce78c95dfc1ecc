"""`shipyard inspect`: what a model is, and whether a browser can run it."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from shipyard.errors import BrowserCheckError, MetadataError
from shipyard.metadata.reconcile import reconcile
from shipyard.model.load import ModelInfo, TensorSignature, read_signature
from shipyard.model.prepared import PreparedModel
from shipyard.model.proof import prove
from shipyard.model.rewrite import Rewrite
from shipyard_runtime.problems import Problem

# A metadata_props value past this many characters is shortened in the text report.
SHOWN_CHARACTERS = 80


def browser_verdict(prepared: PreparedModel) -> PreparedModel:
    """`prepared` after the check `shipyard build` makes without a metadata file (`prove`, on
    the metadata the model implies), a refusal added to the copy's problems: so that inspect
    and build never disagree."""
    if prepared.info.problems:
        return prepared  # build refuses these before it runs anything
    try:
        app = reconcile(prepared.inferred(), {}, read_signature(prepared.model), prepared.path)
        return prove(prepared, app)
    except MetadataError as error:
        problems = [Problem("", f"the metadata it implies does not build: {p}") for p in error.problems]
    except BrowserCheckError as error:
        problems = error.problems
    return replace(prepared, info=replace(prepared.info, problems=[*prepared.info.problems, *problems]))


def inspect_report(original: ModelInfo, rewritten: ModelInfo, rewrites: list[Rewrite]) -> dict[str, Any]:
    """A JSON-ready report. The verdict is about the copy shipyard would ship (after rewrites)."""
    return {
        "file": str(original.path),
        "size": original.size,
        "producer": original.producer,
        "opsets": original.opsets,
        "metadata_props": original.metadata_props,
        "doc_string": original.doc_string,
        "inputs": [_tensor(t) for t in original.signature.inputs],
        "outputs": [_tensor(t) for t in original.signature.outputs],
        "rewrites": [r.describe() for r in rewrites],
        "runs_in_browser": not rewritten.problems,
        "problems": [str(problem) for problem in rewritten.problems],
    }


def _tensor(tensor: TensorSignature) -> dict[str, Any]:
    if not tensor.is_tensor:
        return {"name": tensor.name, "kind": tensor.kind}
    shape = None if tensor.shape is None else list(tensor.shape)
    return {"name": tensor.name, "kind": "tensor", "type": tensor.type_name, "shape": shape}


def format_report(report: dict[str, Any]) -> str:
    lines = [
        f"{report['file']}: {_size(report['size'])}, made by {report['producer'] or 'unknown'}",
        "opsets: " + ", ".join(f"{domain} {version}" for domain, version in report["opsets"].items()),
    ]
    lines += [f"metadata: {key} = {_shortened(value)}" for key, value in report["metadata_props"].items()]
    for section in ("inputs", "outputs"):
        lines.append(f"{section}:")
        lines += [f"  {_describe(t)}" for t in report[section]]
    lines += [f"rewritten for the browser: {text}" for text in report["rewrites"]]
    if report["runs_in_browser"]:
        after = " after the rewrites above" if report["rewrites"] else ""
        lines.append(f"verdict: runs in the browser{after}")
    else:
        lines.append("verdict: cannot run in the browser as it is:")
        lines += [f"  - {problem}" for problem in report["problems"]]
    return "\n".join(lines)


def _describe(tensor: dict[str, Any]) -> str:
    if tensor["kind"] != "tensor":
        return f"{tensor['name']}: {tensor['kind']}"
    shape = "unknown shape" if tensor["shape"] is None else _shape(tensor["shape"])
    return f"{tensor['name']}: {tensor['type']} {shape}"


def _shape(shape: list[int | str | None]) -> str:
    return "[" + ", ".join("?" if d is None else str(d) for d in shape) + "]"


def _shortened(value: str) -> str:
    """A metadata value on one line: its line breaks written `\\n`, and past SHOWN_CHARACTERS
    its start and its length (`--json` gives it whole)."""
    shown = value[:SHOWN_CHARACTERS].replace("\n", "\\n")
    return shown if len(value) <= SHOWN_CHARACTERS else f"{shown}… ({len(value):,} characters)"


def _size(size: int) -> str:
    return f"{size / 1e6:.1f} MB" if size >= 1e6 else f"{size / 1e3:.1f} KB"
