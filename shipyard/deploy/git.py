"""git, run as a tool on the user's repository: the one place deploying calls it, with its
failures turned into `DeployError`s that say what to do."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from shipyard.errors import DeployError, last_line


@dataclass(frozen=True)
class Repo:
    """A git repository, reached from `path`: its work tree or any folder inside it, or a
    bare repository."""

    path: Path

    def run(
        self, *args: str, stdin: str | None = None, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        try:
            return subprocess.run(
                ["git", "-C", str(self.path), *args],
                input=stdin,
                capture_output=True,
                text=True,
                env=os.environ | (env or {}),
                check=False,
            )
        except FileNotFoundError:
            raise DeployError("git is not installed", fix="install git and run again") from None

    def git(
        self, *args: str, stdin: str | None = None, env: dict[str, str] | None = None, fix: str = ""
    ) -> str:
        """git's output, stripped; a failure is a `DeployError` with git's own last line."""
        result = self.run(*args, stdin=stdin, env=env)
        if result.returncode != 0:
            raise DeployError(f"git {args[0]} failed: {last_line(result.stderr)}", file=self.path, fix=fix)
        return result.stdout.strip()

    def commit_of(self, branch: str) -> str | None:
        """The commit `branch` points at, or None when there is no such branch."""
        result = self.run("rev-parse", "-q", "--verify", f"refs/heads/{branch}^{{commit}}")
        return result.stdout.strip() if result.returncode == 0 else None

    def common_dir(self) -> Path:
        """The folder holding the repository's objects (shared by all its work trees)."""
        return (self.path / self.git("rev-parse", "--git-common-dir")).resolve()


def open_repo(path: Path | None) -> Repo:
    """The repository at `path` (`--repo`), or the one the current folder is in."""
    repo = Repo((path or Path.cwd()).absolute())
    key = "--repo" if path else None
    if not repo.path.is_dir():
        raise DeployError("no such folder", file=repo.path, key=key)
    if repo.run("rev-parse", "--git-dir").returncode != 0:
        raise DeployError(
            "is not a git repository",
            file=repo.path,
            key=key,
            fix="run it inside your repository, pass --repo PATH, or make one with `git init`",
        )
    return repo
