"""Handwritten digits: a photo or drawing of one digit becomes the 8 × 8 picture the model knows.

scikit-learn's digits were made by centring each digit in a 32 × 32 bitmap and
counting the ink in each 4 × 4 block. This does the same to a picture of any
size: the page gives it here gray, 64 × 64, 0 for black and 1 for white; the ink
is found, framed, centred in 32 × 32 and counted block by block. Standard library
only (it runs in Pyodide without numpy; numpy arrays work too).
"""

from __future__ import annotations

from typing import Any

SIDE = 32  # the bitmap the digit is centred in
BLOCK = 4  # 32 / 4 = 8 blocks a side: the model's 8 × 8 input
FILL = 0.9  # the digit's longer side spans this much of the bitmap
INK = 0.2  # darker than this much below white counts as ink when framing


def ink(picture: Any) -> list[list[float]]:
    """Ink from 0 (paper) to 1 (black), from the field's [1, 1, H, W] gray values."""
    return [[1.0 - float(v) for v in row] for row in picture[0][0]]


def frame(rows: list[list[float]]) -> tuple[int, int, int, int]:
    """The smallest box (top, left, bottom, right) holding every inked pixel; all of it if none."""
    marked = [(y, x) for y, row in enumerate(rows) for x, v in enumerate(row) if v > INK]
    if not marked:
        return 0, 0, len(rows), len(rows[0])
    ys, xs = [y for y, _ in marked], [x for _, x in marked]
    return min(ys), min(xs), max(ys) + 1, max(xs) + 1


def centred(rows: list[list[float]]) -> list[list[float]]:
    """The framed digit scaled so its longer side spans a SIDE × SIDE bitmap, centred, as the
    dataset's digits were (nearest pixel)."""
    top, left, bottom, right = frame(rows)
    scale = max(bottom - top, right - left) / SIDE
    centre_y, centre_x = (top + bottom) / 2, (left + right) / 2
    bitmap = []
    for y in range(SIDE):
        source_y = int(centre_y + (y + 0.5 - SIDE / 2) * scale)
        row = []
        for x in range(SIDE):
            source_x = int(centre_x + (x + 0.5 - SIDE / 2) * scale)
            inside = 0 <= source_y < len(rows) and 0 <= source_x < len(rows[0])
            row.append(rows[source_y][source_x] if inside else 0.0)
        bitmap.append(row)
    return bitmap


def blocks(bitmap: list[list[float]]) -> list[list[float]]:
    """The mean ink of each BLOCK × BLOCK block: 0 to 1, as the model takes it."""
    size = SIDE // BLOCK
    return [
        [
            sum(bitmap[by * BLOCK + y][bx * BLOCK + x] for y in range(BLOCK) for x in range(BLOCK)) / BLOCK**2
            for bx in range(size)
        ]
        for by in range(size)
    ]


def preprocess(inputs: dict[str, Any]) -> dict[str, Any]:
    return {"image": [[blocks(centred(ink(inputs["digit"])))]]}


def postprocess(outputs: dict[str, Any], inputs: dict[str, Any]) -> dict[str, Any]:
    """The likeliest digit, and the 8 × 8 picture the model saw (dark ink on white)."""
    probabilities = [float(p) for p in outputs["probabilities"][0]]
    seen = preprocess(inputs)["image"][0][0]
    return {
        "digit": probabilities.index(max(probabilities)),
        "seen": [[1.0 - v for v in row] for row in seen],
    }
