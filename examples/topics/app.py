"""Topic of a short English text: the words become token ids here, in Python.

The model takes ``token_ids``, int64 [batch, 32]: each word hashed to an id in
1..VOCAB-1 (the hashing trick: no vocabulary file to ship), 0 for padding.
train.py imports ``tokenise`` from this module, so training and the page share
the very same function. Standard library only: this runs in Pyodide.
"""

from __future__ import annotations

import re
import zlib
from typing import Any

TOPICS = ("food", "sport", "technology", "weather")  # the model's output columns, in order
VOCAB = 4096  # token ids 0..VOCAB-1; 0 pads
LENGTH = 32  # token ids per text: longer texts are cut, shorter ones padded


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def token_id(word: str) -> int:
    """A word's id, never 0. crc32 rather than hash(): Python salts str hashes per process."""
    return zlib.crc32(word.encode()) % (VOCAB - 1) + 1


def tokenise(text: str) -> list[int]:
    """The first LENGTH words' ids, padded with 0 to LENGTH."""
    ids = [token_id(word) for word in words(text)[:LENGTH]]
    return ids + [0] * (LENGTH - len(ids))


def preprocess(inputs: dict[str, Any]) -> dict[str, list[list[int]]]:
    return {"token_ids": [tokenise(inputs["text"])]}


def postprocess(outputs: dict[str, Any], inputs: dict[str, Any]) -> dict[str, str]:
    """The likeliest topic by name, and how much of the text the model read."""
    probabilities = [float(p) for p in outputs["probabilities"][0]]
    count = len(words(inputs["text"]))
    read = f"the first {LENGTH} of {count}" if count > LENGTH else str(count)
    return {"topic": TOPICS[probabilities.index(max(probabilities))], "words": f"Read {read} words"}
