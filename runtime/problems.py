"""Problems found while reading a metadata document, gathered so all are reported at once."""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a metadata document, at a dotted key such as `inputs.x.min`."""

    key: str
    reason: str

    def __str__(self) -> str:
        return f"{self.key}: {self.reason}" if self.key else self.reason


class SpecError(ValueError):
    """The metadata does not describe a valid app; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(map(str, problems)))
        self.problems = problems


class Collector:
    """Gathers problems while a document is read, so that all are reported at once."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, key: str, reason: str) -> None:
        self.problems.append(Problem(key, reason))

    def unknown_keys(self, data: Mapping[str, Any], allowed: tuple[str, ...], where: str) -> None:
        for key in data:
            if key not in allowed:
                self.add(_join(where, str(key)), "unknown field" + suggest(str(key), allowed))

    def mapping(self, value: object, key: str) -> Mapping[str, Any]:
        if isinstance(value, Mapping):
            return value
        self.add(key, f"expected a mapping, got {describe(value)}")
        return {}

    def text(self, value: object, key: str, required: bool = False) -> str | None:
        if value is None and not required:
            return None
        if isinstance(value, str) and (value.strip() or not required):
            return value
        self.add(key, "is required" if value is None else f"expected text, got {describe(value)}")
        return None

    def number(self, value: object, key: str) -> float | None:
        if value is None:
            return None
        if isinstance(value, str):  # YAML 1.1 reads `1e-3` as text
            try:
                value = float(value)
            except ValueError:
                pass
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            self.add(key, f"expected a number, got {describe(value)}")
            return None
        return value

    def raise_if_any(self) -> None:
        if self.problems:
            raise SpecError(self.problems)


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def describe(value: object) -> str:
    if value is None:
        return "nothing"
    return {dict: "a mapping", list: "a list", str: "text", bool: "a boolean"}.get(
        type(value), f"{type(value).__name__} {value!r}"
    )


def suggest(word: str, choices: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(word, choices, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""
