"""A folder committed to a branch the way ghp-import does it: a new commit whose tree is
exactly the folder, whose parent is the branch's previous commit, made with git's plumbing
in a temporary index, so that the user's work tree, index and current branch are untouched."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from shipyard.deploy.git import Repo
from shipyard.errors import DeployError

IDENTITY = "tell git who commits: git config --global user.name NAME; git config --global user.email EMAIL"


@dataclass(frozen=True)
class Commit:
    sha: str
    parent: str | None  # the branch's commit before this one; None for a new branch
    files: int


def commit_files(repo: Repo, files: Mapping[str, Path], branch: str, message: str) -> Commit:
    """Commit `files` (by path in the tree: the file whose bytes it holds) as the whole tree
    of a new commit on `branch`, and move the branch to it."""
    _refuse_checked_out(repo, branch)
    paths = sorted(files)
    stdin = "".join(f"{files[path]}\n" for path in paths)
    # --no-filters: the bytes as they are, whatever attributes (end of lines, LFS) the repository sets
    blobs = repo.git("hash-object", "-w", "--no-filters", "--stdin-paths", stdin=stdin).split()
    entries = "".join(
        f"{_mode(files[path])} {blob}\t{path}\0" for path, blob in zip(paths, blobs, strict=True)
    )
    with tempfile.TemporaryDirectory() as scratch:
        index = {"GIT_INDEX_FILE": str(Path(scratch) / "index")}  # never the user's index
        repo.git("update-index", "--add", "-z", "--index-info", stdin=entries, env=index)
        tree = repo.git("write-tree", env=index)
    parent = repo.commit_of(branch)
    sha = repo.git("commit-tree", tree, *(("-p", parent) if parent else ()), "-m", message, fix=IDENTITY)
    # the old value guards against another process moving the branch meanwhile ("" : must not exist)
    repo.git("update-ref", "-m", message, f"refs/heads/{branch}", sha, parent or "")
    return Commit(sha, parent, len(paths))


def _mode(file: Path) -> str:
    return "100755" if os.access(file, os.X_OK) else "100644"


def _refuse_checked_out(repo: Repo, branch: str) -> None:
    """Moving a branch that a work tree has checked out would leave its files behind the branch."""
    worktree = repo.git("for-each-ref", "--format=%(worktreepath)", f"refs/heads/{branch}")
    if worktree:
        raise DeployError(
            f"the branch {branch} is checked out in {worktree}: deploying would move it under its files",
            key="--branch",
            fix=f"switch that work tree to another branch, or deploy to another branch than {branch}",
        )
