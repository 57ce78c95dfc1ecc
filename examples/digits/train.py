"""Handwritten digits: a small convolutional network, trained in numpy.

scikit-learn's bundled digits (1,797 images of 8×8 pixels, values 0 to 16),
three quarters to train on and a quarter held out. The network, written here
with its gradients by hand (no deep-learning framework is needed), is

    Conv 8 filters 3×3, pad 1 → Relu → MaxPool 2×2 → Flatten (128) → Gemm (10) → Softmax

trained by minibatch SGD with momentum on the cross-entropy, from seeded
weights in a seeded order, so every run gives the same model. It is exported
with ``onnx.helper`` to ``model.onnx`` next to this script. Input: ``image``,
float32 [batch, 1, 8, 8], pixel values 0 to 1 (the dataset's divided by 16);
output: ``probabilities``, float32 [batch, 10], for the digits 0 to 9.

    python examples/digits/train.py [OUTPUT]
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import onnx
from onnx import helper, numpy_helper
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

OUT = Path(__file__).resolve().parent / "model.onnx"
SEED = 0
FILTERS = 8
CLASSES = 10
EPOCHS = 12
BATCH = 32
LEARNING_RATE = 0.05
MOMENTUM = 0.9


def load() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Train and held-out images ([N, 1, 8, 8], 0 to 1) and their digits, split reproducibly."""
    digits = load_digits()
    images = (digits.images / 16.0)[:, None, :, :]
    return train_test_split(images, digits.target, test_size=0.25, random_state=SEED, stratify=digits.target)


# The weights by ONNX initializer name, laid out as Conv and Gemm (transB=1) take them:
# conv_w [FILTERS, 1, 3, 3], conv_b [FILTERS], dense_w [CLASSES, FILTERS * 4 * 4], dense_b [CLASSES].
Params = dict[str, np.ndarray]


def initial(rng: np.random.Generator) -> Params:
    """He-initialised weights, zero biases."""
    return {
        "conv_w": rng.normal(0, np.sqrt(2 / 9), (FILTERS, 1, 3, 3)),
        "conv_b": np.zeros(FILTERS),
        "dense_w": rng.normal(0, np.sqrt(2 / (FILTERS * 16)), (CLASSES, FILTERS * 16)),
        "dense_b": np.zeros(CLASSES),
    }


def patches(images: np.ndarray) -> np.ndarray:
    """[N, 1, 8, 8] → [N, 8, 8, 9]: each pixel's 3×3 neighbourhood (zero padded), row by row."""
    padded = np.pad(images[:, 0], ((0, 0), (1, 1), (1, 1)))
    return np.stack([padded[:, i : i + 8, j : j + 8] for i in range(3) for j in range(3)], axis=-1)


def windows(x: np.ndarray) -> np.ndarray:
    """[N, 8, 8, F] → [N, 4, 4, F, 4]: the 2×2 pooling windows, each flattened row by row."""
    return x.reshape(-1, 4, 2, 4, 2, FILTERS).transpose(0, 1, 3, 5, 2, 4).reshape(-1, 4, 4, FILTERS, 4)


def unwindows(x: np.ndarray) -> np.ndarray:
    """The inverse of `windows`."""
    return x.reshape(-1, 4, 4, FILTERS, 2, 2).transpose(0, 1, 4, 2, 5, 3).reshape(-1, 8, 8, FILTERS)


def layers(p: Params, images: np.ndarray) -> dict[str, np.ndarray]:
    """Every intermediate of the forward pass, channels last until Flatten (which is channels first)."""
    cols = patches(images)
    conv = cols @ p["conv_w"].reshape(FILTERS, 9).T + p["conv_b"]  # [N, 8, 8, F]
    relu = np.maximum(conv, 0)
    pooled = windows(relu).max(axis=-1)  # [N, 4, 4, F]
    flat = pooled.transpose(0, 3, 1, 2).reshape(len(images), -1)  # ONNX's order: f, y, x
    logits = flat @ p["dense_w"].T + p["dense_b"]
    exp = np.exp(logits - logits.max(axis=1, keepdims=True))
    probabilities = exp / exp.sum(axis=1, keepdims=True)
    return {
        "cols": cols,
        "conv": conv,
        "relu": relu,
        "flat": flat,
        "probabilities": probabilities,
    }


