"""What a host receives: the built site's files measured, for the build's summary. (A file
over the host's limit was split into parts while the site was assembled, or refused: see
`parts`.)"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from shipyard.site.hosts import Host, describe_size
from shipyard.site.layout import site_files


@dataclass(frozen=True)
class Received:
    files: int
    bytes: int
    largest: tuple[str, int]  # the largest file's path in the site, and its size
    host_files: tuple[str, ...]  # what the host preset added (`_headers`, README.md, .nojekyll)
    limit: int | None  # the per-file limit the files were checked against

    def describe(self, host: Host) -> str:
        """One line: what the host gets, and the limit it was checked against."""
        path, size = self.largest
        limit = (
            f", within its limit of {describe_size(self.limit)} per file"
            if self.limit
            else ", with no per-file limit"
        )
        extra = f"; host files: {', '.join(self.host_files)}" if self.host_files else ""
        total = f"{self.files} files, {self.bytes / 1e6:.1f} MB"
        return f"For {host.label}: {total}; the largest, {path}, is {describe_size(size)}{limit}{extra}."


def received(site: Path, host_files: tuple[str, ...], limit: int | None) -> Received:
    sizes = {path: file.stat().st_size for path, file in site_files(site).items()}
    largest = max(sizes.items(), key=lambda item: item[1])
    return Received(len(sizes), sum(sizes.values()), largest, host_files, limit)
