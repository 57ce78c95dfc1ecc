"""The proof at build time: the site's own onnxruntime-web, in Node, opens the site's copy of
the model and runs it once on the probe (the metadata's defaults, zeros where it gives
none). A model it refuses is repaired where a repair is known (`repair`) and the repaired
copy computes what the original does (`equivalence`); otherwise the build stops, and the
message says why in words.

"The original" is the copy before any repair: a ZipMap made a tensor is exact by
construction, and onnx's reference evaluator cannot return ZipMap's maps anyway.

A proof that passed is cached, keyed by the model's bytes, the probe, and the versions of
onnxruntime-web and onnx (whose converter makes the repairs): a rebuild of the same model
replays the recorded repairs without starting Node.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from dataclasses import replace
from pathlib import Path

import onnx

from shipyard.cache import cache_dir
from shipyard.errors import BrowserCheckError
from shipyard.model.equivalence import (
    TOLERANCE,
    UncheckableError,
    diverging_operators,
    first_difference,
    reference_runs,
)
from shipyard.model.load import inspect_model
from shipyard.model.locate import located
from shipyard.model.ort_errors import OrtFailure, read_failure
from shipyard.model.ort_node import OrtNode, Outcome, Tensors
from shipyard.model.prepared import PreparedModel
from shipyard.model.probe import RANDOM_SETS, probe_feeds, random_feeds
from shipyard.model.repair import (
    ORT,
    ConvertedOpset,
    LoweredIr,
    Repair,
    converter_reason,
    newer_than,
    opset,
    opset_candidates,
    repair_dict,
    repair_from_dict,
)
from shipyard.site.npm_assets import ONNXRUNTIME_WEB
from shipyard_runtime.spec import AppSpec

PROBE = "the metadata's defaults (zeros where it gives none)"
# What else decides a cached verdict: how repairs are tried and compared.
RECIPE = f"{TOLERANCE} {RANDOM_SETS}"


def prove(prepared: PreparedModel, app: AppSpec) -> PreparedModel:
    """`prepared`, repaired if it must be, once the site's onnxruntime-web has run it on the
    probe of `app`'s inputs; a BrowserCheckError naming the model file when it cannot."""
    probe = probe_feeds(app)
    key = _cache_key(prepared, probe)
    cached = _cached(key)
    if cached is not None:
        return _with_repairs(prepared, cached, _replayed(prepared.model, cached))
    with OrtNode() as ort:
        repairs, model = _proven(prepared, app, probe, ort)
    _store(key, repairs)
    return _with_repairs(prepared, repairs, model)


def _proven(
    prepared: PreparedModel, app: AppSpec, probe: Tensors, ort: OrtNode
) -> tuple[list[Repair], onnx.ModelProto]:
    source = prepared.data() if prepared.rewrites else prepared.path
    failure = _failure(ort.run(source, [probe]))
    if failure is None:
        return [], prepared.model
    feed_sets = [probe, *random_feeds(app, probe)]
    repairs, model, outcome = _repaired(prepared, failure, feed_sets, ort)
    _check_same(prepared, model, feed_sets, outcome, repairs, ort)
    return repairs, model


def _repaired(
    prepared: PreparedModel, failure: OrtFailure | None, feed_sets: list[Tensors], ort: OrtNode
) -> tuple[list[Repair], onnx.ModelProto, Outcome]:
    """The repairs that make onnxruntime-web run the model, each kind at most once, the
    repaired model and its outcome on `feed_sets`."""
    model, outcome = prepared.model, Outcome()
    repairs: list[Repair] = []
    while failure is not None:
        done = {type(repair) for repair in repairs}
        candidates = _conversions(model, failure) if ConvertedOpset not in done else []
        if failure.ir and LoweredIr not in done:
            lowered = _lowering(prepared, failure.ir, model)
            model = lowered.apply(model)
            outcome = ort.run(model.SerializeToString(), feed_sets)
            repairs.append(lowered)
        elif candidates:
            converted, model, outcome = _conversion(prepared, failure, model, candidates, feed_sets, ort)
            repairs.append(converted)
        else:
            failure = located(failure, model, feed_sets[0], ort)
            raise _refused(prepared, _after(repairs) + _unrepaired(model, failure))
        failure = _failure(outcome)
    return repairs, model, outcome


def _lowering(prepared: PreparedModel, ir: tuple[int, int], model: onnx.ModelProto) -> LoweredIr:
    found, newest = ir
    needs = newer_than(model, newest)
    if needs:
        because = f"it uses {', '.join(needs)}"
        raise _refused(
            prepared, f"{ORT} reads IR versions up to {newest}, and the model's is {found}: {because}"
        )
    return LoweredIr(found, newest)


def _conversions(model: onnx.ModelProto, failure: OrtFailure) -> list[int]:
    """The opsets of the standard domain to try against this failure, lowest first: up from
    a version onnxruntime-web has no kernel for, down to the newest it reads."""
    if failure.opset and failure.opset[0] in ("", "ai.onnx"):
        return [failure.opset[2]]
    if failure.missing_kernel and _standard(model, failure.operator):
        return opset_candidates(model)
    return []


