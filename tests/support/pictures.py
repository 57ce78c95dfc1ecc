"""Picture inputs of every `image:` option and pictures of many sizes, for the checks that the
page's picture graph (shipyard/model/picture_graph.py) gives the Python path's tensor."""

from __future__ import annotations

from typing import Any

from examples.samples import digit_picture, noise

# (type, shape, image options): colour and gray, NCHW and NHWC, stretched and cropped,
# per-channel and single normalisation, float and integer types, rank 2 to 4.
OPTIONS: list[tuple[str, list[int], dict[str, Any]]] = [
    ("float32", [1, 3, 8, 8], {}),
    ("float32", [1, 3, 7, 11], {"fit": "crop", "color": "BGR", "mean": [0.4, 0.5, 0.6], "std": [2, 3, 1]}),
    ("float32", [1, 5, 9, 3], {"layout": "NHWC", "scale": 1.0, "mean": 10, "std": 3}),
    ("float32", [1, 1, 6, 13], {"fit": "crop"}),
    ("float32", [8, 8], {"color": "gray", "scale": 2.5}),
    ("float64", [1, 12, 4, 1], {"layout": "NHWC", "fit": "crop", "color": "gray"}),
    ("uint8", [1, 3, 5, 5], {"scale": 1.0}),
    ("int64", [1, 3, 16, 10], {"scale": 1.0, "mean": 100, "fit": "crop"}),
]
# Wider, taller, square, one pixel, transparent, and a drawing.
PICTURES = [
    noise(9, 5, seed=1),
    noise(1, 1, seed=2),
    noise(3, 40, seed=3),
    noise(64, 48, seed=4, opaque=False),
    noise(5, 5, seed=5),
    digit_picture(3, scale=5, pad=3, paper=(250, 240, 200)),
]


def picture_inputs() -> dict[str, dict[str, Any]]:
    """The metadata's `inputs` for one picture input per entry of OPTIONS."""
    return {
        f"p{n}": {"type": type_, "shape": shape, "widget": "image", "image": image}
        for n, (type_, shape, image) in enumerate(OPTIONS)
    }
