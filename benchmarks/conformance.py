"""The onnx wheel's conformance data through shipyard: counts for the closing note.

    python benchmarks/conformance.py [--fast] [--only NAME ...]

Each of the 117 models of `pytorch-converted` and `pytorch-operator` (or the default
test run's spread, with --fast) is built without metadata as a user would build it, and
a built site predicts its reference inputs in headless Chromium (one browser for all),
compared with the reference outputs (rtol 1e-3, atol 1e-5). Prints, by what native
onnxruntime makes of the model (as it is, after onnx.version_converter, neither), how
many built as they are, built repaired (the site's model differs from the file) or were
refused, and how many matched; then every case that did not go as it should, and the
time taken. tests/e2e/test_conformance.py asserts the same cases (`--full-conformance`).
"""

from __future__ import annotations

import argparse
import collections
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from shipyard.verify.chromium import launch_chromium  # noqa: E402
from tests.support.conformance import (  # noqa: E402
    AS_IS,
    REFUSED,
    Outcome,
    all_cases,
    check_case,
    fast_cases,
    native_kind,
)


def verdict(outcome: Outcome) -> str:
    if not outcome.built:
        return "refused"
    return "built repaired" if outcome.repaired else "built as is"


def went_wrong(outcome: Outcome) -> str | None:
    """Why a case did not go as the issue asks, or None."""
    refuse = native_kind(outcome.case) == REFUSED
    if refuse and outcome.built:
        return "native onnxruntime cannot run it, yet it built"
    if refuse and outcome.leftovers:
        return f"refused, but left {outcome.leftovers} behind"
    if not refuse and not outcome.built:
        return "refused: " + outcome.message.strip().replace("\n", " / ")[:300]
    if outcome.built and outcome.problems:
        return "; ".join(outcome.problems)[:300]
    return None


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--fast", action="store_true", help="only the default test run's spread")
    parser.add_argument("--only", nargs="*", help="case names (test_ELU) to run alone")
    args = parser.parse_args()
    cases = fast_cases() if args.fast else all_cases()
    if args.only:
        cases = [case for case in cases if case.name in args.only]
    counts: collections.Counter[tuple[str, str, str]] = collections.Counter()
    wrong = []
    start = time.perf_counter()
    with launch_chromium() as browser, tempfile.TemporaryDirectory() as tmp:
        for i, case in enumerate(cases):
            folder = Path(tmp) / str(i)
            folder.mkdir()
            outcome = check_case(browser, case, folder)
            match = "matched" if outcome.matched else "-" if not outcome.built else "not matched"
            counts[native_kind(case), verdict(outcome), match] += 1
            if reason := went_wrong(outcome):
                wrong.append(f"{case.id}: {reason}")
            print(f"[{i + 1}/{len(cases)}] {case.id}: {verdict(outcome)}, {match}", file=sys.stderr)
    elapsed = time.perf_counter() - start
    print(f"{len(cases)} models, {elapsed:.0f} s ({elapsed / len(cases):.1f} s each)")
    print(f"{'native onnxruntime runs it':<28}{'shipyard':<16}{'browser':<13}models")
    order = {AS_IS: 0, REFUSED: 2}
    for (kind, built, match), count in sorted(
        counts.items(), key=lambda item: (order.get(item[0][0], 1), item)
    ):
        print(f"{kind:<28}{built:<16}{match:<13}{count}")
    print(f"{len(wrong)} not as they should be" + (":" if wrong else ""))
    for line in wrong:
        print("  " + line)


if __name__ == "__main__":
    main()
