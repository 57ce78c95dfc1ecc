"""onnxruntime-web in Node at build time: the bundle and wasm a site ships, run as its page
runs them, to open a model and run it on given inputs.

`OrtNode` is one Node process (ort_node.mjs) that answers a request at a time, so that a
repair can try one candidate model after another without starting Node again. Models and
tensors travel through files in a temporary folder; the pipe carries only the requests.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from types import TracebackType
from typing import IO, Any

import numpy as np

from shipyard.errors import NodeError, last_line, os_reason
from shipyard.installed import own_file
from shipyard.site.npm_assets import ONNXRUNTIME_WEB, ensure_asset
from shipyard_runtime.dtypes import DTYPES

Tensors = Mapping[str, np.ndarray]
# onnxruntime-web's type names and their numpy types: shipyard's table, and float16, which
# models may compute in.
NUMPY = {name: np.dtype(dtype.numpy) for name, dtype in DTYPES.items()} | {"float16": np.dtype("float16")}
ORT_TYPE = {dtype: name for name, dtype in NUMPY.items() if name != "string"}
SCRIPT = "ort_node.mjs"


@dataclass(frozen=True)
class Outcome:
    """What onnxruntime-web made of one model: why it could not open it, or per set of
    inputs, the outputs or why the run failed."""

    error: str | None = None
    runs: tuple[dict[str, np.ndarray] | str, ...] = field(default=())


NODE_MISSING = (
    "Node.js is not installed: the build runs the model in the site's onnxruntime-web, in Node, "
    "to prove the page can; install Node.js 18 or newer"
)


class OrtNode:
    """A Node process running the site's onnxruntime-web; use it as a context manager."""

    def __init__(self) -> None:
        self._work = Path(tempfile.mkdtemp(prefix="shipyard-ort-"))
        self._requests = 0
        try:
            self._process = self._start()
        except BaseException:
            shutil.rmtree(self._work, ignore_errors=True)
            raise

    def _start(self) -> subprocess.Popen[str]:
        ort = ensure_asset(ONNXRUNTIME_WEB)
        node = shutil.which("node")
        if node is None:
            raise NodeError(NODE_MISSING)
        script = self._work / SCRIPT  # a copy, for the package's files may sit in a zip
        script.write_bytes(own_file(resources.files("shipyard.model").joinpath(SCRIPT)))
        self._stderr: IO[str] = open(self._work / "stderr.txt", "w+")  # closed in `close`
        command = [node, str(script), str(ort)]
        try:
            return subprocess.Popen(
                command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._stderr, text=True
            )
        except OSError as error:  # Node is there but does not run
            self._stderr.close()
            raise NodeError(f"cannot run {node} ({os_reason(error)}); install Node.js 18 or newer") from None

    def run(self, model: Path | bytes, feeds: Sequence[Tensors], data: Path | None = None) -> Outcome:
        """Open `model` (a file, or its bytes), with the weights in `data` as its external
        data (as the page passes the site's), and run it on each set of inputs."""
        self._requests += 1
        folder = self._work / f"request{self._requests}"
        folder.mkdir()
        if isinstance(model, bytes):
            (folder / "model.onnx").write_bytes(model)
            model = folder / "model.onnx"
        runs = [{"feeds": _write_tensors(folder / f"run{n}", inputs)} for n, inputs in enumerate(feeds)]
        weights = {"data": str(data.resolve())} if data is not None else {}
        self._send({"model": str(model.resolve()), "runs": runs, "out": str(folder)} | weights)
        outcome = _outcome(json.loads((folder / "answer.json").read_text()))
        shutil.rmtree(folder)  # the outputs are in memory now
        return outcome

    def _send(self, request: dict[str, Any]) -> None:
        assert self._process.stdin is not None and self._process.stdout is not None
        try:
            self._process.stdin.write(json.dumps(request) + "\n")
            self._process.stdin.flush()
        except BrokenPipeError:
            pass  # Node has exited: the missing "done" below says why
        if self._process.stdout.readline().strip() != "done":
            self._process.wait()
            self._stderr.seek(0)
            why = last_line(self._stderr.read()) or f"exit code {self._process.returncode}"
            raise NodeError(f"onnxruntime-web stopped in Node while it checked the model: {why}")

    def close(self) -> None:
        if self._process.stdin is not None:
            self._process.stdin.close()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._stderr.close()
        shutil.rmtree(self._work, ignore_errors=True)

    def __enter__(self) -> OrtNode:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def _write_tensors(stem: Path, tensors: Tensors) -> dict[str, dict[str, Any]]:
    """Each tensor as ort_node.mjs reads it: strings inline, numbers in a file of their own."""
    feeds = {}
    for n, (name, array) in enumerate(tensors.items()):
        dims = list(array.shape)
        if array.dtype.kind in "OUS":
            feeds[name] = {"type": "string", "dims": dims, "strings": [str(s) for s in array.flat]}
            continue
        file = stem.with_name(f"{stem.name}-in{n}.bin")
        file.write_bytes(np.ascontiguousarray(array, array.dtype.newbyteorder("<")).tobytes())
        feeds[name] = {"type": ORT_TYPE[array.dtype], "dims": dims, "file": str(file)}
    return feeds


def _outcome(answer: dict[str, Any]) -> Outcome:
    if "error" in answer:
        return Outcome(error=answer["error"])
    runs = []
    for run in answer["runs"]:
        if "error" in run:
            runs.append(run["error"])
        else:
            runs.append({name: _read_tensor(tensor) for name, tensor in run["outputs"].items()})
    return Outcome(runs=tuple(runs))


def _read_tensor(tensor: dict[str, Any]) -> np.ndarray:
    dims = tuple(tensor["dims"])
    if "strings" in tensor:
        return np.array(tensor["strings"], dtype=object).reshape(dims)
    dtype = NUMPY.get(tensor["type"])
    if dtype is None:
        raise NodeError(f"onnxruntime-web returned a {tensor['type']} tensor, which shipyard cannot read")
    data = np.frombuffer(Path(tensor["file"]).read_bytes(), dtype.newbyteorder("<"))
    return data.astype(dtype).reshape(dims)
