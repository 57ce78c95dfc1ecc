"""What is wrong, and the one family of errors that carries it.

Every failure a user can act on, on either side, is a `ShipyardError`: a list of
`Problem`s (each a reason at a key, such as `inputs.x.min`, `line 3` or an input's
name), with the file it is about and a fix where one is known. The generator turns
one into a message at the command line's edge; the page shows it.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, ClassVar, NamedTuple


class Problem(NamedTuple):
    """One thing wrong, at a key such as `inputs.x.min` (or "" for the whole)."""

    key: str
    reason: str

    def __str__(self) -> str:
        return f"{self.key}: {self.reason}" if self.key else self.reason


class ShipyardError(Exception):
    """A failure the user can act on. Every error class takes the same arguments: what is
    wrong (one reason, or a list of problems), then `file`, `key` and `fix` by keyword.

    The message names the file and key, then the problems: one on the same line with the
    fix after it, several one per line under `headline` (by default, how many there are).
    A class whose message is a one-line report instead (the page shows some of these)
    sets `separator`, which joins the problems.
    """

    headline: ClassVar[str] = ""
    separator: ClassVar[str | None] = None

    def __init__(
        self,
        problems: str | Sequence[Problem],
        *,
        file: Path | str | None = None,
        key: str | None = None,
        fix: str = "",
    ) -> None:
        self.problems = [Problem("", problems)] if isinstance(problems, str) else list(problems)
        self.file, self.key, self.fix = file, key, fix
        super().__init__(self.problems)

    def __str__(self) -> str:
        where = ": ".join(str(part) for part in (self.file, self.key) if part)
        return f"{where}: {self._body()}" if where else self._body()

    def _body(self) -> str:
        lines = [str(problem) for problem in self.problems]
        if self.separator is not None:
            return self.separator.join(lines)
        if len(lines) == 1 and not self.headline:
            return lines[0] + (f"; {self.fix}" if self.fix else "")
        fix = [f"To fix: {self.fix}"] if self.fix else []
        return "\n  ".join([self.headline or f"{len(lines)} problems", *lines, *fix])


class SpecError(ShipyardError):
    """The metadata does not describe a valid app; carries every problem found."""

    separator = "; "


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
