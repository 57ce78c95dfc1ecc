"""`shipyard build --quantize`: a smaller copy of the model for the site, made by
onnxruntime's own tools (onnxruntime is optional: `pip install 'shipyard[verify]'`).

- `dynamic`: `onnxruntime.quantization.quantize_dynamic`, weights as 8-bit integers and
  activations quantized as the model runs (MatMulInteger, ConvInteger): about a quarter
  of the size.
- `fp16`: `onnxruntime.transformers.float16.convert_float_to_float16`, with the inputs
  and outputs kept float32 (`keep_io_types`: a Cast at each edge), for the page sends
  and shows float32: about half the size. onnxruntime-web's wasm build runs float16
  MatMul, Gemm, Conv, pooling, normalisations and activations.

Both read and write the model as files (weights as external data), in a temporary
folder that the quantized model keeps for as long as it lives. Their memory is theirs:
README, "Big models", gives the figures.
"""

from __future__ import annotations

import importlib.util
import logging
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import onnx

from shipyard.errors import QuantizeError
from shipyard.model.load import inspect_model, load_model, model_files, model_size
from shipyard.model.origin import Quantized, source_files
from shipyard.model.prepared import PreparedModel
from shipyard_runtime.names import FILES


def _dynamic(source: Path, target: Path) -> None:
    from onnxruntime.quantization import quantize_dynamic

    quantize_dynamic(source, target, use_external_data_format=True)


def _fp16(source: Path, target: Path) -> None:
    from onnxruntime.transformers.float16 import convert_float_to_float16

    model = convert_float_to_float16(str(source), keep_io_types=True)
    onnx.save(model, str(target), save_as_external_data=True, location=f"{target.name}.data")


QUANTIZERS: dict[str, Callable[[Path, Path], None]] = {"dynamic": _dynamic, "fp16": _fp16}


def quantize(prepared: PreparedModel, mode: str) -> PreparedModel:
    """The site's copy of `prepared` quantized by `mode` (a key of QUANTIZERS)."""
    if importlib.util.find_spec("onnxruntime") is None:
        raise QuantizeError(
            "--quantize needs onnxruntime, which is not installed; install it with: "
            "pip install 'shipyard[verify]'",
            file=prepared.path,
        )
    folder = tempfile.TemporaryDirectory(prefix="shipyard-quantized-")
    work = Path(folder.name)
    (work / "source").mkdir()
    prepared.write(work / "source")
    target = work / FILES.model
    try:
        with _quiet():
            QUANTIZERS[mode](work / "source" / FILES.model, target)
    except Exception as error:  # onnxruntime's tools raise anything for a model they cannot handle
        folder.cleanup()
        reason = f"onnxruntime cannot quantize it ({type(error).__name__}: {error})"
        raise QuantizeError(reason, file=prepared.path) from None
    model = load_model(target)
    original = source_files(model_files(prepared.path, prepared.model))
    record = Quantized(mode, prepared.original.size, model_size(target, model), original)
    info = replace(inspect_model(target, model), path=prepared.path)  # named as the original
    return replace(prepared, model=model, info=info, base=work, quantized=record, holds=folder)


@contextmanager
def _quiet() -> Iterator[None]:
    """Keep the tools' advice (such as quantize_dynamic's "consider pre-processing") off
    stderr, where the build's own progress goes."""
    logging.disable(logging.WARNING)
    try:
        yield
    finally:
        logging.disable(logging.NOTSET)
