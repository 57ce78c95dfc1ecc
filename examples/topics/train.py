"""Topic of a short English text (food, sport, technology or weather), tokenised in Python.

A logistic regression on hashed bag-of-words counts, trained on the sentences
in ``corpus.py`` and exported with ``onnx.helper`` to ``model.onnx`` next to
this script. The words become token ids in ``app.py`` (imported here, so that
training and the browser tokenise alike); the graph sums one weight row per
token, which is the regression's linear part on the word counts, exactly:

    token_ids [batch, 32] → Gather(weights [VOCAB, 4]) → ReduceSum over tokens → Add bias → Softmax

Row 0 of the weights (the padding id) is zero. Input: ``token_ids``, int64
[batch, 32]; output: ``probabilities``, float32 [batch, 4], columns in the
order of ``app.TOPICS``.

    python examples/topics/train.py [OUTPUT]
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import onnx
from onnx import helper, numpy_helper
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_score

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from app import LENGTH, TOPICS, VOCAB, tokenise  # noqa: E402
from corpus import CORPUS  # noqa: E402

OUT = HERE / "model.onnx"
SEED = 0


def dataset() -> tuple[np.ndarray, np.ndarray]:
    """Every sentence's token ids [N, LENGTH] and its topic's column in TOPICS."""
    pairs = [(tokenise(text), TOPICS.index(topic)) for topic, texts in CORPUS.items() for text in texts]
    ids, topics = zip(*pairs, strict=True)
    return np.array(ids, dtype=np.int64), np.array(topics)


def counts(token_ids: np.ndarray) -> np.ndarray:
    """How often each id 1..VOCAB-1 occurs in each row (padding is not counted)."""
    table = np.zeros((len(token_ids), VOCAB))
    np.add.at(table, (np.arange(len(token_ids))[:, None], token_ids), 1)
    return table[:, 1:]


def classifier() -> LogisticRegression:
    return LogisticRegression(C=10.0, max_iter=1000, random_state=SEED)


def to_onnx(model: LogisticRegression) -> onnx.ModelProto:
    """The regression as a lookup-and-sum graph (opset 17, IR 8)."""
    weights = np.vstack([np.zeros((1, len(TOPICS))), model.coef_.T]).astype(np.float32)
    nodes = [
        helper.make_node("Gather", ["weights", "token_ids"], ["per_token"]),  # [batch, LENGTH, topics]
        helper.make_node("ReduceSum", ["per_token", "token_axis"], ["scores"], keepdims=0),
        helper.make_node("Add", ["scores", "bias"], ["logits"]),
        helper.make_node("Softmax", ["logits"], ["probabilities"]),
    ]
    initializers = {
        "weights": weights,
        "token_axis": np.array([1], dtype=np.int64),
        "bias": model.intercept_.astype(np.float32),
    }
    graph = helper.make_graph(
        nodes,
        "topics",
        [helper.make_tensor_value_info("token_ids", onnx.TensorProto.INT64, ["batch", LENGTH])],
        [helper.make_tensor_value_info("probabilities", onnx.TensorProto.FLOAT, ["batch", len(TOPICS)])],
        [numpy_helper.from_array(value, name) for name, value in initializers.items()],
    )
    onx = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)
    onnx.checker.check_model(onx, full_check=True)
    return onx


def main(out: Path = OUT) -> None:
    token_ids, topics = dataset()
    x = counts(token_ids)
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=SEED)
    print(f"5-fold cross-validated accuracy: {cross_val_score(classifier(), x, topics, cv=folds).mean():.3f}")
    model = classifier().fit(x, topics)
    print(f"train accuracy: {model.score(x, topics):.3f}")
    out.write_bytes(to_onnx(model).SerializeToString())
    print(f"wrote {out} ({out.stat().st_size} bytes)")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
