"""`shipyard inspect`: what a model is, and whether a browser can run it."""

from __future__ import annotations

from typing import Any

from shipyard.model.load import ModelInfo, TensorSignature
from shipyard.model.rewrite import Rewrite


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
    lines += [f"metadata: {key} = {value}" for key, value in report["metadata_props"].items()]
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


def _size(size: int) -> str:
    return f"{size / 1e6:.1f} MB" if size >= 1e6 else f"{size / 1e3:.1f} KB"
