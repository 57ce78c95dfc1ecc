"""Metadata from the model: what `shipyard init` writes and `shipyard inspect` reports
(tests/build/test_init.py builds what they infer; tests/build/test_inspect.py has the
verdicts that run the model)."""

from __future__ import annotations

from pathlib import Path

import onnx
import pytest
from onnx import TensorProto, helper

from shipyard.model.prepared import prepare_model
from tests.support import classifiers
from tests.support.cli import run
from tests.support.models import edge_model, save


def test_init_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    model = classifiers.logistic_binary(tmp_path / "m.onnx")
    (tmp_path / "metadata.yml").write_text("mine")
    code, out = run("init", str(model), "-o", str(tmp_path / "metadata.yml"))
    assert code == 2 and "exists already; pass --force" in out
    assert (tmp_path / "metadata.yml").read_text() == "mine"
    assert run("init", str(model), "-o", str(tmp_path / "metadata.yml"), "--force")[0] == 0
    assert (tmp_path / "metadata.yml").read_text() != "mine"


def test_name_and_description_come_from_the_model(tmp_path: Path) -> None:
    path = edge_model(tmp_path / "edge_model.onnx")
    model = onnx.load(str(path))
    model.doc_string = "Sums and doubles three numbers."
    onnx.helper.set_model_props(model, {"name": "Edge cases"})
    onnx.save(model, str(path))
    document = prepare_model(path).inferred()
    assert (document["name"], document["description"]) == ("Edge cases", "Sums and doubles three numbers.")


@pytest.mark.parametrize(
    ("make", "labels"),
    [
        ("label_encoder", ("cat", "dog")),
        ("constant_output", ("low", "high")),
    ],
)
def test_labels_from_a_label_encoder_or_a_constant_output(
    tmp_path: Path, make: str, labels: tuple[str, ...]
) -> None:
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [None, 2])
    probabilities = helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, [None, 2])
    nodes = [helper.make_node("Softmax", ["x"], ["probabilities"], axis=1)]
    outputs = [probabilities]
    if make == "label_encoder":
        index = helper.make_tensor_value_info("index", TensorProto.INT64, [None])
        label = helper.make_tensor_value_info("label", TensorProto.STRING, [None])
        nodes += [
            helper.make_node("ArgMax", ["x"], ["index"], axis=1, keepdims=0),
            helper.make_node(
                "LabelEncoder",
                ["index"],
                ["label"],
                domain="ai.onnx.ml",
                keys_int64s=[0, 1],
                values_strings=list(labels),
            ),
        ]
        outputs.append(label)
        graph = helper.make_graph(nodes, "g", [x], outputs)
        graph.value_info.append(index)
    else:
        classes = helper.make_tensor_value_info("classes", TensorProto.STRING, [2])
        nodes.append(
            helper.make_node(
                "Constant",
                [],
                ["classes"],
                value=helper.make_tensor("c", TensorProto.STRING, [2], list(labels)),
            )
        )
        graph = helper.make_graph(nodes, "g", [x], [*outputs, classes])
    model = helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid("ai.onnx.ml", 2)]
    )
    onnx.save(model, str(tmp_path / "m.onnx"))
    document = prepare_model(tmp_path / "m.onnx").inferred()
    assert document["outputs"]["probabilities"]["labels"] == list(labels)
    assert document["outputs"]["probabilities"]["display"] == "probabilities"


def test_inspect_explains_why_a_model_cannot_run(tmp_path: Path) -> None:
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [None, 1])
    seq = helper.make_tensor_sequence_value_info("seq", TensorProto.FLOAT, None)
    graph = helper.make_graph([helper.make_node("SequenceConstruct", ["x"], ["seq"])], "g", [x], [seq])
    save(graph, tmp_path / "seq.onnx")
    code, out = run("inspect", str(tmp_path / "seq.onnx"))
    assert code == 0
    assert "cannot run in the browser as it is" in out and "'seq' is a sequence, not a tensor" in out
    code, out = run("build", str(tmp_path / "seq.onnx"), "--output", str(tmp_path / "site"))
    assert code == 2 and "'seq' is a sequence, not a tensor" in out