def forward(p: Params, images: np.ndarray) -> np.ndarray:
    """Class probabilities [N, 10]: what model.onnx computes."""
    return layers(p, images)["probabilities"]


def gradients(p: Params, images: np.ndarray, digits: np.ndarray) -> Params:
    """The gradient of the mean cross-entropy with respect to each weight."""
    a = layers(p, images)
    n = len(images)
    d_logits = a["probabilities"].copy()
    d_logits[np.arange(n), digits] -= 1
    d_logits /= n
    d_flat = d_logits @ p["dense_w"]
    d_pooled = d_flat.reshape(n, FILTERS, 4, 4).transpose(0, 2, 3, 1)
    # Max pooling passes each window's gradient to its largest value (the first, on a tie).
    first_max = np.eye(4)[windows(a["relu"]).argmax(axis=-1)]  # [n, 4, 4, F, 4], one-hot
    d_relu = unwindows(first_max * d_pooled[..., None])
    d_conv = d_relu * (a["conv"] > 0)
    return {
        "conv_w": np.einsum("nyxk,nyxf->fk", a["cols"], d_conv).reshape(FILTERS, 1, 3, 3),
        "conv_b": d_conv.sum(axis=(0, 1, 2)),
        "dense_w": d_logits.T @ a["flat"],
        "dense_b": d_logits.sum(axis=0),
    }


def train(images: np.ndarray, digits: np.ndarray) -> Params:
    """Minibatch SGD with momentum, in a seeded order."""
    rng = np.random.default_rng(SEED)
    p = initial(rng)
    velocity = {name: np.zeros_like(w) for name, w in p.items()}
    for _ in range(EPOCHS):
        order = rng.permutation(len(images))
        for start in range(0, len(order), BATCH):
            batch = order[start : start + BATCH]
            grad = gradients(p, images[batch], digits[batch])
            for name in p:
                velocity[name] = MOMENTUM * velocity[name] - LEARNING_RATE * grad[name]
                p[name] = p[name] + velocity[name]
    return p


def accuracy(p: Params, images: np.ndarray, digits: np.ndarray) -> float:
    return float((forward(p, images).argmax(axis=1) == digits).mean())


def to_onnx(p: Params) -> onnx.ModelProto:
    """The network as an ONNX graph (opset 17, IR 8): float32 weights, a dynamic batch."""
    nodes = [
        helper.make_node("Conv", ["image", "conv_w", "conv_b"], ["conv"], kernel_shape=[3, 3], pads=[1] * 4),
        helper.make_node("Relu", ["conv"], ["relu"]),
        helper.make_node("MaxPool", ["relu"], ["pooled"], kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Flatten", ["pooled"], ["flat"]),
        helper.make_node("Gemm", ["flat", "dense_w", "dense_b"], ["logits"], transB=1),
        helper.make_node("Softmax", ["logits"], ["probabilities"]),
    ]
    graph = helper.make_graph(
        nodes,
        "digits",
        [helper.make_tensor_value_info("image", onnx.TensorProto.FLOAT, ["batch", 1, 8, 8])],
        [helper.make_tensor_value_info("probabilities", onnx.TensorProto.FLOAT, ["batch", CLASSES])],
        [numpy_helper.from_array(w.astype(np.float32), name) for name, w in p.items()],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)
    helper.set_model_props(model, {"name": "Handwritten digits", "description": "A small CNN on 8×8 digits"})
    onnx.checker.check_model(model, full_check=True)
    return model


def main(out: Path = OUT) -> None:
    train_images, test_images, train_digits, test_digits = load()
    params = train(train_images, train_digits)
    print(f"train accuracy: {accuracy(params, train_images, train_digits):.3f}")
    print(f"held-out accuracy: {accuracy(params, test_images, test_digits):.3f}")
    out.write_bytes(to_onnx(params).SerializeToString())
    print(f"wrote {out} ({out.stat().st_size} bytes)")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
