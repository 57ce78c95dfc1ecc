"""Inputs to try the bundled examples with, made the same way each time: housing rows as a
CSV file, digits drawn large as pictures, and photos of noise, all as the page takes them.
The tests and the benchmarks use them; `python examples/samples.py` writes a few to try by hand.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import struct
import zlib
from pathlib import Path

from shipyard.verify.inputs import random_picture
from shipyard_runtime.images import Pixels

HOUSING = ("MedInc", "HouseAge", "AveRooms", "Latitude")
# Within the housing example's min and max.
HOUSING_RANGES = {"MedInc": (0.5, 15), "HouseAge": (1, 52), "AveRooms": (1, 10), "Latitude": (32.5, 42)}


def housing_rows(count: int) -> list[dict[str, str]]:
    """`count` rows for the housing example, each with an id column the model does not take."""
    rng = random.Random(7)
    return [
        {"id": f"d{i}"} | {key: f"{rng.uniform(*HOUSING_RANGES[key]):.3f}" for key in HOUSING}
        for i in range(count)
    ]


def to_csv(rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def digit_picture(index: int, scale: int, pad: int, paper: tuple[int, int, int]) -> Pixels:
    """scikit-learn's digit `index`, drawn large in dark ink on coloured paper, with a margin."""
    import numpy as np
    from sklearn.datasets import load_digits

    ink = np.pad(np.kron(load_digits().images[index] / 16, np.ones((scale, scale))), pad)
    rgb = np.stack([(1 - ink) * level for level in paper], axis=-1).round().astype(np.uint8)
    rgba = np.concatenate([rgb, np.full((*ink.shape, 1), 255, np.uint8)], axis=-1)
    return Pixels(ink.shape[1], ink.shape[0], rgba.tobytes())


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="where to write housing.csv, digit.png and noise.png")
    folder = parser.parse_args().folder
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "housing.csv").write_text(to_csv(housing_rows(100)))
    (folder / "digit.png").write_bytes(png(digit_picture(-1, 8, 16, (255, 255, 255))))
    (folder / "noise.png").write_bytes(png(noise(640, 480, seed=1)))
    print(f"Wrote housing.csv, digit.png and noise.png into {folder}")


if __name__ == "__main__":
    main()
