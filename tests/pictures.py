"""Pictures for tests: PNG files written from known pixels, so the expected RGBA is exact."""

from __future__ import annotations

import random
import struct
import zlib

from shipyard.verify.inputs import random_picture
from shipyard_runtime.images import Pixels


def png(pixels: Pixels) -> bytes:
    """An 8-bit RGBA PNG with no colour profile (browsers decode it to exactly these bytes)."""
    stride = pixels.width * 4
    rows = b"".join(b"\x00" + pixels.rgba[r * stride : (r + 1) * stride] for r in range(pixels.height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", pixels.width, pixels.height, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def noise(width: int, height: int, seed: int, opaque: bool = True) -> Pixels:
    """Random pixels; with `opaque` False, some fully transparent. (A canvas stores colours
    premultiplied by alpha, so a half-transparent pixel decodes within a level or two of its
    file's bytes; fully transparent and opaque ones decode exactly.)"""
    rng = random.Random(seed)
    picture = random_picture(rng, width, height)
    if opaque:
        return picture
    rgba = bytearray(picture.rgba)
    rgba[3::4] = bytes(255 if rng.random() < 0.7 else 0 for _ in range(width * height))
    return Pixels(width, height, bytes(rgba))
