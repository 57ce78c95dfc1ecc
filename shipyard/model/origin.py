"""What a quantized site's model was made from, and the check that a file is that original.

A `--quantize` build leaves `quantized.json` in the site: the mode, the sizes before and
after, and the original's files (its `.onnx`, then the files its weights are in) by name
and sha256. `shipyard verify --model ORIGINAL` compares the site with the original, so
that the report shows what quantizing cost, and refuses a file whose bytes differ.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from shipyard.errors import VerifyError, os_reason
from shipyard.site.layout import QUANTIZED


@dataclass(frozen=True)
class SourceFile:
    name: str  # relative to the original's folder
    sha256: str


@dataclass(frozen=True)
class Quantized:
    mode: str  # "dynamic" or "fp16" (see `quantize`)
    before: int  # bytes of the original, weights included
    after: int  # bytes of the site's copy
    files: tuple[SourceFile, ...]  # the original's files: its .onnx first

    @property
    def source(self) -> str:
        return self.files[0].name

    def describe(self) -> str:
        sizes = f"{self.before / 1e6:.2f} MB before, {self.after / 1e6:.2f} MB after"
        return f"Quantized ({self.mode}): {sizes} ({self.after / self.before:.0%} of the size)"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Quantized:
        """The record as `to_dict` wrote it; KeyError, TypeError or ValueError otherwise."""
        files = tuple(SourceFile(str(f["name"]), str(f["sha256"])) for f in data["files"])
        if not files:
            raise ValueError("no files")
        return cls(str(data["mode"]), int(data["before"]), int(data["after"]), files)


def source_files(files: list[Path]) -> tuple[SourceFile, ...]:
    """Each of a model's files (its .onnx first) by its name beside the first, and sha256."""
    folder = files[0].parent
    return tuple(SourceFile(file.relative_to(folder).as_posix(), _sha256(file)) for file in files)


def write_record(record: Quantized, folder: Path) -> None:
    (folder / QUANTIZED).write_text(json.dumps(record.to_dict(), indent=2) + "\n", encoding="utf-8")


def read_record(site: Path) -> Quantized | None:
    """The site's record, or None for a site that was not quantized."""
    path = site / QUANTIZED
    if not path.exists():
        return None
    try:
        return Quantized.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError) as error:
        raise VerifyError(f"cannot read it ({os_reason(error)})", file=path) from None
    except (json.JSONDecodeError, KeyError, TypeError, ValueError) as error:
        raise VerifyError(f"is not a record shipyard wrote ({error}); rebuild the site", file=path) from None


def check_original(record: Quantized, files: list[Path]) -> None:
    """Refuse `files` (a model's, as `model_files` lists them) unless they are the original's."""
    given = source_files(files)
    if [f.sha256 for f in given] != [f.sha256 for f in record.files]:
        wanted = ", ".join(f"{f.name} (sha256 {f.sha256[:12]}…)" for f in record.files)
        raise VerifyError(
            f"is not the model this site was quantized from: that was {wanted}",
            file=files[0],
            fix=f"pass the original {record.source} (with its weights' files beside it)",
        )


def _sha256(path: Path) -> str:
    with path.open("rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()
