"""Large files shipped brotli-compressed, each made once into the cache.

Brotli at its highest quality packs a wasm file a third smaller than gzip does, and hosts
gzip at best. Browsers decode brotli only as a `Content-Encoding`, which a static host
rarely sends for a file of ours, so the page decodes it itself (templates/unbrotli.mjs,
with the pinned decoder npm_assets.BROTLI_DECODER). Quality 11 is slow (minutes for
onnxruntime-web's 14 MB wasm on a busy 2-core machine), hence the cache, keyed by the
input's sha256.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import brotli

from shipyard.cache import cache_dir, made_once, read_cached

# A 16 MB window: matches reach across the whole of a wasm file.
WINDOW_BITS = 24
BEST = 11


def brotlied(file: Path, quality: int = BEST) -> Path:
    """`file` brotli-compressed, from the cache (keyed by its sha256, and by a quality below
    the best)."""
    data = read_cached(file)
    key = hashlib.sha256(data).hexdigest()[:16] + ("" if quality == BEST else f"-q{quality}")
    target = cache_dir() / "brotli" / key / f"{file.name}.br"
    return made_once(target, lambda: brotli.compress(data, quality=quality, lgwin=WINDOW_BITS))
