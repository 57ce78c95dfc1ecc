"""What `shipyard verify` found, as lines a person reads or as JSON."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from shipyard.verify.compare import OutputCheck, Tolerance


@dataclass
class Report:
    """What `shipyard verify` found; `passed` decides its exit code."""

    site: str
    seed: int
    tolerance: Tolerance
    input_sets: list[str]
    outputs: list[OutputCheck] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # runs that failed on one side only
    foreign_requests: list[str] = field(default_factory=list)
    reference: str | None = None  # the model onnxruntime ran, when not the site's own (`--model`)
    page_status: str | None = None  # a --gpu page's status line: WebGPU or the CPU, and why

    @property
    def passed(self) -> bool:
        return (
            bool(self.outputs)
            and not self.errors
            and not self.foreign_requests
            and all(o.passed for o in self.outputs)
        )


def report_text(report: Report) -> str:
    """The report as lines a person reads: one per output, then PASS or FAIL."""
    sets = f"{len(report.input_sets)} input sets ({_describe_sets(report.input_sets)}; seed {report.seed})"
    lines = [f"{report.site}: {sets}"]
    if report.reference:
        lines.append(f"  compared with {report.reference}")
    if report.page_status:
        lines.append(f"  the page says: {report.page_status}")
    width = max((len(o.name) for o in report.outputs), default=0)
    for o in report.outputs:
        lines.append(f"  {o.name:<{width}}  {o.dtype:<7}  {_output_line(o, report.tolerance)}")
    lines += [f"  error: {error}" for error in report.errors]
    if report.foreign_requests:
        lines.append("  requests that left the site's origin:")
        lines += [f"    {url}" for url in report.foreign_requests]
    else:
        lines.append("  no request left the site's origin")
    lines.append("PASS" if report.passed else "FAIL")
    return "\n".join(lines)


def _output_line(check: OutputCheck, tol: Tolerance) -> str:
    verdict = "ok" if check.passed else f"FAIL: {check.mismatches} mismatched, first {check.first_mismatch}"
    if check.is_float:
        limits = f"(rtol {tol.rtol:g}, atol {tol.atol:g})"
        return f"max abs diff {check.max_abs:.3g}  max rel diff {check.max_rel:.3g} {limits}  {verdict}"
    return f"{check.compared - check.mismatches} of {check.compared} values equal  {verdict}"


def _describe_sets(labels: list[str]) -> str:
    examples = sum(label.startswith("example") for label in labels)
    randoms = sum(label.startswith("random") for label in labels)
    parts = ["defaults"] if "defaults" in labels else []
    parts += [f"{examples} examples"] if examples else []
    return ", ".join([*parts, f"{randoms} random"])


def report_dict(report: Report) -> dict[str, Any]:
    """The report for `--json`."""
    return {
        "site": report.site,
        "reference": report.reference,
        "page_status": report.page_status,
        "passed": report.passed,
        "seed": report.seed,
        "rtol": report.tolerance.rtol,
        "atol": report.tolerance.atol,
        "input_sets": report.input_sets,
        "outputs": [_output_dict(o) for o in report.outputs],
        "errors": report.errors,
        "foreign_requests": report.foreign_requests,
    }


def _output_dict(check: OutputCheck) -> dict[str, Any]:
    data: dict[str, Any] = {"name": check.name, "type": check.dtype, "passed": check.passed}
    if check.is_float:
        data |= {"max_abs_diff": check.max_abs, "max_rel_diff": check.max_rel}
    return data | {
        "compared": check.compared,
        "mismatches": check.mismatches,
        "first_mismatch": check.first_mismatch,
    }
