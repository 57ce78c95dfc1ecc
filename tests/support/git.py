"""Real git repositories for the deploy tests: a user's repository with work in progress,
and bare repositories as remotes."""

from __future__ import annotations

import subprocess
from pathlib import Path


def git(repo: Path, *args: str) -> str:
    """`git -C repo ARGS`'s output, stripped; fails the test on an error."""
    result = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def user_repo(path: Path) -> Path:
    """A repository with one commit, a staged change and an unstaged one, as a user's is."""
    subprocess.run(["git", "init", "-q", "-b", "main", str(path)], check=True)
    for key, value in (
        ("user.name", "Tester"),
        ("user.email", "tester@example.com"),
        ("commit.gpgsign", "false"),
    ):
        git(path, "config", key, value)
    (path / "app.py").write_text("print('hello')\n")
    git(path, "add", "app.py")
    git(path, "commit", "-q", "-m", "the user's own work")
    (path / "app.py").write_text("print('hello, world')\n")  # unstaged
    (path / "notes.txt").write_text("staged\n")
    git(path, "add", "notes.txt")
    return path


def bare_repo(path: Path) -> Path:
    subprocess.run(["git", "init", "-q", "--bare", str(path)], check=True)
    return path


def state(repo: Path) -> tuple[str, ...]:
    """What deploying must leave alone: HEAD, the index, the work tree's changes and files."""
    files = "\n".join(sorted(str(p.relative_to(repo)) for p in repo.rglob("*") if ".git" not in p.parts))
    index, changes = git(repo, "ls-files", "-s"), git(repo, "diff")
    return git(repo, "symbolic-ref", "HEAD"), git(repo, "rev-parse", "HEAD"), index, changes, files
