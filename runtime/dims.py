"""Which sizes a tensor's dynamic dimensions take in one submission.

A dimension of a model input is fixed (a size), or dynamic (`null`, a name, or `-1` in the
model). A dynamic one is either:

- a **batch** dimension: one whose name holds "batch" (`batch`, `batch_size`), wherever it
  is (a recurrent state `[2, batch, 128]`, a sequence first `[sequence, batch, 3]`), and
  the first dimension when it has no name; when no input names one so, the first
  dimension, and any named like it. A submission is one
  row, so it is 1 unless the value gives all its dimensions (nested lists of the tensor's
  whole rank, or a tensor `{dims, data}`); a CSV file stacks rows along the first;
- a **free** dimension: any other (a sequence's length, a picture's height and width).
  The value sets it: the shape of nested lists, the `dims` of an explicit tensor, the
  number of values in a flat list when it is the only free one, a picture's own size.

A name used twice in one tensor (`[batch, n, n]`) takes one size. The metadata may bound a
free dimension (`{name: sequence, min: 1, max: 512}` in place of its name).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from typing import overload

from .dtypes import Value, ValueProblem

Dim = int | str | None
# A free dimension's bounds: (axis, least, greatest or None).
Limit = tuple[int, int, int | None]


class Shaped(Sequence[Value]):
    """A checked row of an input with free dimensions: its values, row-major, and the dims
    they fill. It reads as its values, so that it goes wherever a row goes."""

    def __init__(self, data: Sequence[Value], dims: tuple[int, ...]) -> None:
        self.data = data  # a list, an `array.array` or a ForeignArray (see values.py)
        self.dims = dims

    def __len__(self) -> int:
        return len(self.data)

    @overload
    def __getitem__(self, index: int) -> Value: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Value]: ...
    def __getitem__(self, index: int | slice) -> Value | Sequence[Value]:
        return self.data[index]

    def __iter__(self) -> Iterator[Value]:
        return iter(self.data)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Shaped) and self.dims == other.dims and list(self.data) == list(other.data)

    def __hash__(self) -> int:
        return hash((self.dims, tuple(self.data)))

    def __repr__(self) -> str:
        return f"Shaped({list(self.data)!r}, dims={self.dims})"


def is_dynamic(dim: Dim) -> bool:
    return not isinstance(dim, int)


# Marks the names of batch dimensions, and says the first dimension is not one by position.
BY_NAME = "*"


def batch_names(shapes: Sequence[Sequence[Dim]]) -> frozenset[str]:
    """The names that mark a batch dimension: those holding "batch" (with BY_NAME), or else
    the names of the inputs' first dimensions."""
    named = {d for shape in shapes for d in shape if isinstance(d, str) and "batch" in d.lower()}
    if named:
        return frozenset(named | {BY_NAME})
    return frozenset(shape[0] for shape in shapes if shape and isinstance(shape[0], str))


def batch_axes(shape: Sequence[Dim], batch: frozenset[str]) -> tuple[int, ...]:
    """The dynamic dimensions that are the batch (see the module's docstring)."""
    by_position = bool(shape) and (shape[0] is None or (is_dynamic(shape[0]) and BY_NAME not in batch))
    first = (0,) if by_position else ()
    return tuple(sorted({*first, *(i for i, dim in enumerate(shape) if _named(dim, batch))}))


def free_axes(shape: Sequence[Dim], batch: frozenset[str]) -> tuple[int, ...]:
    """The dynamic dimensions a value sizes: all but the batch ones."""
    batches = batch_axes(shape, batch)
    return tuple(i for i, dim in enumerate(shape) if is_dynamic(dim) and i not in batches)


def _named(dim: Dim, names: frozenset[str]) -> bool:
    return isinstance(dim, str) and dim in names


