"""Diabetes progression from age, sex, BMI, blood pressure and blood sugar.

scikit-learn's bundled diabetes data (raw units, 442 patients); a gradient
boosting regressor on five of its features, exported to ``model.onnx`` next to
this script. The form asks for height and weight rather than BMI: ``app.py``
derives the features. Input: ``X``, float32 [N, 5] as
(age, sex, bmi, bp, glucose); output: ``variable``, float32 [N, 1], the disease
progression one year later (25 to 346).

    python examples/diabetes/train.py [OUTPUT]
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from skl2onnx import to_onnx
from sklearn.datasets import load_diabetes
from sklearn.ensemble import GradientBoostingRegressor

OUT = Path(__file__).resolve().parent / "model.onnx"
SEED = 0
# age, sex (1 or 2), bmi, bp (mean arterial pressure, mmHg), s6 (blood sugar, mg/dL)
COLUMNS = [0, 1, 2, 3, 9]


def main(out: Path = OUT) -> None:
    data = load_diabetes(scaled=False)
    x = data.data[:, COLUMNS].astype(np.float32)
    model = GradientBoostingRegressor(n_estimators=60, max_depth=3, learning_rate=0.05, random_state=SEED)
    model.fit(x, data.target)
    print(f"train R^2: {model.score(x, data.target):.3f}")
    onx = to_onnx(model, x[:1], target_opset={"": 17, "ai.onnx.ml": 3}, name="diabetes")
    out.write_bytes(onx.SerializeToString())
    print(f"wrote {out} ({out.stat().st_size} bytes)")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
