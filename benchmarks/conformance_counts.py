"""How many of the onnx wheel's own backend test models shipyard builds, and why it refuses
the others.

    python benchmarks/conformance_counts.py [--verbose]

Builds each of the 117 models in `onnx/backend/test/data/pytorch-converted` and
`pytorch-operator` without metadata (`shipyard build MODEL`, no snapshot), and counts those
that build as they are, those that build after a repair (by kind), and those refused,
grouped by the reason with its numbers blanked. Proofs that passed are cached, so a second
run is quicker than the first; the counts are the same.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path

import onnx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from shipyard.build import build_site  # noqa: E402
from shipyard.errors import ShipyardError  # noqa: E402
from shipyard.model.repair import ConvertedOpset, LoweredIr  # noqa: E402

BACKEND = Path(onnx.__file__).parent / "backend" / "test" / "data"
SUITES = ("pytorch-converted", "pytorch-operator")


def verdict(model: Path, output: Path) -> tuple[str, str]:
    """("as is" | "repaired: <kinds>" | "refused", what was done or why not)."""
    try:
        report = build_site(model, None, output, snapshot=False)
    except ShipyardError as error:
        return "refused", f"{type(error).__name__}: {str(error).removeprefix(f'{model}: ')}"
    repairs = [r for r in report.rewrites if isinstance(r, LoweredIr | ConvertedOpset)]
    if not repairs:
        return "as is", ""
    return "repaired", "; ".join(r.describe() for r in repairs)


def group(reason: str) -> str:
    """A reason on one line, its names, shapes and sizes blanked, so that alike ones count together."""
    reason = " | ".join(line.strip() for line in reason.splitlines())
    reason = re.sub(r"'[^']*'", "'…'", reason)
    reason = re.sub(r"\[[\d, ]*\]", "[…]", reason)
    return re.sub(r"\d+ by \d+", "# by #", reason)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--verbose", action="store_true", help="one line per model")
    args = parser.parse_args()
    models = sorted(folder for suite in SUITES for folder in (BACKEND / suite).iterdir())
    counts: Counter[str] = Counter()
    reasons: dict[str, Counter[str]] = {"repaired": Counter(), "refused": Counter()}
    with tempfile.TemporaryDirectory() as tmp:
        for n, folder in enumerate(models):
            kind, said = verdict(folder / "model.onnx", Path(tmp) / str(n))
            counts[kind] += 1
            if said:
                reasons[kind][group(said)] += 1
            if args.verbose:
                print(f"{folder.parent.name}/{folder.name}: {kind} {said}".rstrip(), flush=True)
    print(f"{len(models)} backend models ({', '.join(SUITES)}):")
    for kind in ("as is", "repaired", "refused"):
        print(f"  {kind}: {counts[kind]}")
        for reason, count in reasons.get(kind, Counter()).most_common():
            print(f"    {count} × {reason}")


if __name__ == "__main__":
    main()
