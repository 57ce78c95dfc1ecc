"""Nested lists and row-major positions: how a tensor's elements are written and named."""

from __future__ import annotations


def nested_shape(value: object) -> tuple[int, ...] | None:
    """The shape of nested lists (`()` for a scalar), or None if they are ragged."""
    if not isinstance(value, list | tuple):
        return ()
    inner = {nested_shape(item) for item in value}
    if len(inner) > 1:
        return None
    rest = inner.pop() if inner else ()
    return None if rest is None else (len(value), *rest)


def flatten(value: object) -> list[object]:
    """Nested lists' elements in row-major (C) order."""
    if not isinstance(value, list | tuple):
        return [value]
    return [leaf for item in value for leaf in flatten(item)]


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
