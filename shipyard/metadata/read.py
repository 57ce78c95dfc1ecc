"""Metadata files (modelship's YAML layout) read into the runtime's `AppSpec`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from shipyard.errors import MetadataError, os_reason
from shipyard_runtime.problems import Problem, SpecError
from shipyard_runtime.spec import AppSpec

# Keys only the generator reads; the page's AppSpec never sees them.
BUILD_KEYS = ("requirements",)


def load_metadata(path: Path) -> AppSpec:
    """Read and check a complete metadata file; every problem in it is reported at once."""
    try:
        return AppSpec.from_dict(app_document(load_document(path)))
    except SpecError as error:
        raise MetadataError(error.problems, file=path) from None


def load_document(path: Path) -> dict[str, Any]:
    """The YAML mapping in `path`, or a MetadataError naming the line of a syntax error."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise MetadataError(f"cannot read the file ({os_reason(error)})", file=path) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise MetadataError([_yaml_problem(error)], file=path) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise MetadataError(f"expected a mapping of metadata keys, got {type(data).__name__}", file=path)
    return data


def app_document(document: dict[str, Any]) -> dict[str, Any]:
    """`document` without its build-time keys: what the browser's AppSpec reads."""
    return {key: value for key, value in document.items() if key not in BUILD_KEYS}


def _yaml_problem(error: yaml.YAMLError) -> Problem:
    mark = getattr(error, "problem_mark", None)
    where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
    problem = getattr(error, "problem", None) or str(error)
    return Problem(where, f"invalid YAML: {problem}")
