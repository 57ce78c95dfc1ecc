"""The user's metadata over the inferred one, checked against the model: one AppSpec.

A metadata file may give only some fields; the model supplies the rest. What it
does give must agree with the model, and every problem is reported at once.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

from shipyard.errors import MetadataError
from shipyard.model.load import Signature, TensorSignature
from shipyard_runtime.problems import Problem, SpecError
from shipyard_runtime.spec import AppSpec

SECTIONS = ("inputs", "outputs")
# A file's entry that says which values an input takes also says where it starts: the
# default inferred for a state (zeros) gives way to it rather than breaking its rules.
VALUE_RULES = ("default", "min", "max", "choices", "widget", "image")


def merge(inferred: dict[str, Any], given: dict[str, Any]) -> dict[str, Any]:
    """`given` over `inferred`: top-level keys replace; tensor entries merge field by field.

    Tensor entries follow the model's order; keys the model lacks are kept, so
    that checking can name them.
    """
    merged = inferred | {k: v for k, v in given.items() if k not in SECTIONS}
    for section in SECTIONS:
        mine = given.get(section)
        if not isinstance(mine, dict):
            merged[section] = inferred[section] if mine is None else mine
            continue
        base = inferred[section]
        keys = [*base, *(k for k in mine if k not in base)]
        merged[section] = {key: _merge_entry(base.get(key), mine.get(key)) for key in keys}
    return merged


def _merge_entry(inferred: object, given: object) -> object:
    if isinstance(inferred, dict) and isinstance(given, dict):
        if any(key in given for key in VALUE_RULES):
            inferred = {key: value for key, value in inferred.items() if key != "default"}
        return inferred | given
    return inferred if given is None else given


def reconcile(inferred: dict[str, Any], given: dict[str, Any], signature: Signature, file: Path) -> AppSpec:
    """The app spec, or a MetadataError naming `file`, each key and each reason."""
    problems = _disagreements(given, signature)
    try:
        app = AppSpec.from_dict(merge(inferred, given))
    except SpecError as error:
        problems = error.problems + problems
        app = None
    if problems or app is None:
        raise MetadataError(problems, file=file)
    return app


def _disagreements(given: dict[str, Any], signature: Signature) -> list[Problem]:
    """Where the user's own entries contradict the model."""
    problems: list[Problem] = []
    for section, tensors in (("inputs", signature.inputs), ("outputs", signature.outputs)):
        entries = given.get(section)
        if not isinstance(entries, dict):
            continue
        by_name = {t.name: t for t in tensors}
        for key, entry in entries.items():
            real = by_name.get(str(key))
            if real is None:
                close = difflib.get_close_matches(str(key), list(by_name), n=1)
                hint = f"did you mean {close[0]!r}? " if close else ""
                names = ", ".join(by_name) or "none"
                problems.append(
                    Problem(f"{section}.{key}", f"not in the model ({hint}its {section}: {names})")
                )
            elif isinstance(entry, dict):
                problems += [Problem(f"{section}.{key}.{k}", r) for k, r in _compare(entry, real)]
        if section == "inputs" and not given.get("python"):  # a preprocess makes the inputs
            missing = [t.name for t in tensors if t.name not in entries]
            problems += [
                Problem("inputs", f"the model's input {name!r} is missing (add `{name}: {{}}` to infer it)")
                for name in missing
            ]
    return problems


def _compare(entry: dict[str, Any], real: TensorSignature) -> list[Problem]:
    problems = []
    if "type" in entry and entry["type"] != real.type_name:
        problems.append(Problem("type", f"{entry['type']}, but the model says {real.type_name}"))
    shape = entry.get("shape")
    if isinstance(shape, list) and real.shape is not None:
        if len(shape) != len(real.shape):
            problems.append(Problem("shape", f"rank {len(shape)}, but the model's is {len(real.shape)}"))
        else:
            problems += [
                Problem(
                    f"shape[{i}]", f"{'null' if mine is None else mine}, but the model fixes it at {theirs}"
                )
                for i, (mine, theirs) in enumerate(zip(shape, real.shape, strict=True))
                if isinstance(theirs, int) and mine != theirs
            ]
    return problems
