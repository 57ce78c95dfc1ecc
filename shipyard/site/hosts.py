"""Host presets (`shipyard build --host NAME`): each static host's per-file limit, the files
through which it is told its headers, and how the built folder gets there.

What each host documents, and so what its preset does (read 2026-12):

- GitHub Pages serves a branch of a repository, and GitHub refuses a pushed file over
  100 MiB ("GitHub blocks files larger than 100 MiB"; its pre-receive hook: "exceeds
  GitHub's file size limit of 100.00 MB"). It takes no header settings at all, and runs
  Jekyll on a branch unless the site holds a `.nojekyll` file. A `--threads` site gets its
  cross-origin isolation from the site's own service worker instead (templates/sw.js).
- A Hugging Face static Space is a git repository whose README.md front matter configures
  it (hub-docs, spaces-config-reference.md): `sdk: static`, `app_file`, and
  `custom_headers`, where "only the cross-origin-embedder-policy (COEP),
  cross-origin-opener-policy (COOP), and cross-origin-resource-policy (CORP) headers are
  allowed" and "all headers and values must be lowercase". Its git refuses a binary file
  over 1 MB and any file over 10 MiB outside Git LFS (the Hub's pre-receive hook:
  "Your push was rejected because it contains files larger than 10 MiB"; the 1 MB rule
  for binaries: julien-c in huggingface_hub#687), so every site needs LFS there, if only
  for Pyodide's 9.6 MB wasm: `shipyard deploy hf-space` stores such files as LFS objects
  (see shipyard/deploy/lfs.py). Through LFS a file may reach 50 GB (huggingface_hub's
  upload guide, "a hard limit of 50GB on LFS files"; the Hub's storage-limits page now
  recommends under 200 GB): the preset says so, though no site file comes near it, since a
  model past 4 GiB cannot run in onnxruntime-web's wasm build anyway.
- Netlify reads a `_headers` file at the top of the published folder: a path line, then
  indented `Name: value` lines (docs.netlify.com, "Custom headers"; its parser,
  @netlify/headers-parser, takes a line starting with `/` for a path and splits the others
  at the first `:`). Netlify documents no per-file limit for a deploy (not on its headers,
  limits or Large Media pages; netlify-cli uploads each file whole and checks no size), so
  the preset sets none; `--max-file-size` gives one if a deploy is refused.
- Cloudflare Pages reads the same `_headers` format (at most 100 rules, 2,000 characters a
  line) and refuses a file over 25 MiB ("The maximum file size for a single Cloudflare
  Pages site asset is 25 MiB", developers.cloudflare.com, Pages limits).
- Any other folder or bucket gets the site as it is, with no limit and no host files.

Headers, where a host takes them: cross-origin isolation (COOP same-origin, COEP
require-corp) for a site built with `--threads` above 1, which onnxruntime-web's threads
need; `Cache-Control: public, max-age=0, must-revalidate` on every file, since a site's
file names carry no content hash (`model.onnx` is `model.onnx` after a redeploy): a browser
keeps each file and asks again with its ETag, and gets a 304 while it is unchanged (both
hosts' own default, written down so that a change of theirs cannot serve a new page with an
old model); and the JavaScript and wasm types browsers insist on for module scripts and
streaming compilation.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import yaml

from shipyard.site.manifest import MIME_TYPES

KiB, MiB, GiB = 1024, 1024**2, 1024**3
KB, MB, GB = 10**3, 10**6, 10**9

ISOLATION = {"Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp"}
REVALIDATE = "public, max-age=0, must-revalidate"
CONTENT_TYPES = {f"/*{suffix}": MIME_TYPES[suffix] for suffix in (".mjs", ".wasm")}


@dataclass(frozen=True)
class SiteTraits:
    """What a host's files depend on: the app's title and description, and whether the page
    must be cross-origin isolated (built with `--threads` above 1)."""

    title: str
    description: str | None
    isolated: bool


@dataclass(frozen=True)
class Host:
    name: str  # as `--host` takes it
    label: str  # as the build's summary names it
    max_file_size: int | None  # bytes per file; None: no limit
    upload: str  # how the built folder gets there, with {site} for its path
    files: Callable[[SiteTraits], dict[str, bytes]]  # its own files, by path in the site


def headers_file(traits: SiteTraits) -> dict[str, bytes]:
    """`_headers`, as Netlify and Cloudflare Pages read it: a path, then indented headers."""
    everywhere = {"Cache-Control": REVALIDATE} | (ISOLATION if traits.isolated else {})
    rules = {"/*": everywhere} | {path: {"Content-Type": kind} for path, kind in CONTENT_TYPES.items()}
    blocks = [
        path + "\n" + "".join(f"  {k}: {v}\n" for k, v in headers.items()) for path, headers in rules.items()
    ]
    return {"_headers": "\n".join(blocks).encode()}


def space_readme(traits: SiteTraits) -> dict[str, bytes]:
    """README.md whose front matter makes a Hugging Face Space serve the site as it is."""
    config: dict[str, object] = {"title": traits.title, "sdk": "static", "app_file": "index.html"}
    if traits.isolated:  # keys and values lowercase, as the Hub requires
        config["custom_headers"] = {k.lower(): v for k, v in ISOLATION.items()} | {
            "cross-origin-resource-policy": "cross-origin"  # the Hub's own example: it embeds the Space
        }
    front = yaml.safe_dump(config, sort_keys=False, allow_unicode=True)
    lines = (f"# {traits.title}", traits.description, "Built with shipyard: the model runs in the browser.")
    body = "\n\n".join(line for line in lines if line) + "\n"
    return {"README.md": f"---\n{front}---\n\n{body}".encode()}


def no_jekyll(traits: SiteTraits) -> dict[str, bytes]:
    """`.nojekyll`: GitHub Pages serves the branch as it is instead of running Jekyll on it."""
    return {".nojekyll": b""}


HOSTS: Mapping[str, Host] = {
    host.name: host
    for host in (
        Host("folder", "any folder or bucket", None, "aws s3 sync {site} s3://BUCKET", lambda _: {}),
        Host(
            "github-pages", "GitHub Pages", 100 * MiB, "shipyard deploy github-pages {site} --push", no_jekyll
        ),
        Host(
            "hf-space",
            "a Hugging Face static Space",
            50 * GB,
            "shipyard deploy hf-space {site} --remote https://huggingface.co/spaces/USER/NAME --push",
            space_readme,
        ),
        Host("netlify", "Netlify", None, "netlify deploy --dir {site} --prod", headers_file),
        Host("cloudflare", "Cloudflare Pages", 25 * MiB, "npx wrangler pages deploy {site}", headers_file),
    )
}
DEFAULT_HOST = "folder"

UNITS = {"": 1, "b": 1, "kb": KB, "mb": MB, "gb": GB, "kib": KiB, "mib": MiB, "gib": GiB}
_SIZE = re.compile(r"(\d+(?:\.\d+)?)\s*([a-z]*)")


def parse_size(text: str) -> int:
    """Bytes from `25MiB`, `100MB`, `5GB`, `1.5 GiB` or a plain number of bytes; a unit is
    decimal (MB) or binary (MiB) as written. Raises ValueError with the reason."""
    match = _SIZE.fullmatch(text.strip().lower())
    if not match or match[2] not in UNITS:
        raise ValueError(
            f"{text!r} is not a size: give bytes, or a number with B, KB, MB, GB, KiB, MiB or GiB"
        )
    size = int(float(match[1]) * UNITS[match[2]])
    if size < 1:
        raise ValueError(f"{text!r} is not a size of at least 1 byte")
    return size


def describe_size(size: int) -> str:
    """`100 MiB` when the size is a whole number of a binary unit, else in the largest decimal
    unit it reaches: `50 GB`, `9.6 MB`, `137.5 KB`."""
    binary = next(
        ((unit, name) for unit, name in ((GiB, "GiB"), (MiB, "MiB"), (KiB, "KiB")) if size >= unit), None
    )
    if binary and size % binary[0] == 0:
        return f"{size // binary[0]} {binary[1]}"
    for unit, name in ((GB, "GB"), (MB, "MB"), (KB, "KB")):
        if size >= unit:
            return f"{size // unit} {name}" if size % unit == 0 else f"{size / unit:.1f} {name}"
    return f"{size} bytes"
