"""The tests' own en_US.UTF-8 (`tests/support/locales`): on a system without that locale,
native onnxruntime runs scikit-learn's text models once the session has made it, whether
compiled by localedef or taken from glibc's C.utf8.

Each run is a Python process whose system locales are hidden: `LOCPATH` names a folder
without en_US (glibc then skips its locale archive) and no `LC_*` or `LANG` is set.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.locales import C_UTF8, NAME, SOURCES
from tests.support.sites import EXAMPLES, ROOT

SENTIMENT = EXAMPLES / "sentiment" / "model.onnx"  # TfidfVectorizer: a StringNormalizer first
# The sentiment model's label for a review, then a StringNormalizer lowering text beyond ASCII.
PREDICT = """
import sys
from pathlib import Path

import numpy as np
import onnxruntime
from onnx import TensorProto, helper

from tests.support.locales import provide_locale

made, model, from_sources = sys.argv[1], sys.argv[2], sys.argv[3] == "sources"
if made:
    print(provide_locale(Path(made), from_sources))
session = onnxruntime.InferenceSession(model)
print(session.run(None, {session.get_inputs()[0].name: np.array([["a great film"]], dtype=object)})[0][0])
node = helper.make_node("StringNormalizer", ["x"], ["y"], case_change_action="LOWER")
text = [helper.make_tensor_value_info(name, TensorProto.STRING, [None]) for name in "xy"]
lower = helper.make_model(helper.make_graph([node], "lower", text[:1], text[1:]), ir_version=9)
lower.opset_import[0].version = 17
session = onnxruntime.InferenceSession(lower.SerializeToString())
print(session.run(None, {"x": np.array(["ÉCOLE ΑΒΓ ДОМ"])})[0][0])
"""


def predict(
    hidden: Path, made: Path | None = None, from_sources: bool = False
) -> subprocess.CompletedProcess[str]:
    """PREDICT in a process whose system locales are hidden; with `made`, the process first
    provides the locale there as the tests' conftest does."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("LC_", "LANG", "LOCPATH"))}
    env |= {"LOCPATH": str(hidden), "PYTHONPATH": str(ROOT)}
    origin = "sources" if from_sources else "c"
    command = [sys.executable, "-c", PREDICT, str(made or ""), str(SENTIMENT), origin]
    return subprocess.run(command, env=env, capture_output=True, text=True, cwd=hidden)


def test_with_the_system_locales_hidden_onnxruntime_refuses_a_text_model(tmp_path: Path) -> None:
    result = predict(tmp_path)
    assert result.returncode != 0
    assert f"Failed to construct locale with name:{NAME}" in result.stderr


@pytest.mark.parametrize(
    "from_sources",
    [False, pytest.param(True, marks=pytest.mark.skipif(not SOURCES.is_file(), reason=f"no {SOURCES}"))],
    ids=["glibc-c-utf8", "localedef"],
)
def test_the_locale_the_tests_make_runs_it(tmp_path: Path, from_sources: bool) -> None:
    hidden, made = tmp_path / "hidden", tmp_path / "made"
    hidden.mkdir()
    result = predict(hidden, made, from_sources)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [str(made), "positive", "école αβγ дом"]
    c_utf8 = next(path for path in C_UTF8 if path.is_dir())
    copied = (made / NAME / "LC_IDENTIFICATION").read_bytes() == (c_utf8 / "LC_IDENTIFICATION").read_bytes()
    assert copied is not from_sources
    assert (made / "en_US.utf8").resolve() == (made / NAME).resolve()
