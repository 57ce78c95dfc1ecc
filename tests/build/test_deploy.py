"""`shipyard deploy` on real built sites, against bare repositories as remotes: GitHub Pages
(a gh-pages branch, as ghp-import makes it) and a Hugging Face Space (its main, with LFS
pointers); and a build whose file is over the host's limit."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
import yaml

from shipyard.build import build_site
from shipyard.deploy.lfs import THRESHOLD
from shipyard_runtime.names import FILES
from tests.support.cli import run
from tests.support.git import bare_repo, git, state, user_repo
from tests.support.sites import EXAMPLES

HOUSING = EXAMPLES / "housing"
MODEL, METADATA = str(HOUSING / "model.onnx"), str(HOUSING / "metadata.yml")


@pytest.fixture(scope="module")
def pages_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("pages") / "site"
    build_site(HOUSING / "model.onnx", HOUSING / "metadata.yml", output, host="github-pages")
    return output


@pytest.fixture(scope="module")
def space_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("space") / "site"
    build_site(HOUSING / "model.onnx", HOUSING / "metadata.yml", output, threads=2, host="hf-space")
    return output


def site_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def tree(repo: Path, ref: str) -> dict[str, bytes]:
    """Every file of `ref`'s tree with its bytes."""
    names = git(repo, "ls-tree", "-r", "--name-only", ref).splitlines()
    return {name: git_bytes(repo, f"{ref}:{name}") for name in names}


def git_bytes(repo: Path, blob: str) -> bytes:
    import subprocess

    return subprocess.run(
        ["git", "-C", str(repo), "cat-file", "blob", blob], capture_output=True, check=True
    ).stdout


def test_deploying_twice_commits_the_site_on_its_last_deploy_and_pushes_it(
    pages_site: Path, tmp_path: Path
) -> None:
    repo, remote = user_repo(tmp_path / "project"), bare_repo(tmp_path / "remote.git")
    before = state(repo)
    code, out = run(
        "deploy", "github-pages", str(pages_site), "--repo", str(repo), "--remote", str(remote), "--push"
    )
    assert code == 0, out
    first = git(repo, "rev-parse", "gh-pages")
    assert f"to gh-pages in {repo}: {first[:7]}, the branch's first" in out
    code, out = run(
        "deploy", "github-pages", str(pages_site), "--repo", str(repo), "--remote", str(remote), "--push"
    )
    assert code == 0, out
    second = git(repo, "rev-parse", "gh-pages")
    assert git(repo, "rev-parse", "gh-pages^") == first and second != first
    assert tree(repo, "gh-pages") == site_files(pages_site)  # the site, exactly
    assert ".nojekyll" in tree(repo, "gh-pages")
    assert state(repo) == before  # the user's branch, index and work tree
    assert git(remote, "rev-parse", "gh-pages") == second


