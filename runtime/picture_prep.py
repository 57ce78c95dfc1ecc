"""Which picture inputs the page prepares in onnxruntime-web, and where their graphs sit.

A picture that goes straight to the model (no `fields`, so no preprocess reads it) and
fills a tensor of fixed dims is resized and normalised by a small ONNX graph the generator
compiles from its `image:` options (shipyard/model/picture_graph.py) and the page runs
before the model (templates/picture_prep.mjs). Free sides are sized per picture by
`ImageSpec.sized`, and a preprocess hook gets the picture itself: both keep the Python path.
"""

from __future__ import annotations

from .spec import AppSpec, InputSpec

FOLDER = "pictures"  # the graphs' folder in the site


def prepares(spec: InputSpec) -> bool:
    """Whether a graph can make this input's tensor from a picture."""
    return spec.image is not None and not spec.free


def picture_files(app: AppSpec) -> dict[str, str]:
    """The graph of each input the page prepares, by input key: `pictures/<n>.onnx`, n the
    input's place among the model's inputs (a key may hold any character)."""
    if app.fields:
        return {}
    return {spec.key: f"{FOLDER}/{n}.onnx" for n, spec in enumerate(app.inputs) if prepares(spec)}
