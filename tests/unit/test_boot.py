"""The page's Python start imports the runtime a module a task (runtime/boot.py): its list
holds every module of the runtime, each after the modules it imports, so that no step
imports another's modules with its own (one task would then do the work of several)."""

from __future__ import annotations

import ast
from pathlib import Path

RUNTIME = Path(__file__).resolve().parents[2] / "runtime"


def listed() -> list[str]:
    tree = ast.parse((RUNTIME / "boot.py").read_text())
    (modules,) = [
        node.value
        for node in tree.body
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "MODULES" for t in node.targets)
    ]
    return list(ast.literal_eval(modules))


def imported_by(name: str) -> set[str]:
    """The runtime modules `name` imports (`from .x import ...` and `from . import x`)."""
    found = set()
    for node in ast.walk(ast.parse((RUNTIME / f"{name}.py").read_text())):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            found |= {node.module} if node.module else {alias.name for alias in node.names}
    return found


def test_the_list_holds_every_module_of_the_runtime_but_the_start_itself() -> None:
    modules = {path.stem for path in RUNTIME.glob("*.py")} - {"__init__", "boot"}
    assert sorted(listed()) == sorted(modules)


def test_each_module_comes_after_those_it_imports() -> None:
    order = listed()
    late = {name: [d for d in imported_by(name) if order.index(d) > order.index(name)] for name in order}
    assert {name: sorted(deps) for name, deps in late.items() if deps} == {}
