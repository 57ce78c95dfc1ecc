"""From the declared requirements to the packages a site ships: pure wheels, and Pyodide's own.

A name Pyodide distributes (any name in the lock of the Pyodide release shipyard
pins, or in the distribution given with --pyodide-packages) always comes from
that distribution, even when a package from the index depends on it: one source
per name keeps the versions Pyodide built and tested together. Every other name
needs a pure-Python wheel on the package index.

Dependencies are walked here, with Pyodide's environment markers (its Python,
sys_platform "emscripten") rather than this machine's. The first version chosen
for a name is kept; a later requirement it does not satisfy is reported, to be
fixed by pinning. Every problem is gathered before one error is raised.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pkginfo
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name
from pyodide_lock import PyodideLockSpec
from pyodide_lock.spec import InfoSpec

from shipyard.errors import Problem
from shipyard.packages.declared import Declared
from shipyard.packages.index_wheels import NoWheel, fetch_pure_wheel, wheel_version
from shipyard.packages.pyodide_dist import OPTION, Distribution, Taken, minor_version, open_distribution, take
from shipyard.site.npm_assets import PYODIDE, ensure_asset


@dataclass(frozen=True)
class Pin:
    name: str
    version: str
    source: str  # "PyPI" (the package index) or "Pyodide"
    needed_by: str = ""

    def describe(self) -> str:
        by = f", for {self.needed_by}" if self.needed_by else ""
        return f"{self.name} {self.version} ({self.source}{by})"


@dataclass(frozen=True)
class SitePackages:
    load: tuple[str, ...] = ()  # what PyScript loads at start; Pyodide follows each lock entry's `depends`
    wheels: tuple[Path, ...] = ()  # pure-Python wheels from the index
    pyodide: Taken = Taken()
    pins: tuple[Pin, ...] = ()
    remote: str | None = None  # where the site fetches Pyodide's packages at run time

    def remote_notice(self) -> str | None:
        """The sentence build output and page use to say the site is not self-contained."""
        if self.remote is None:
            return None
        names = ", ".join(entry.name for entry in self.pyodide.entries)
        return f"The site fetches {names} from {self.remote} at run time."


NO_PACKAGES = SitePackages()


def resolve(declared: Declared, pyodide_packages: str | None) -> SitePackages:
    """Fetch and check everything `declared` needs, before anything is written."""
    if not declared.requirements:
        return NO_PACKAGES
    pinned = PyodideLockSpec.from_json(ensure_asset(PYODIDE) / "pyodide-lock.json")
    distribution = open_distribution(pyodide_packages, pinned) if pyodide_packages else None
    walk = _Walk(pyodide_environment(pinned.info), _distributed(pinned, distribution))
    walk.run(declared.requirements)
    unavailable = [] if distribution else walk.from_pyodide
    problems = walk.problems + [Problem(_where(r, by), "Pyodide distributes it") for r, by in unavailable]
    if problems:
        raise declared.error(problems, _how_to_get(unavailable))
    taken = take(distribution, _names(r for r, _ in walk.from_pyodide)) if distribution else Taken()
    if problems := _version_problems(walk.from_pyodide, taken):
        raise declared.error(problems)
    return SitePackages(
        load=tuple(_names(r for r in declared.requirements if walk.applies(r, {""}))),
        wheels=tuple(chosen.wheel for chosen in walk.chosen.values()),
        pyodide=taken,
        pins=walk.pins() + tuple(Pin(e.name, e.version, "Pyodide") for e in taken.entries),
        remote=distribution.where if distribution and distribution.folder is None else None,
    )


def pyodide_environment(info: InfoSpec) -> dict[str, str]:
    """The values of PEP 508 markers inside Pyodide, for the release whose lock info is `info`."""
    return {
        "implementation_name": "cpython",
        "implementation_version": info.python,
        "os_name": "posix",
        "platform_machine": info.arch,
        "platform_python_implementation": "CPython",
        "platform_release": "",
        "platform_system": "Emscripten",
        "platform_version": "",
        "python_full_version": info.python,
        "python_version": minor_version(info.python),
        "sys_platform": "emscripten",
    }


def _distributed(pinned: PyodideLockSpec, distribution: Distribution | None) -> set[str]:
    mine = distribution.names() if distribution else set()
    return {canonicalize_name(name) for name in pinned.packages} | mine


@dataclass
class _Chosen:
    wheel: Path
    needed_by: str
    depends: list[Requirement]
    extras: set[str] = field(default_factory=set)


class _Walk:
    """Breadth-first over the requirements and their dependencies, one wheel per name."""

    def __init__(self, environment: dict[str, str], distributed: set[str]) -> None:
        self.environment = environment
        self.distributed = distributed
        self.chosen: dict[str, _Chosen] = {}
        self.from_pyodide: list[tuple[Requirement, str]] = []
        self.problems: list[Problem] = []

    def applies(self, requirement: Requirement, extras: set[str]) -> bool:
        marker = requirement.marker
        return marker is None or any(marker.evaluate(self.environment | {"extra": e}) for e in extras)

    def run(self, requirements: tuple[Requirement, ...]) -> None:
        queue = deque((r, "") for r in requirements if self.applies(r, {""}))
        while queue:
            queue.extend(self._visit(*queue.popleft()))

    def _visit(self, requirement: Requirement, needed_by: str) -> list[tuple[Requirement, str]]:
        """Choose a wheel for `requirement`; return the dependencies that brings in."""
        name = canonicalize_name(requirement.name)
        if name in self.distributed:
            self.from_pyodide.append((requirement, needed_by))
            return []
        chosen = self.chosen.get(name)
        if chosen is None:
            chosen = self._choose(requirement, needed_by)
            if chosen is None:
                return []
            new_extras = {"", *requirement.extras}
        else:
            self._check_version(requirement, needed_by, chosen)
            new_extras = set(requirement.extras) - chosen.extras
        chosen.extras |= new_extras
        return [(d, name) for d in chosen.depends if self.applies(d, new_extras)]

    def _choose(self, requirement: Requirement, needed_by: str) -> _Chosen | None:
        where = _where(requirement, needed_by)
        try:
            wheel = fetch_pure_wheel(requirement, self.environment["python_version"])
            depends = [Requirement(text) for text in pkginfo.Wheel(str(wheel)).requires_dist]
        except NoWheel as error:
            self.problems.append(Problem(where, str(error)))
            return None
        except InvalidRequirement as error:
            self.problems.append(
                Problem(where, f"its wheel's metadata holds an invalid requirement ({error})")
            )
            return None
        self.chosen[canonicalize_name(requirement.name)] = _Chosen(wheel, needed_by, depends)
        return self.chosen[canonicalize_name(requirement.name)]

    def _check_version(self, requirement: Requirement, needed_by: str, chosen: _Chosen) -> None:
        version = wheel_version(chosen.wheel)
        if not requirement.specifier.contains(version, prereleases=True):
            first = f" for {chosen.needed_by}" if chosen.needed_by else ""
            reason = f"needs {requirement.specifier}, but {version} was chosen{first}; pin one both accept"
            self.problems.append(Problem(_where(requirement, needed_by), reason))

    def pins(self) -> tuple[Pin, ...]:
        return tuple(
            Pin(name, str(wheel_version(chosen.wheel)), "PyPI", chosen.needed_by)
            for name, chosen in self.chosen.items()
        )


def _where(requirement: Requirement, needed_by: str) -> str:
    return f"{requirement.name} (needed by {needed_by})" if needed_by else requirement.name


def _names(requirements: Iterable[Requirement]) -> list[str]:
    return list(dict.fromkeys(canonicalize_name(r.name) for r in requirements))


def _how_to_get(pyodide_packages: list[tuple[Requirement, str]]) -> str:
    if not pyodide_packages:
        return ""
    return (
        f"pass {OPTION} DIR|URL with a Pyodide {PYODIDE.version} distribution for "
        f"{', '.join(_names(r for r, _ in pyodide_packages))}: a folder, or a URL such as "
        f"https://cdn.jsdelivr.net/pyodide/v{PYODIDE.version}/full/"
    )


def _version_problems(wanted: list[tuple[Requirement, str]], taken: Taken) -> list[Problem]:
    versions = {canonicalize_name(e.name): e.version for e in taken.entries}
    return [
        Problem(_where(r, by), f"needs {r.specifier}, but the Pyodide distribution has {versions[name]}")
        for r, by in wanted
        if not r.specifier.contains(versions[name := canonicalize_name(r.name)], prereleases=True)
    ]
