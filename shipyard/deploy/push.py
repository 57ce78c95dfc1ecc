"""Where a deploy is pushed (a remote's name, or a URL or path), and the push itself, with
git's refusals in words."""

from __future__ import annotations

import re

from shipyard.deploy.git import Repo
from shipyard.errors import DeployError, last_line

_URL = re.compile(r"^[a-z][a-z0-9+.-]*://|^[\w.-]+@[\w.-]+:", re.IGNORECASE)  # scheme://, or user@host:


def resolve_remote(repo: Repo, remote: str) -> str:
    """`remote` as git takes it: a remote's name, a URL, or the path of a repository."""
    if (
        repo.run("remote", "get-url", remote).returncode == 0
        or _URL.match(remote)
        or (repo.path / remote).exists()
    ):
        return remote
    names = repo.git("remote").split()
    known = f"this repository has {', '.join(names)}" if names else "this repository has none"
    raise DeployError(
        f"no such remote '{remote}' ({known})",
        file=repo.path,
        key="--remote",
        fix="pass the name of one (`git remote -v` lists them), or a URL",
    )


def push(repo: Repo, remote: str, branch: str, served: str, force: bool) -> None:
    """Push the local `branch` to the remote's `served` branch."""
    refspec = f"{'+' if force else ''}refs/heads/{branch}:refs/heads/{served}"
    result = repo.run("push", remote, refspec)
    if result.returncode == 0:
        return
    rejected = [line.strip() for line in result.stderr.splitlines() if "rejected]" in line]
    if not rejected:
        raise DeployError(f"cannot push to it: {last_line(result.stderr)}", file=remote)
    said = [
        line[len("remote:") :].strip() for line in result.stderr.splitlines() if line.startswith("remote:")
    ]
    reasons = [line for line in said if line.strip("-= ")]
    raise DeployError(
        "; ".join(["the push was rejected: " + rejected[0], *reasons[:6]]),
        file=remote,
        fix=_rejection_fix(rejected[0], remote, branch, served),
    )


def push_lfs(repo: Repo, remote: str, branch: str) -> None:
    """Upload the LFS objects `branch` points to, before git pushes the pointers."""
    result = repo.run("lfs", "push", _lfs_endpoint(repo, remote), branch)
    if result.returncode != 0:
        raise DeployError(f"git lfs push failed: {last_line(result.stderr)}", file=remote)


def _lfs_endpoint(repo: Repo, remote: str) -> str:
    """`remote` as git-lfs reaches it: git-lfs takes a repository on this machine as a file://
    URL only (as a path, git-lfs 3.3 fails with a bare `EOF`)."""
    named = repo.run("remote", "get-url", remote)
    url = named.stdout.strip() if named.returncode == 0 else remote
    return url if _URL.match(url) else (repo.path / url).resolve().as_uri()


def has_git_lfs(repo: Repo) -> bool:
    return repo.run("lfs", "version").returncode == 0


def _rejection_fix(rejected: str, remote: str, branch: str, served: str) -> str:
    if "remote rejected" in rejected:
        return "the remote said why above"
    return (
        f"the remote's {served} holds commits that your {branch} does not: take them with "
        f"`git fetch {remote} +{served}:{branch}` and deploy again, or pass --force to replace them"
    )
