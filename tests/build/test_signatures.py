"""What `shipyard init` writes builds for random signatures (tests/support/signatures.py),
the build's check in onnxruntime-web included: the site's runtime opens each model and runs
it on the inferred defaults, or zeros. Each example starts Node, so there are few of them;
tests/unit/test_fuzz_signatures.py reads many more."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings

from tests.support.cli import run
from tests.support.models import signature_model
from tests.support.signatures import Signature, signatures


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(signatures(cast=False))
def test_what_init_writes_builds_and_runs_in_onnxruntime_web(tmp_path: Path, signature: Signature) -> None:
    model = signature_model(tmp_path / "model.onnx", *signature)
    metadata = tmp_path / "metadata.yml"
    assert run("init", str(model), "-o", str(metadata), "--force")[0] == 0
    code, out = run(
        "build", str(model), "--metadata", str(metadata), "--output", str(tmp_path / "site"), "--no-snapshot"
    )
    assert code == 0, out
