"""California-housing-like regressor: a 30-tree RandomForest (depth 6).

Trained on synthetic data (numpy, fixed seed) and exported to ``model.onnx``
next to this script with four separate float32 inputs of shape [None, 1]
(MedInc, HouseAge, AveRooms, Latitude) and one output ``variable``: the median
house value in hundreds of thousands of dollars, shape [None, 1].

Run: python examples/housing/train.py
"""

import sys
from pathlib import Path

import numpy as np
from skl2onnx import convert_sklearn
from skl2onnx.common.data_types import FloatTensorType
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import RandomForestRegressor
from sklearn.pipeline import Pipeline

SEED = 42
N_ROWS = 2000
# Feature name -> (low, high) of the uniform range it is sampled from.
FEATURES: dict[str, tuple[float, float]] = {
    "MedInc": (0.5, 15.0),
    "HouseAge": (1.0, 52.0),
    "AveRooms": (1.0, 10.0),
    "Latitude": (32.5, 42.0),
}
OUT = Path(__file__).resolve().parent / "model.onnx"


def make_data(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Return (X, y): X is float32 (N_ROWS, 4), y the house value in $100k."""
    cols = [rng.uniform(lo, hi, N_ROWS) for lo, hi in FEATURES.values()]
    inc, age, rooms, lat = cols
    # Coastal metro bumps around Los Angeles (34.05) and San Francisco (37.77).
    la = np.exp(-((lat - 34.05) ** 2) / 0.8)
    sf = np.exp(-((lat - 37.77) ** 2) / 0.6)
    metro = la + 1.2 * sf
    y = 0.35 * inc + 0.008 * age - 0.03 * (rooms - 5.5) ** 2 + 0.9 * metro + 0.3
    y += rng.normal(0.0, 0.25, N_ROWS)
    return np.column_stack(cols).astype(np.float32), np.clip(y, 0.15, 5.0)


def main(out: Path = OUT) -> None:
    rng = np.random.default_rng(SEED)
    X, y = make_data(rng)
    # One column per ONNX input; skl2onnx concatenates them back (Concat node).
    columns = ColumnTransformer([("all", "passthrough", list(range(len(FEATURES))))])
    forest = RandomForestRegressor(n_estimators=30, max_depth=6, random_state=SEED)
    model = Pipeline([("columns", columns), ("forest", forest)])
    model.fit(X, y)
    print(f"train R^2: {model.score(X, y):.3f}")
    onx = convert_sklearn(
        model,
        initial_types=[(name, FloatTensorType([None, 1])) for name in FEATURES],
        target_opset={"": 17, "ai.onnx.ml": 3},
        name="housing",  # fixed graph name (default: random uuid) => stable bytes
    )
    out.write_bytes(onx.SerializeToString())
    print(f"wrote {out} ({out.stat().st_size} bytes)")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
