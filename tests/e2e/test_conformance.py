"""The onnx wheel's own conformance data (tests/support/conformance.py): what native
onnxruntime runs, as it is or after conversion, builds without metadata and predicts its
reference outputs in Chromium; the rest is refused at build time and leaves no site.

A spread of the 117 models runs by default; `--full-conformance` runs them all (CI does).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.support.conformance import REFUSED, Case, all_cases, check_case, fast_cases, native_kind


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    full = metafunc.config.getoption("full_conformance")
    cases = all_cases() if full else fast_cases()
    for argument, refused in (("runnable", False), ("refused", True)):
        if argument in metafunc.fixturenames:
            chosen = [case for case in cases if (native_kind(case) == REFUSED) == refused]
            metafunc.parametrize(argument, [pytest.param(c, id=c.name) for c in chosen])


def test_builds_and_predicts_its_reference(runnable: Case, chromium: Browser, tmp_path: Path) -> None:
    outcome = check_case(chromium, runnable, tmp_path)
    assert outcome.built, outcome.message
    assert outcome.problems == []


def test_is_refused_with_a_message_and_leaves_no_site(
    refused: Case, chromium: Browser, tmp_path: Path
) -> None:
    outcome = check_case(chromium, refused, tmp_path)
    assert (outcome.code, outcome.leftovers) == (2, []), outcome.message
    assert outcome.message.startswith(f"Error: {refused.model}: "), outcome.message
    assert any(operator in outcome.message for operator in refused.operators()), outcome.message
