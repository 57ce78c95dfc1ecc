"""The digits and topics examples: each ONNX graph computes what its train.py means it to."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import onnx
import onnxruntime as ort
import pytest
import yaml

from tests.support.sites import EXAMPLES, example_module

digits = example_module("digits", "train.py")
topics = example_module("topics", "train.py")
app = example_module("topics", "app.py")

SENTENCES = [
    "The striker scored twice and the team won the cup.",
    "Bake the bread and serve it with soup.",
    "Cold wind, heavy rain and snow in the hills tonight!",
    "Restart the computer after the software update.",
    "Unheard-of words: zyzzyva quixotic",
]


def run(model: onnx.ModelProto | bytes, feeds: dict[str, np.ndarray]) -> np.ndarray:
    """The first output of native onnxruntime."""
    raw = model if isinstance(model, bytes) else model.SerializeToString()
    return ort.InferenceSession(raw, providers=["CPUExecutionProvider"]).run(None, feeds)[0]


@pytest.fixture(scope="module")
def digit_split() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    return digits.load()


@pytest.fixture(scope="module")
def digits_params(digit_split: tuple[np.ndarray, ...]) -> dict[str, np.ndarray]:
    train_images, _, train_digits, _ = digit_split
    return digits.train(train_images, train_digits)


def test_the_digits_graph_computes_the_numpy_forward_pass(
    digits_params: dict[str, np.ndarray], digit_split: tuple[np.ndarray, ...]
) -> None:
    images = digit_split[1].astype(np.float32)
    weights = {name: w.astype(np.float32) for name, w in digits_params.items()}  # as exported
    got = run(digits.to_onnx(digits_params), {"image": images})
    np.testing.assert_allclose(got, digits.forward(weights, images), rtol=1e-5, atol=1e-7)


def test_the_committed_digits_model_recognises_held_out_digits(digit_split: tuple[np.ndarray, ...]) -> None:
    _, images, _, labels = digit_split
    predicted = run((EXAMPLES / "digits" / "model.onnx").read_bytes(), {"image": images.astype(np.float32)})
    assert (predicted.argmax(axis=1) == labels).mean() >= 0.9


def test_the_hand_written_gradients_match_finite_differences(digit_split: tuple[np.ndarray, ...]) -> None:
    images, labels = digit_split[0][:16], digit_split[2][:16]
    rng = np.random.default_rng(1)
    # Non-zero biases: with zero ones, blank patches sit on Relu's kink, where differences mislead.
    params = digits.initial(rng) | {"conv_b": rng.normal(0, 0.1, digits.FILTERS)}

    def loss(p: dict[str, np.ndarray]) -> float:
        return -np.log(digits.forward(p, images)[np.arange(len(labels)), labels]).mean()

    grads = digits.gradients(params, images, labels)
    for name, weight in params.items():
        for index in [tuple(rng.integers(size) for size in weight.shape) for _ in range(3)]:
            step = np.zeros_like(weight)
            step[index] = 1e-6
            numeric = (loss(params | {name: weight + step}) - loss(params | {name: weight - step})) / 2e-6
            assert grads[name][index] == pytest.approx(numeric, rel=1e-4, abs=1e-8), (name, index)


def test_the_topics_graph_is_the_logistic_regression() -> None:
    token_ids, labels = topics.dataset()
    model = topics.classifier().fit(topics.counts(token_ids), labels)
    ids = np.array([app.tokenise(text) for text in SENTENCES], dtype=np.int64)
    got = run(topics.to_onnx(model), {"token_ids": ids})
    np.testing.assert_allclose(got, model.predict_proba(topics.counts(ids)), rtol=1e-5, atol=1e-6)


def test_the_page_labels_topics_in_the_models_column_order() -> None:
    metadata = yaml.safe_load((EXAMPLES / "topics" / "metadata.yml").read_text())
    assert metadata["outputs"]["probabilities"]["labels"] == list(app.TOPICS)


def test_tokenise_lowercases_splits_on_punctuation_and_pads() -> None:
    ids = app.tokenise("Rain, RAIN... and rain!")
    assert ids[:4] == [app.token_id(word) for word in ("rain", "rain", "and", "rain")]
    assert ids[4:] == [0] * (app.LENGTH - 4)
    assert app.tokenise("") == [0] * app.LENGTH


def test_tokenise_keeps_the_first_words_of_a_long_text() -> None:
    text = " ".join(f"word{i}" for i in range(app.LENGTH + 8))
    assert app.tokenise(text) == [app.token_id(f"word{i}") for i in range(app.LENGTH)]
    assert all(1 <= app.token_id(f"word{i}") < app.VOCAB for i in range(1000))


def test_token_ids_are_the_same_in_every_process() -> None:
    """crc32, unlike hash(), ignores PYTHONHASHSEED: the browser hashes as training did."""
    code = f"import app; print(app.tokenise({SENTENCES[0]!r}))"
    for seed in ("1", "2"):
        out = subprocess.run(
            [sys.executable, "-c", code],
            cwd=EXAMPLES / "topics",
            env=os.environ | {"PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        )
        assert out.stdout.strip() == str(app.tokenise(SENTENCES[0]))


def test_preprocess_gives_one_row_and_postprocess_names_the_topic() -> None:
    text = " ".join(["goal"] * 40)
    rows = app.preprocess({"text": text})["token_ids"]
    assert len(rows) == 1 and len(rows[0]) == app.LENGTH
    shown = app.postprocess({"probabilities": [[0.1, 0.7, 0.1, 0.1]]}, {"text": text})
    assert shown == {"topic": "sport", "words": f"Read the first {app.LENGTH} of 40 words"}
