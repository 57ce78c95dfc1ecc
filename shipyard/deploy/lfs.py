"""Git LFS for a Hugging Face Space, without git-lfs: a file the Hub refuses in plain git is
committed as an LFS pointer, its bytes stored where git-lfs pushes objects from.

The Hub's git takes no binary file over 1 MB and no file over 10 MiB outside LFS (see
`shipyard.site.hosts`), and a site always holds such files (Pyodide's wasm is 9.6 MB, its
start-up snapshot 6.6 MB). Every file over 1,000,000 bytes goes through LFS, text or not:
LFS takes a file of any kind, and so the rule holds whichever megabyte the Hub means.
Pushing the objects needs git-lfs (`git lfs push`); committing does not, so a commit made
here can be pushed later by a machine that has it.

A pointer is git-lfs's (https://github.com/git-lfs/git-lfs/blob/main/docs/spec.md): three
lines, `version`, `oid sha256:<hex>` and `size <bytes>`; the object lives in
`<git dir>/lfs/objects/<oid[0:2]>/<oid[2:4]>/<oid>`, and `.gitattributes` names each
tracked path with `filter=lfs diff=lfs merge=lfs -text`, as `git lfs track` writes it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Mapping
from pathlib import Path

THRESHOLD = 1_000_000  # bytes: a larger file goes through LFS
SPEC = "https://git-lfs.github.com/spec/v1"
ATTRIBUTES = ".gitattributes"


def pointer(oid: str, size: int) -> bytes:
    return f"version {SPEC}\noid sha256:{oid}\nsize {size}\n".encode()


def through_lfs(files: Mapping[str, Path], objects: Path, scratch: Path) -> tuple[dict[str, Path], list[str]]:
    """`files` with each one over THRESHOLD replaced by its pointer (written into `scratch`,
    its bytes stored under `objects`), and `.gitattributes` tracking them; and their paths."""
    tracked = [path for path, file in files.items() if file.stat().st_size > THRESHOLD]
    entries = dict(files)
    for number, path in enumerate(tracked):
        entries[path] = scratch / f"{number}.pointer"
        entries[path].write_bytes(_store(files[path], objects))
    if tracked:
        entries[ATTRIBUTES] = scratch / "gitattributes"
        entries[ATTRIBUTES].write_text(
            "".join(f"{path} filter=lfs diff=lfs merge=lfs -text\n" for path in tracked)
        )
    return entries, tracked


def _store(file: Path, objects: Path) -> bytes:
    """Store `file` as an LFS object; its pointer."""
    with file.open("rb") as source:
        oid = hashlib.file_digest(source, "sha256").hexdigest()
    target = objects / oid[:2] / oid[2:4] / oid
    if not target.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".partial")
        shutil.copyfile(file, partial)
        os.replace(partial, target)
    return pointer(oid, file.stat().st_size)