def pattern(shape: Sequence[Dim], free: Sequence[int], rank: int | None = None) -> str:
    """A shape as messages show it: `[1, ?, 3]`, a free dimension by its name or `?`; its
    leading sizes of 1 dropped down to `rank` dimensions (or down to one, without a rank)."""
    parts = [
        (str(dim) if isinstance(dim, str) else "?") if i in free else str(_submitted(dim))
        for i, dim in enumerate(shape)
    ]
    least = len(parts) - rank if rank is not None and rank <= len(parts) else len(parts) - 1
    start = 0
    while start < least and parts[start] == "1":
        start += 1
    return "[" + ", ".join(parts[start:]) + "]"


def fit(
    shape: Sequence[Dim], free: Sequence[int], given: Sequence[int], limits: Sequence[Limit] = ()
) -> tuple[int, ...]:
    """The dims of a value whose own shape is `given` (nested lists, or an explicit tensor's
    dims); leading dimensions of size 1 (the batch) may be left out, and given whole, a
    batch dimension takes any size. ValueProblem if it does not fit."""
    missing = len(shape) - len(given)
    dims = (1,) * missing + tuple(int(d) for d in given)
    leading = missing >= 0 and all(i not in free and _submitted(shape[i]) == 1 for i in range(missing))
    sized = free if missing else tuple(i for i, dim in enumerate(shape) if is_dynamic(dim))
    if not (leading and _sizes_fit(shape, sized, dims)):
        got = "[" + ", ".join(map(str, given)) + "]"
        raise ValueProblem(f"expected shape {pattern(shape, free, len(given))}, got {got}")
    return within(shape, limits, dims)


def within(shape: Sequence[Dim], limits: Sequence[Limit], dims: tuple[int, ...]) -> tuple[int, ...]:
    """`dims`, when each bounded free dimension is within its bounds; ValueProblem if not."""
    for axis, least, greatest in limits:
        size = dims[axis]
        name = shape[axis] if isinstance(shape[axis], str) else f"dimension {axis}"
        if size < least or (greatest is not None and size > greatest):
            bounds = f"{least} to {greatest}" if greatest is not None else f"at least {least}"
            raise ValueProblem(f"{name} takes {bounds}, got {size}")
    return dims


def _sizes_fit(shape: Sequence[Dim], free: Sequence[int], dims: tuple[int, ...]) -> bool:
    named: dict[str, int] = {}
    for i, (dim, size) in enumerate(zip(shape, dims, strict=True)):
        if i not in free:
            if size != _submitted(dim):
                return False
        elif size < 1 or (isinstance(dim, str) and named.setdefault(dim, size) != size):
            return False
    return True


def flat(
    shape: Sequence[Dim], free: Sequence[int], count: int, limits: Sequence[Limit] = ()
) -> tuple[int, ...]:
    """The dims of `count` values given as a flat list: the only free dimension takes what
    the others leave. ValueProblem when they do not divide, or several are free."""
    dims = [_submitted(dim) for dim in shape]
    if not free:
        return tuple(dims)
    if len(free) > 1:
        raise ValueProblem(
            f"shape {pattern(shape, free)} has {len(free)} free dimensions: give nested lists, "
            "or a tensor {dims, data}"
        )
    rest = math.prod(d for i, d in enumerate(dims) if i != free[0])
    if count == 0 or count % rest:
        unit = "value" if rest == 1 else f"multiple of {rest} values"
        raise ValueProblem(f"expected a {unit} (shape {pattern(shape, free)}), got {count}")
    dims[free[0]] = count // rest
    return within(shape, limits, tuple(dims))


def submission_dims(shape: Sequence[Dim]) -> tuple[int, ...]:
    """A shape's dimensions for one form submission, each dynamic one 1."""
    return tuple(_submitted(dim) for dim in shape)


def as_row(row: Sequence[Value]) -> Sequence[Value]:
    """A spec's row (a default, an example) as a submission holds it: a list, or the
    `Shaped` row itself, which carries its dims."""
    return row if isinstance(row, Shaped) else list(row)


def _submitted(dim: Dim) -> int:
    return dim if isinstance(dim, int) else 1
