"""Figures gathered over runs, printed as medians with their min-max, and the issue's
targets as ratios of medians, met or NOT met."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

WIDTH = 48  # of a figure's name


@dataclass
class Samples:
    """Figures by name, one value per run."""

    values: dict[str, list[float]] = field(default_factory=dict)

    def add(self, name: str, value: float | None) -> None:
        if value is not None:
            self.values.setdefault(name, []).append(value)

    def median(self, name: str) -> float:
        return statistics.median(self.values[name])

    def line(self, name: str, unit: str, scale: float = 1.0) -> str:
        got = self.values.get(name)
        if not got:
            return f"  {name:<{WIDTH}} (not measured)"
        low, mid, high = min(got) * scale, statistics.median(got) * scale, max(got) * scale
        return f"  {name:<{WIDTH}} {mid:10.2f} {unit:<6} ({low:.2f}–{high:.2f}, {len(got)} runs)"


def _verdict(value: float, target: float | None) -> str:
    return f"  (target ≤ {target:g}: {'met' if value <= target else 'NOT met'})" if target else ""


def ratio(samples: Samples, top: str, bottom: str, target: float | None = None) -> str:
    """`top`'s median over `bottom`'s, against `target`; empty when either is unmeasured."""
    if top not in samples.values or bottom not in samples.values:
        return ""
    value = samples.median(top) / samples.median(bottom)
    return f"  {top} / {bottom}: {value:.2f}{_verdict(value, target)}"


def at_most(samples: Samples, name: str, target: float, over: str | None = None) -> str:
    """`name`'s median against an absolute `target` (plus `over`'s median, when given)."""
    if name not in samples.values or (over and over not in samples.values):
        return ""
    limit = target + (samples.median(over) if over else 0)
    given = f"{over} + {target:g}" if over else f"{target:g}"
    verdict = "met" if samples.median(name) <= limit else "NOT met"
    return f"  {name}: {samples.median(name):.1f}  (target ≤ {given} = {limit:.1f}: {verdict})"


def print_all(samples: Samples) -> None:
    for name in samples.values:
        unit = next((u for u in ("rows/s", "MB", "µs", "requests") if u in name), "ms")
        print(samples.line(name, unit))


def print_lines(lines: list[str]) -> None:
    for line in lines:
        if line:
            print(line)
