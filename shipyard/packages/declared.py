"""What the app's Python module needs: `requirements:` in the metadata, or a requirements file.

The metadata entry is a list of PEP 508 requirements (`humanize==4.9.0`,
`attrs`) or the path of a requirements file relative to the metadata file;
`--requirements FILE` overrides it. A requirements file holds one requirement
per line, with comments and blank lines. pip's options (`-r`, `--index-url`, ...)
are refused: shipyard resolves for the browser, and the index comes from pip's
own configuration.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement

from shipyard.errors import MetadataError, Problem, RequirementError, os_reason

KEY = "requirements"
_COMMENT = re.compile(r"(^|\s)#.*$")


@dataclass(frozen=True)
class Declared:
    """Requirements and where they were declared, so that an error can point there."""

    requirements: tuple[Requirement, ...]
    file: Path | str
    key: str | None  # "requirements" in a metadata file; None in a requirements file

    def error(self, problems: list[Problem], fix: str = "") -> RequirementError:
        return RequirementError(problems, file=self.file, key=self.key, fix=fix)


def declared_requirements(given: dict[str, Any], metadata: Path | None, option: Path | None) -> Declared:
    """`--requirements` wins; a file named in the metadata is relative to the metadata file."""
    if option is not None:
        return read_requirements_file(option)
    entry = given.get(KEY)
    where = metadata or "metadata"
    if entry is None:
        return Declared((), where, KEY)
    if isinstance(entry, str) and entry.strip():
        return read_requirements_file((metadata.parent if metadata else Path.cwd()) / entry)
    if isinstance(entry, list):
        return Declared(_parse_list(entry, where), where, KEY)
    reason = "expected a list of requirements (such as `humanize==4.9.0`) or the path of a requirements file"
    raise MetadataError([Problem(KEY, reason)], file=where)


def _parse_list(entries: list[object], where: Path | str) -> tuple[Requirement, ...]:
    requirements, problems = _sort(
        (
            f"{KEY}[{i}]",
            parse_requirement(entry)
            if isinstance(entry, str)
            else f"expected a requirement such as `humanize==4.9.0`, got {entry!r}",
        )
        for i, entry in enumerate(entries)
    )
    if problems:
        raise MetadataError(problems, file=where)
    return requirements


def _sort(
    parsed: Iterable[tuple[str, Requirement | str]],
) -> tuple[tuple[Requirement, ...], list[Problem]]:
    """Parsed entries, each at its key: the requirements, and the problems (a str is one)."""
    requirements: list[Requirement] = []
    problems: list[Problem] = []
    for key, result in parsed:
        if isinstance(result, str):
            problems.append(Problem(key, result))
        else:
            requirements.append(result)
    return tuple(requirements), problems


def read_requirements_file(path: Path) -> Declared:
    """The requirements in `path`, one per line; every bad line is reported at once."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise RequirementError(f"cannot read the requirements file ({os_reason(error)})", file=path) from None
    lines = [(n, _COMMENT.sub("", line).strip()) for n, line in enumerate(text.splitlines(), start=1)]
    requirements, problems = _sort((f"line {n}", _parse_line(line)) for n, line in lines if line)
    if problems:
        raise RequirementError(problems, file=path)
    return Declared(requirements, path, None)


def _parse_line(line: str) -> Requirement | str:
    if line.startswith("-"):
        option = line.split()[0].split("=")[0]
        return (
            f"pip options such as `{option}` are not supported: list one requirement per line "
            "(the package index comes from pip's configuration)"
        )
    return parse_requirement(line)


def parse_requirement(text: str) -> Requirement | str:
    """The requirement, or why it is not one shipyard can resolve."""
    try:
        requirement = Requirement(text)
    except InvalidRequirement as error:
        return f"invalid requirement {text!r}: {str(error).splitlines()[0]}"
    if requirement.url:
        return f"{text!r}: direct references (`name @ URL`) are not supported; give a name and a version"
    return requirement
