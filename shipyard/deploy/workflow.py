"""`shipyard init-workflow`: a GitHub Actions workflow that builds the site from the model in
the repository on every push and deploys it with the official Pages actions.

The actions are pinned to the major versions GitHub's own starter workflow for Pages pins
(actions/starter-workflows, pages/static.yml, read 2026-06): checkout v4, configure-pages
v5, upload-pages-artifact v3, deploy-pages v5; setup-python v5, setup-node v4 and cache v4
as its other starter workflows do. The build needs Python for shipyard and Node.js for
onnxruntime-web's check at build time; its asset cache is kept between runs.
"""

from __future__ import annotations

import shlex
from pathlib import Path

from shipyard import __version__
from shipyard.deploy.git import open_repo
from shipyard.errors import DeployError

WORKFLOW = Path(".github/workflows/shipyard.yml")
OUTPUT = "_site"  # the folder the build writes, inside the runner's checkout
ACTIONS = {
    "checkout": "actions/checkout@v4",
    "setup-python": "actions/setup-python@v5",
    "setup-node": "actions/setup-node@v4",
    "cache": "actions/cache@v4",
    "configure-pages": "actions/configure-pages@v5",
    "upload-pages-artifact": "actions/upload-pages-artifact@v3",
    "deploy-pages": "actions/deploy-pages@v5",
}
INSTALL = f"shipyard=={__version__}"  # the version that wrote the workflow

TEMPLATE = """\
# Written by `shipyard init-workflow`: builds the site from the model on every push to {branch}
# and deploys it to GitHub Pages (Settings > Pages > Source: GitHub Actions).
name: Deploy the shipyard site to GitHub Pages

on:
  push:
    branches: [{branch}]
  workflow_dispatch:

permissions:
  contents: read
  pages: write
  id-token: write

# One deployment at a time; a run in progress finishes.
concurrency:
  group: pages
  cancel-in-progress: false

jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - name: Check out the repository (and its LFS files, where the model may be)
        uses: {checkout}
        with:
          lfs: true
      - uses: {setup-python}
        with:
          python-version: "3.12"
      - uses: {setup-node}
        with:
          node-version: "20"
      - name: Keep shipyard's downloads between runs
        uses: {cache}
        with:
          path: ~/.cache/shipyard
          key: shipyard-{version}
      - name: Install shipyard
        run: pip install "{install}"
      - name: Build the site
        run: |
          {build}
      - uses: {configure-pages}
      - uses: {upload-pages-artifact}
        with:
          path: {output}

  deploy:
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: ${{{{ steps.deployment.outputs.page_url }}}}
    steps:
      - name: Deploy to GitHub Pages
        id: deployment
        uses: {deploy-pages}
"""


def workflow_text(model: str, metadata: str | None, branch: str) -> str:
    """The workflow for `model` (and `metadata`), paths relative to the repository's top."""
    build = ["shipyard", "build", model, *(["--metadata", metadata] if metadata else [])]
    build += ["--output", OUTPUT, "--host", "github-pages"]
    return TEMPLATE.format_map(
        ACTIONS
        | {"branch": branch, "version": __version__, "install": INSTALL, "output": OUTPUT}
        | {"build": shlex.join(build)}
    )


def write_workflow(model: Path, metadata: Path | None, repo_path: Path | None, force: bool) -> Path:
    """Write the workflow into the repository's `.github/workflows`; its path."""
    repo = open_repo(repo_path)
    top = Path(repo.git("rev-parse", "--show-toplevel", fix="run it in a work tree, not a bare repository"))
    target = top / WORKFLOW
    if target.exists() and not force:
        raise DeployError("exists already", file=target, fix="pass --force to replace it")
    branch = repo.run("symbolic-ref", "--short", "-q", "HEAD").stdout.strip() or "main"
    text = workflow_text(_inside(top, model), _inside(top, metadata) if metadata else None, branch)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text)
    return target


def _inside(top: Path, path: Path) -> str:
    """`path` relative to the repository's top, as the runner's checkout has it."""
    try:
        return path.resolve().relative_to(top.resolve()).as_posix()
    except ValueError:
        raise DeployError(
            f"is outside the repository {top}, so the workflow's checkout would not have it", file=path
        ) from None
