"""Nested lists and row-major positions: how a tensor's elements are written and named."""

from __future__ import annotations

from itertools import chain
from typing import Any


def nested_shape(value: object) -> tuple[int, ...] | None:
    """The shape of nested lists (`()` for a scalar), or None if they are ragged."""
    shape: list[int] = []
    level: list[Any] = [value]
    while (lists := lists_among(level)) is not False:
        sizes = set(map(len, level)) if lists else set()
        if len(sizes) != 1:  # a mix of lists and scalars, or lists of different lengths
            return None
        shape.append(sizes.pop())
        level = list(chain.from_iterable(level))
    return tuple(shape)


def flatten(value: object) -> list[object]:
    """Nested lists' elements in row-major (C) order."""
    level: list[Any] = [value]
    while (lists := lists_among(level)) is not False:
        if lists:
            level = list(chain.from_iterable(level))
        else:  # lists and scalars side by side: only the lists open
            level = [leaf for item in level for leaf in (item if isinstance(item, list | tuple) else (item,))]
    return level


def lists_among(items: list[Any] | tuple[Any, ...]) -> bool | None:
    """Whether the items are all lists (or tuples), none of them, or (None) a mix: asked of
    their types, so that many leaves cost no Python-level loop."""
    kinds = {issubclass(kind, list | tuple) for kind in set(map(type, items))}
    return None if len(kinds) > 1 else kinds == {True}


def nest(values: list[Any], dims: tuple[int, ...]) -> Any:
    """Row-major values as nested lists of `dims` (a rank-0 tensor's as a list of one)."""
    for size in reversed(dims[1:]):
        values = [values[i : i + size] for i in range(0, len(values), size)]
    return values


def unravel(i: int, shape: tuple[int, ...]) -> tuple[int, ...]:
    """The index in `shape` of the row-major position `i`."""
    index = []
    for size in reversed(shape):
        i, rest = divmod(i, size)
        index.append(rest)
    return tuple(reversed(index))


def format_index(index: tuple[int, ...]) -> str:
    """`[1, 0]`: an index or a shape as messages and labels show it."""
    return "[" + ", ".join(map(str, index)) + "]"
