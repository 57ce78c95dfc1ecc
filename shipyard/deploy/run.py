"""`shipyard deploy HOST SITE`: the site committed to a branch and, with `--push`, pushed.

GitHub Pages serves a branch (gh-pages by convention) as it is. A Hugging Face Space serves
its `main`; the site is committed to a local branch of another name (`hf-space`), since the
repository it is deployed from is usually the project's own, whose `main` is its code.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from shipyard import __version__
from shipyard.deploy.branch import Commit, commit_files
from shipyard.deploy.git import Repo, open_repo
from shipyard.deploy.lfs import through_lfs
from shipyard.deploy.push import has_git_lfs, push, push_lfs, resolve_remote
from shipyard.errors import DeployError
from shipyard.site.hosts import HOSTS
from shipyard.site.layout import ENTRY, site_files


@dataclass(frozen=True)
class GitHost:
    name: str  # the `--host` preset it takes sites of
    branch: str  # the local branch a site is committed to, unless --branch says another
    served: str | None  # the remote branch the host serves; None: the local branch's name
    marker: str  # a file the preset writes: a site without it was built for another host
    lfs: bool  # large files go through Git LFS


GIT_HOSTS = {
    host.name: host
    for host in (
        GitHost("github-pages", "gh-pages", None, ".nojekyll", lfs=False),
        GitHost("hf-space", "hf-space", "main", "README.md", lfs=True),
    )
}


@dataclass(frozen=True)
class DeployOptions:
    repo: Path | None = None  # None: the repository the current folder is in
    remote: str = "origin"
    branch: str | None = None  # None: the host's
    push: bool = False
    force: bool = False  # push even over commits the remote has and the branch does not
    message: str | None = None


@dataclass(frozen=True)
class Deployed:
    commit: Commit
    repo: Path
    branch: str
    lfs: tuple[str, ...]  # the paths stored as LFS objects
    pushed: str | None  # `remote branch` when pushed


def deploy(host_name: str, site: Path, options: DeployOptions) -> Deployed:
    host = GIT_HOSTS[host_name]
    _check_site(site, host)
    repo = open_repo(options.repo)
    branch = options.branch or host.branch
    served = host.served or branch
    remote = resolve_remote(repo, options.remote) if options.push else options.remote
    message = options.message or f"Deploy {site.name}, built by shipyard {__version__}"
    with tempfile.TemporaryDirectory() as scratch:
        files, lfs = _tree(site, host, repo, Path(scratch))
        if lfs and options.push and not has_git_lfs(repo):
            raise DeployError(
                f"git-lfs is not installed; a Space takes files over 1 MB only through Git LFS ({lfs[0]})",
                fix="install git-lfs (Debian: apt-get install git-lfs) and deploy again, or leave out --push",
            )
        commit = commit_files(repo, files, branch, message)
    if options.push:
        if lfs:
            push_lfs(repo, remote, branch)
        push(repo, remote, branch, served, options.force)
    return Deployed(commit, repo.path, branch, tuple(lfs), f"{remote} {served}" if options.push else None)


def _tree(site: Path, host: GitHost, repo: Repo, scratch: Path) -> tuple[dict[str, Path], list[str]]:
    """The files of the commit's tree, by path; and those that are LFS pointers there."""
    files = site_files(site)
    return through_lfs(files, repo.common_dir() / "lfs" / "objects", scratch) if host.lfs else (files, [])


def _check_site(site: Path, host: GitHost) -> None:
    if not (site / ENTRY).is_file():
        raise DeployError(
            f"holds no {ENTRY}: it is not a site shipyard built",
            file=site,
            fix="build one with `shipyard build`",
        )
    if not (site / host.marker).is_file():
        raise DeployError(
            f"was not built for {HOSTS[host.name].label} (it holds no {host.marker})",
            file=site,
            fix=f"build it with `shipyard build ... --host {host.name}`",
        )
