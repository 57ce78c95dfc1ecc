"""Metadata from the model: what `shipyard init` writes and `shipyard inspect` reports
(tests/build/test_init.py builds what they infer; tests/build/test_inspect.py has the
verdicts that run the model)."""

from __future__ import annotations

from pathlib import Path

import onnx
import pytest
import yaml
from onnx import TensorProto, helper

from shipyard.metadata.reconcile import reconcile
from shipyard.model.infer import is_state, looks_like_image
from shipyard.model.load import Dim, TensorSignature
from shipyard.model.prepared import prepare_model
from shipyard_runtime.dims import batch_names
from tests.support import classifiers
from tests.support.cli import run
from tests.support.models import edge_model, save, signature_model


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


def test_minus_one_sizes_are_dynamic_and_init_never_writes_them(tmp_path: Path) -> None:
    model = signature_model(tmp_path / "paddle.onnx", [("x", "float32", [-1, 3, -1, -1])], ["float32"])
    (x,) = prepare_model(model).info.signature.inputs
    assert x.shape == (None, 3, None, None)
    assert run("init", str(model), "-o", str(tmp_path / "m.yml"))[0] == 0
    document = yaml.safe_load((tmp_path / "m.yml").read_text())
    assert document["inputs"]["x"]["shape"] == document["outputs"]["x_out"]["shape"] == [None, 3, None, None]


@pytest.mark.parametrize(
    ("type_name", "shape", "picture"),
    [
        ("float32", (1, 3, 8, 8), True),
        ("uint8", (None, 8, 8, 1), True),
        ("float32", ("batch", 3, "height", "width"), True),  # the picture keeps its own size
        ("float32", (None, None, None, 3), True),
        ("float32", (2, 3, 8, 8), False),  # a stack of two tensors
        ("float32", (1, 3, 4, 4), False),  # too small to be a picture
        ("float32", (1, "channels", 8, 8), False),
        ("float32", (3, 8, 8), False),
        ("bool", (1, 1, 8, 8), False),
        ("float32", ("sequence", 1, "batch", "batch"), False),  # the batch is no side
        ("float32", ("sequence", 3, "batch", 8), False),
    ],
)
def test_what_looks_like_a_picture(type_name: str, shape: tuple[Dim, ...], picture: bool) -> None:
    batch = batch_names([shape])
    assert looks_like_image(TensorSignature("x", type_name, shape), batch) is picture


NEXT = TensorSignature("y", "float32", ("batch", 2))


@pytest.mark.parametrize(
    ("name", "type_name", "shape", "outputs", "state"),
    [
        ("h0", "float32", ("batch", 8), (), True),
        ("initial_c", "float32", (1, "batch", 8), (), True),
        ("hiddenState", "float32", ("batch", 8), (), True),
        (
            "past_key_values.0.key",
            "float16",
            ("batch", 2, "past", 4),
            (),
            False,
        ),  # not a type shipyard carries
        ("past_key_values.0.key", "float32", ("batch", 2, "past", 4), (), True),
        ("x", "int64", (2, None, 128), (), True),  # a recurrent state: [layers, batch, size]
        ("x", "float32", ("batch", 2), (NEXT,), True),  # handed back as an output of its shape
        ("x", "float32", ("batch", 4), (NEXT,), False),
        ("statement", "float32", ("batch", 4), (), False),
        ("state", "bool", ("batch", 4), (), False),
        ("state", "float32", (1, 3, 8, 8), (), False),  # a picture
    ],
)
def test_what_is_a_state(
    name: str, type_name: str, shape: tuple[Dim, ...], outputs: tuple[TensorSignature, ...], state: bool
) -> None:
    assert is_state(TensorSignature(name, type_name, shape), outputs) is state


def test_states_default_to_zeros_and_pictures_to_nothing(tmp_path: Path) -> None:
    inputs = [("h0", "float32", ["batch", 4]), ("photo", "float32", [1, 3, 8, 8]), ("x", "int64", [1, 2])]
    model = signature_model(tmp_path / "m.onnx", inputs, ["float32", "float32", "float32"])
    document = prepare_model(model).inferred()["inputs"]
    assert document["h0"]["default"] == 0 and document["photo"]["widget"] == "image"
    assert "default" not in document["photo"] and "default" not in document["x"]


@pytest.mark.parametrize(
    ("given", "default"),
    [
        ({}, (0.0, 0.0)),
        ({"name": "State"}, (0.0, 0.0)),
        ({"min": 1, "max": 5}, None),  # the file's rules leave zeros out
        ({"choices": [1, 2]}, None),
        ({"default": 3}, (3.0, 3.0)),
    ],
)
def test_a_states_zeros_give_way_to_the_files_own_rules(
    tmp_path: Path, given: dict[str, object], default: tuple[float, ...] | None
) -> None:
    prepared = prepare_model(
        signature_model(tmp_path / "m.onnx", [("h0", "float32", ["batch", 2])], ["float32"])
    )
    document = {"inputs": {"h0": given}}
    app = reconcile(prepared.inferred(), document, prepared.info.signature, tmp_path / "m.yml")
    assert app.inputs[0].default == default
