"""Large files shipped gzip-compressed, each made once into the cache.

onnxruntime-web's wasm, the largest file of a site, compresses to a fraction of its size.
A host that does not compress (S3 by default, `shipyard serve`) then sends that fraction,
and a host that does loses nothing; the page unpacks the file with the browser's own
DecompressionStream (templates/gunzip.mjs).
"""

from __future__ import annotations

import gzip
import tempfile
from pathlib import Path

from shipyard.cache import cache_dir, cache_error, read_cached, record_sizes, sizes_of, whole


def gzipped(file: Path) -> Path:
    """`file` gzipped, from the cache; `file` is a cached asset, so its folder names its version."""
    target = cache_dir() / "gzip" / file.parent.name / f"{file.name}.gz"
    if whole([target], sizes_of(target)):
        return target
    packed = gzip.compress(read_cached(file), compresslevel=9, mtime=0)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as tmp:
            tmp.write(packed)
        Path(tmp.name).replace(target)
        record_sizes([target], sizes_of(target))
    except OSError as error:
        raise cache_error(error, target) from None
    return target
