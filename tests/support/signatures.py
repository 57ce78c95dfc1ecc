"""Random model signatures for hypothesis (`models.signature_model` writes them): inputs of
every type shipyard carries, rank 0 to 5, with fixed, named, unset and -1 dimensions, under
names as exporters write them, some of them a state's (see shipyard.model.infer)."""

from __future__ import annotations

from hypothesis import strategies as st

from shipyard_runtime.dtypes import DTYPES
from tests.support.models import Tensor

DIMS = st.integers(1, 4) | st.sampled_from(["batch", "sequence", "height", None, -1])
NAMES = [
    "x",
    "input.1",
    "input:0",
    "0",
    "null",
    "pixel_values",
    "input_ids",
    "h0",
    "state",
    "past_key_values.0.key",
]
Signature = tuple[list[Tensor], list[str]]  # the inputs, and the type of each one's output


def signatures(cast: bool) -> st.SearchStrategy[Signature]:
    """Inputs of every type and shape; each one's output is of its type, or with `cast` of
    any type (a Cast node)."""
    tensor = st.tuples(st.sampled_from(NAMES), st.sampled_from(list(DTYPES)), st.lists(DIMS, max_size=5))
    inputs = st.lists(tensor, min_size=1, max_size=4, unique_by=lambda t: t[0])
    if not cast:
        return inputs.map(lambda ins: (ins, [type_name for _, type_name, _ in ins]))
    types = st.sampled_from(list(DTYPES))
    return inputs.flatmap(
        lambda ins: st.tuples(st.just(ins), st.lists(types, min_size=len(ins), max_size=len(ins)))
    )
