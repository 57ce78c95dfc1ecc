"""Which picture inputs the page prepares in onnxruntime-web, and where their graphs sit.

A picture that fills a tensor of fixed dims, a model input's or a form field's, is resized
and normalised by a small ONNX graph the generator compiles from its `image:` options
(shipyard/model/picture_graph.py) and the page runs (templates/picture_prep.mjs). Python
gets the tensor as the form's value, and a preprocess hook sees it as it saw the values
Python made (`hooks.hook_inputs`). Free sides are sized per picture by `ImageSpec.sized`:
those pictures keep the Python path.
"""

from __future__ import annotations

from .spec import AppSpec, InputSpec

FOLDER = "pictures"  # the graphs' folder in the site


def prepares(spec: InputSpec) -> bool:
    """Whether a graph can make this input's tensor from a picture."""
    return spec.image is not None and not spec.free


def picture_files(app: AppSpec) -> dict[str, str]:
    """The graph of each form input the page prepares, by key: `pictures/<n>.onnx`, n the
    input's place in the form (a key may hold any character)."""
    return {spec.key: f"{FOLDER}/{n}.onnx" for n, spec in enumerate(app.form) if prepares(spec)}
