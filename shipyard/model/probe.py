"""The inputs a model is tried on at build time: the metadata's defaults, or zeros where
there are none (the probe), and seeded random variations of it that a repair must also pass.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from shipyard.model.ort_node import NUMPY
from shipyard_runtime.dtypes import Value
from shipyard_runtime.spec import AppSpec, InputSpec

Feeds = dict[str, np.ndarray]
ZERO: dict[str, Value] = {"float": 0.0, "int": 0, "bool": False, "string": ""}
RANDOM_SETS = 3  # random variations a repair is compared on, besides the probe itself


def probe_feeds(app: AppSpec) -> Feeds:
    """One model input per `app.inputs` entry: its default, or zeros of its probe size."""
    return {spec.key: _probe(spec) for spec in app.inputs}


def _probe(spec: InputSpec) -> np.ndarray:
    if spec.default is not None:
        dims, values = spec.dims_of(spec.default), list(spec.default)
    else:
        dims = spec.probe_dims
        values = [ZERO[spec.dtype.kind]] * math.prod(dims)
    return np.array(values, dtype=NUMPY[spec.dtype.name]).reshape(dims)


def random_feeds(app: AppSpec, probe: Mapping[str, np.ndarray], seed: int = 0) -> list[Feeds]:
    """`RANDOM_SETS` variations of `probe`, the same on every build: each float input drawn
    within its min and max when it has both, else from a standard normal. Other inputs keep
    the probe's values, for integers are often indices and strings words that random ones
    would make invalid."""
    rng = np.random.default_rng(seed)
    sets = []
    for _ in range(RANDOM_SETS):
        feeds = dict(probe)
        for spec in app.inputs:
            if spec.dtype.kind == "float":
                feeds[spec.key] = _random(rng, spec, probe[spec.key].shape)
        sets.append(feeds)
    return sets


def _random(rng: np.random.Generator, spec: InputSpec, shape: tuple[int, ...]) -> np.ndarray:
    if spec.minimum is not None and spec.maximum is not None:
        values = rng.uniform(spec.minimum, spec.maximum, shape)
    else:
        values = rng.standard_normal(shape)
    return values.astype(NUMPY[spec.dtype.name])
