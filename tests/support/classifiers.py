"""scikit-learn classifiers exported with default options (ZipMap and all), for tests."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from skl2onnx import to_onnx
from skl2onnx.common.data_types import FloatTensorType, StringTensorType
from sklearn.compose import ColumnTransformer
from sklearn.datasets import load_iris, load_wine
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.svm import SVC

SEED = 0


def logistic_binary(path: Path) -> Path:
    """Two classes (0/1) on two iris features: integer labels."""
    x, y = load_iris(return_X_y=True)
    x, y = x[y < 2][:, :2].astype(np.float32), y[y < 2]
    return _save(LogisticRegression().fit(x, y), x, path)


def forest_strings(path: Path) -> Path:
    """Three wine classes named by strings."""
    x, y = load_wine(return_X_y=True)
    names = np.array(["barolo", "grignolino", "barbera"])[y]
    forest = RandomForestClassifier(n_estimators=10, max_depth=4, random_state=SEED)
    return _save(forest.fit(x.astype(np.float32), names), x.astype(np.float32), path)


def svc_many_classes(path: Path) -> Path:
    """Twelve classes (more than the page shows at once), SVC with probabilities."""
    rng = np.random.default_rng(SEED)
    centres = rng.normal(0, 4, (12, 3))
    y = np.repeat(np.arange(12), 15)
    x = (centres[y] + rng.normal(0, 1, (len(y), 3))).astype(np.float32)
    return _save(SVC(probability=True, random_state=SEED).fit(x, y), x, path)


def pipeline_mixed(path: Path) -> Path:
    """A string column one-hot encoded plus two numeric columns: three inputs of two types."""
    rng = np.random.default_rng(SEED)
    colour = rng.choice(["red", "green", "blue"], 200)
    size = rng.normal(10, 3, 200)
    weight = rng.normal(5, 2, 200)
    y = np.where((colour == "red") | (size > 11), "yes", "no")
    columns = ColumnTransformer(
        [("colour", OneHotEncoder(handle_unknown="ignore"), [0]), ("numbers", StandardScaler(), [1, 2])]
    )
    model = Pipeline([("columns", columns), ("clf", LogisticRegression())])
    table = np.column_stack([colour, size, weight]).astype(object)
    model.fit(table, y)
    types = [
        ("colour", StringTensorType([None, 1])),
        ("size", FloatTensorType([None, 1])),
        ("weight", FloatTensorType([None, 1])),
    ]
    onx = to_onnx(model, initial_types=types, target_opset={"": 17, "ai.onnx.ml": 3})
    path.write_bytes(onx.SerializeToString())
    return path


def _save(model: object, x: np.ndarray, path: Path) -> Path:
    onx = to_onnx(model, x[:1], target_opset={"": 17, "ai.onnx.ml": 3})
    path.write_bytes(onx.SerializeToString())
    return path