def test_it_works_from_inside_the_repository(
    pages_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = user_repo(tmp_path / "project")
    (repo / "docs").mkdir()
    monkeypatch.chdir(repo / "docs")
    code, out = run("deploy", "github-pages", str(pages_site), "--branch", "site", "-m", "Publish the demo")
    assert code == 0, out
    assert git(repo, "log", "-1", "--format=%s", "site") == "Publish the demo"
    assert "Push it with --push." in out


def test_without_a_repository_or_remote_it_says_so(pages_site: Path, tmp_path: Path) -> None:
    code, out = run("deploy", "github-pages", str(pages_site), "--repo", str(tmp_path))
    assert code == 2 and f"{tmp_path}: --repo: is not a git repository" in out and "Traceback" not in out
    repo = user_repo(tmp_path / "project")
    code, out = run(
        "deploy", "github-pages", str(pages_site), "--repo", str(repo), "--remote", "upstream", "--push"
    )
    assert code == 2 and "no such remote 'upstream' (this repository has none)" in out
    assert git(repo, "branch", "--list", "gh-pages") == ""  # refused before committing


def test_a_rejected_push_says_how_to_go_on(pages_site: Path, tmp_path: Path) -> None:
    repo, remote = user_repo(tmp_path / "project"), bare_repo(tmp_path / "remote.git")
    git(repo, "remote", "add", "origin", str(remote))
    git(repo, "push", "-q", "origin", "main:gh-pages")  # the remote's gh-pages has history of its own
    code, out = run("deploy", "github-pages", str(pages_site), "--repo", str(repo), "--push")
    assert code == 2 and "origin: the push was rejected: ! [rejected]" in out
    assert "git fetch origin +gh-pages:gh-pages" in out and "--force" in out
    code, out = run("deploy", "github-pages", str(pages_site), "--repo", str(repo), "--push", "--force")
    assert code == 0, out
    assert git(remote, "rev-parse", "gh-pages") == git(repo, "rev-parse", "gh-pages")


def test_a_folder_that_is_no_site_for_the_host_is_refused(pages_site: Path, tmp_path: Path) -> None:
    repo = user_repo(tmp_path / "project")
    code, out = run("deploy", "github-pages", str(tmp_path), "--repo", str(repo))
    assert code == 2 and f"{tmp_path}: holds no shipyard.js: it is not a site shipyard built" in out
    other = shutil.copytree(pages_site, tmp_path / "other")
    (other / ".nojekyll").unlink()
    code, out = run("deploy", "github-pages", str(other), "--repo", str(repo))
    assert code == 2 and "was not built for GitHub Pages (it holds no .nojekyll)" in out
    assert "--host github-pages" in out
    code, out = run("deploy", "hf-space", str(pages_site), "--repo", str(repo))
    assert code == 2 and "was not built for a Hugging Face static Space (it holds no README.md)" in out


def test_a_space_gets_its_readme_and_lfs_pointers_on_its_main(space_site: Path, tmp_path: Path) -> None:
    config = yaml.safe_load((space_site / "README.md").read_text().split("---\n")[1])
    assert config["sdk"] == "static" and (space_site / config["app_file"]).is_file()
    assert config["custom_headers"]["cross-origin-embedder-policy"] == "require-corp"  # built with threads
    repo = user_repo(tmp_path / "project")
    code, out = run("deploy", "hf-space", str(space_site), "--repo", str(repo))
    assert code == 0, out
    committed, files = tree(repo, "hf-space"), site_files(space_site)
    large = sorted(path for path, content in files.items() if len(content) > THRESHOLD)
    assert FILES.pyodide_wasm in large and f"{len(large)} files over 1 MB are Git LFS objects" in out
    attributes = committed.pop(".gitattributes").decode().splitlines()
    assert attributes == [f"{path} filter=lfs diff=lfs merge=lfs -text" for path in large]
    assert set(committed) == set(files)
    for path in large:
        oid = hashlib.sha256(files[path]).hexdigest()
        version, pointer_oid, size = committed[path].decode().splitlines()
        assert (version, pointer_oid, size) == (
            "version https://git-lfs.github.com/spec/v1",
            f"oid sha256:{oid}",
            f"size {len(files[path])}",
        )
        assert (repo / ".git" / "lfs" / "objects" / oid[:2] / oid[2:4] / oid).read_bytes() == files[path]
    assert {p: c for p, c in committed.items() if p not in large} == {
        p: c for p, c in files.items() if p not in large
    }


def test_pushing_to_a_space_without_git_lfs_says_to_install_it(space_site: Path, tmp_path: Path) -> None:
    repo, remote = user_repo(tmp_path / "project"), bare_repo(tmp_path / "space.git")
    bin_folder = tmp_path / "bin"  # git alone on PATH: no git-lfs
    bin_folder.mkdir()
    git_path = shutil.which("git")
    assert git_path
    (bin_folder / "git").symlink_to(git_path)
    args = ("deploy", "hf-space", str(space_site), "--repo", str(repo), "--remote", str(remote), "--push")
    code, out = run(*args, env={"PATH": str(bin_folder)})
    assert code == 2 and "git-lfs is not installed; a Space takes files over 1 MB only through Git LFS" in out
    assert git(remote, "branch", "--list") == ""


@pytest.mark.skipif(shutil.which("git-lfs") is None, reason="git-lfs is not installed (Debian: git-lfs)")
def test_with_git_lfs_a_clone_of_the_space_holds_the_site(space_site: Path, tmp_path: Path) -> None:
    repo, remote = user_repo(tmp_path / "project"), bare_repo(tmp_path / "space.git")
    code, out = run(
        "deploy", "hf-space", str(space_site), "--repo", str(repo), "--remote", str(remote), "--push"
    )
    assert code == 0, out
    assert f"Pushed to {remote} main." in out
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "-b", "main", remote.as_uri(), str(clone))
    cloned = site_files(clone)
    del cloned[".gitattributes"]
    assert {p: c for p, c in cloned.items() if not p.startswith(".git/")} == site_files(space_site)


def test_a_file_over_the_hosts_limit_fails_the_build_and_keeps_the_site(
    pages_site: Path, tmp_path: Path
) -> None:
    output = shutil.copytree(pages_site, tmp_path / "site")
    before = site_files(output)
    args = ("build", MODEL, "--metadata", METADATA, "--output", str(output), "--host", "github-pages")
    code, out = run(*args, "--max-file-size", "100KB")
    assert code == 2 and "Traceback" not in out
    assert "over the host's limit of 100,000, and cannot be split" in out  # a file the browser loads
    assert site_files(output) == before
    assert [p.name for p in tmp_path.iterdir()] == ["site"]  # no staging folder left
