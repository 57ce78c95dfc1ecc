"""Each example's committed model is what its train.py exports."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import onnxruntime as ort
import pytest
from sklearn.datasets import load_digits

from tests.support.sites import EXAMPLES, example_module

TEXTS = ["The team won the match.", "Rain and wind tonight.", "Bake the bread.", "A new app", ""]
TOKEN_IDS = [example_module("topics", "app.py").tokenise(text) for text in TEXTS]

SAMPLES = {
    "housing": {name: np.array([[1.5], [7.0], [12.0]], dtype=np.float32) for name in ("MedInc", "HouseAge")}
    | {"AveRooms": np.array([[2.0], [5.5], [9.0]], dtype=np.float32)}
    | {"Latitude": np.array([[33.0], [37.77], [41.5]], dtype=np.float32)},
    "sentiment": {"text": np.array([["a wonderful film"], ["a dull mess"], ["fine"]], dtype=object)},
    "diabetes": {"X": np.array([[50, 1, 25.9, 95, 90], [35, 2, 23.5, 85, 80]], dtype=np.float32)},
    "digits": {"image": (load_digits().images[:20, None] / 16).astype(np.float32)},
    "topics": {"token_ids": np.array(TOKEN_IDS, dtype=np.int64)},
}


def predict(model: Path, feeds: dict[str, np.ndarray]) -> list[np.ndarray]:
    return ort.InferenceSession(str(model), providers=["CPUExecutionProvider"]).run(None, feeds)


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_train_script_reproduces_the_committed_model(name: str, tmp_path: Path) -> None:
    script = EXAMPLES / name / "train.py"
    subprocess.run(
        [sys.executable, str(script), str(tmp_path / "model.onnx")], check=True, capture_output=True
    )
    fresh = predict(tmp_path / "model.onnx", SAMPLES[name])
    committed = predict(EXAMPLES / name / "model.onnx", SAMPLES[name])
    for got, want in zip(fresh, committed, strict=True):
        if got.dtype.kind == "f":
            np.testing.assert_allclose(got, want, rtol=1e-6)
        else:
            np.testing.assert_array_equal(got, want)
