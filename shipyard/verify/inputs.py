"""Which inputs `shipyard verify` tries: the defaults, every example, and random values
each input accepts; and how they travel to the page.

Nothing here touches a browser, numpy or onnxruntime, so it is unit-tested on plain data.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from shipyard_runtime.dims import Shaped, as_row
from shipyard_runtime.dtypes import Value
from shipyard_runtime.images import Pixels
from shipyard_runtime.spec import AppSpec, InputSpec
from shipyard_runtime.values import image_row

# Random text is made of these words and the words of the input's default and examples.
WORDS = ("good", "bad", "great", "boring", "not", "very", "film", "story", "the", "a", "café", "naïve", "42")
# Half-widths of the range tried when the metadata sets no min or max.
FLOAT_SPAN = 10.0
INT_SPAN = 100

Values = dict[str, Sequence[Value]]


@dataclass(frozen=True)
class InputSet:
    label: str  # how the report names it: "defaults", "example 2", "random 5"
    values: Values


def input_sets(app: AppSpec, samples: int, seed: int) -> list[InputSet]:
    """The defaults (when every input has one), every example, then `samples` random sets."""
    sets = []
    if all(spec.default is not None for spec in app.form):
        sets.append(InputSet("defaults", {s.key: as_row(s.default or ()) for s in app.form}))
    for i, example in enumerate(app.examples, start=1):
        sets.append(InputSet(f"example {i}", {key: as_row(row) for key, row in example.items()}))
    rng = random.Random(seed)
    words = {spec.key: _words(spec, app) for spec in app.form}
    for i in range(1, samples + 1):
        values = {spec.key: random_row(spec, rng, words[spec.key]) for spec in app.form}
        sets.append(InputSet(f"random {i}", values))
    return sets


def random_row(spec: InputSpec, rng: random.Random, words: tuple[str, ...] = WORDS) -> Sequence[Value]:
    """A row the input accepts: values within min..max, of its type, in the dims of a
    made-up input (`probe_dims`) when a value sets some."""
    if spec.image is not None:  # a picture of random colours, at the input's own size
        _, height, width = spec.image.geometry(spec.probe_dims)
        return image_row(spec, random_picture(rng, width, height))
    dims = spec.probe_dims
    return spec.shaped(_random_values(spec, rng, words, math.prod(dims)), dims)


def _random_values(spec: InputSpec, rng: random.Random, words: tuple[str, ...], size: int) -> list[Value]:
    kind = spec.dtype.kind
    if spec.choices is not None:
        return [rng.choice(spec.choices)[1] for _ in range(size)]
    if kind == "bool":
        return [rng.random() < 0.5 for _ in range(size)]
    if kind == "string":
        return [" ".join(rng.choices(words, k=rng.randint(1, 6))) for _ in range(size)]
    low, high = value_range(spec)
    if kind == "int":
        first, last = math.ceil(low), math.floor(high)
        return [rng.randint(first, max(first, last)) for _ in range(size)]
    return [rng.uniform(low, high) for _ in range(size)]


def random_picture(rng: random.Random, width: int, height: int) -> Pixels:
    """Opaque pixels of random colours."""
    rgba = bytearray(rng.randbytes(width * height * 4))
    rgba[3::4] = b"\xff" * (width * height)
    return Pixels(width, height, bytes(rgba))


def value_range(spec: InputSpec) -> tuple[float, float]:
    """min..max; a missing bound is a span from the other one, or around the default (or 0)."""
    span = INT_SPAN if spec.dtype.kind == "int" else FLOAT_SPAN
    low, high = spec.minimum, spec.maximum
    if low is None and high is None:
        numbers = [float(v) for v in spec.default or () if not isinstance(v, str)]
        centre = sum(numbers) / len(numbers) if numbers else 0.0
        low, high = centre - span, centre + span
    elif low is None:
        low = high - 2 * span  # type: ignore[operator]
    elif high is None:
        high = low + 2 * span
    assert low is not None and high is not None
    if spec.dtype.low is not None and spec.dtype.high is not None:  # ints: what the type holds
        low, high = max(low, spec.dtype.low), min(high, spec.dtype.high)
    return low, high


def _words(spec: InputSpec, app: AppSpec) -> tuple[str, ...]:
    given = [*(spec.default or ()), *(v for example in app.examples for v in example.get(spec.key, ()))]
    found = [word for text in given if isinstance(text, str) for word in text.split()]
    return tuple(dict.fromkeys([*WORDS, *found]))


def to_page(app: AppSpec, values: Values) -> dict[str, Any]:
    """Values for `window.shipyard.predict`: 64-bit integers go as text, which JS numbers
    would round past 2**53 and the page reads back exactly; a row that sets free dimensions
    goes as a tensor `{dims, data}`."""
    wide = {spec.key for spec in app.form if spec.dtype.name in ("int64", "uint64")}
    page: dict[str, Any] = {}
    for key, row in values.items():
        data = [str(v) for v in row] if key in wide else list(row)
        page[key] = {"dims": list(row.dims), "data": data} if isinstance(row, Shaped) else data
    return page
