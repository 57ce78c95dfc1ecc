"""Shareable links: the form's current texts in the URL's fragment, and back.

The fragment reads like a query string (`#MedInc=3.5&Latitude=37.77`), a row's
controls repeating their key in order, so a person can read and edit a link.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode


def to_fragment(texts: dict[str, list[str]]) -> str:
    return urlencode([(key, text) for key, items in texts.items() for text in items])


def from_fragment(fragment: str) -> dict[str, list[str]]:
    texts: dict[str, list[str]] = {}
    for key, text in parse_qsl(fragment.removeprefix("#"), keep_blank_values=True):
        texts.setdefault(key, []).append(text)
    return texts
