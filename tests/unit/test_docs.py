"""The README's first commands are the ones CI runs."""

from __future__ import annotations

from tests.support.sites import ROOT


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text().splitlines()
    commands = [line.strip() for line in readme[:12] if line.startswith("    ")]
    assert len(commands) == 2
    ci = (ROOT / ".ci" / "run").read_text().strip().splitlines()
    assert ci[-1] == commands[1]
    assert "shipyard build examples/housing" in commands[0] and "shipyard serve dist" in commands[0]