def _conversion(
    prepared: PreparedModel,
    failure: OrtFailure,
    model: onnx.ModelProto,
    candidates: list[int],
    feed_sets: list[Tensors],
    ort: OrtNode,
) -> tuple[ConvertedOpset, onnx.ModelProto, Outcome]:
    """The model converted to the first of `candidates` whose conversion onnxruntime-web runs."""
    first = ""
    for target in candidates:
        conversion = ConvertedOpset(opset(model), target, failure.describe())
        try:
            converted = conversion.apply(model)
        except Exception as error:  # the converter raises whatever its C++ core throws
            first = first or f"onnx's converter cannot make opset {target}: {converter_reason(error)}"
            continue
        outcome = ort.run(converted.SerializeToString(), feed_sets)
        later = _failure(outcome)
        if later is None:
            return conversion, converted, outcome
        if not first:
            later = located(later, converted, feed_sets[0], ort)
            first = f"converted to opset {target}, it {_said(converted, later)}"
    tried = ", ".join(map(str, candidates))
    raise _refused(
        prepared,
        f"{_unrepaired(model, failure)}; converting the opset does not help: {first} (tried {tried})",
    )


def _check_same(
    prepared: PreparedModel,
    model: onnx.ModelProto,
    feed_sets: list[Tensors],
    outcome: Outcome,
    repairs: list[Repair],
    ort: OrtNode,
) -> None:
    """Refuse the repairs unless onnxruntime-web's outputs on the repaired model match onnx's
    reference evaluator's on the original, on the probe and the random inputs."""
    said = "; ".join(repair.describe() for repair in repairs)
    try:
        wanted = reference_runs(prepared.model, feed_sets)
    except UncheckableError as error:
        reason = f"onnx's reference evaluator cannot run the original model ({error})"
        raise _refused(
            prepared, f"the repair ({said}) is refused, for it cannot be checked: {reason}"
        ) from None
    for n, (got, want) in enumerate(zip(outcome.runs, wanted, strict=True)):
        if isinstance(want, str):  # the original fails on these inputs: nothing to match
            continue
        difference = first_difference(got, want)
        if difference:
            changed = diverging_operators(prepared.model, model, feed_sets[n], ort)
            blame = f"{', '.join(changed)} computes other values; " if changed else ""
            where = PROBE if n == 0 else f"random input {n}"
            changes = f"{blame}{difference}, on {where}"
            raise _refused(prepared, f"the repair ({said}) is refused, for it changes the results: {changes}")


def _failure(outcome: Outcome) -> OrtFailure | None:
    if outcome.error is not None:
        return read_failure(outcome.error, opening=True)
    first = outcome.runs[0] if outcome.runs else None
    return read_failure(first, opening=False) if isinstance(first, str) else None


def _standard(model: onnx.ModelProto, operator: str) -> bool:
    """Whether the operator onnxruntime-web lacks is one of the standard domain's, the only
    one onnx's converter converts."""
    return any(n.op_type == operator and n.domain in ("", "ai.onnx") for n in model.graph.node)


def _unrepaired(model: onnx.ModelProto, failure: OrtFailure) -> str:
    """The failure in words, after onnxruntime-web's name and, for a run, with its inputs."""
    text = f"{ORT} {_said(model, failure)}"
    return text if failure.opening else f"{text}, on {PROBE}"


def _said(model: onnx.ModelProto, failure: OrtFailure) -> str:
    """`failure.describe()`, with the opset of the operator it names."""
    if not failure.operator:
        return failure.describe()
    domain = next((n.domain for n in model.graph.node if n.op_type == failure.operator), "")
    return failure.describe(f"{domain or 'ai.onnx'} opset {opset(model, domain)}")


def _after(repairs: list[Repair]) -> str:
    return "".join(f"{repair.describe()}; then " for repair in repairs)


def _refused(prepared: PreparedModel, reason: str) -> BrowserCheckError:
    return BrowserCheckError(reason, file=prepared.path)


def _with_repairs(prepared: PreparedModel, repairs: list[Repair], model: onnx.ModelProto) -> PreparedModel:
    if not repairs:
        return prepared
    info = inspect_model(prepared.path, model)
    return replace(prepared, model=model, info=info, rewrites=[*prepared.rewrites, *repairs])


def _replayed(model: onnx.ModelProto, repairs: list[Repair]) -> onnx.ModelProto:
    for repair in repairs:
        model = repair.apply(model)
    return model


def _cache_key(prepared: PreparedModel, probe: Tensors) -> str:
    digest = hashlib.sha256(f"{ONNXRUNTIME_WEB.integrity}\n{onnx.__version__}\n{RECIPE}\n".encode())
    if prepared.rewrites:
        digest.update(prepared.data())
    else:
        with open(prepared.path, "rb") as file:
            for chunk in iter(lambda: file.read(2**20), b""):
                digest.update(chunk)
    for name, array in probe.items():
        digest.update(f"{name}\n{array.dtype.str}\n{list(array.shape)}\n".encode())
        digest.update(json.dumps(array.tolist()).encode() if array.dtype.kind == "O" else array.tobytes())
    return digest.hexdigest()


def _cache_file(key: str) -> Path:
    return cache_dir() / "checks" / f"{key}.json"


def _cached(key: str) -> list[Repair] | None:
    try:
        return [repair_from_dict(entry) for entry in json.loads(_cache_file(key).read_text())["repairs"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _store(key: str, repairs: list[Repair]) -> None:
    """Write the verdict whole or not at all, for builds may run side by side."""
    target = _cache_file(key)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", dir=target.parent, suffix=".partial", delete=False) as partial:
        json.dump({"repairs": [repair_dict(repair) for repair in repairs]}, partial)
    Path(partial.name).replace(target)
