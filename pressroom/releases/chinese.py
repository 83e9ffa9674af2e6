"""Simplified Chinese is derived from Traditional (Hong Kong) with OpenCC, never typed."""

from __future__ import annotations

from functools import lru_cache

import opencc


@lru_cache(maxsize=1)
def _hong_kong_to_simplified() -> opencc.OpenCC:
    # hk2s: Hong Kong variant Traditional to Mainland Simplified, as the archive's zh-Hans pages.
    return opencc.OpenCC("hk2s")


def to_simplified(text: str) -> str:
    if not text:
        return text
    return _hong_kong_to_simplified().convert(text)


@lru_cache(maxsize=1)
def _simplified_to_hong_kong() -> opencc.OpenCC:
    return opencc.OpenCC("s2hk")


def to_traditional(text: str) -> str:
    """Simplified to Hong Kong Traditional: only for archives that kept just the zh-Hans page."""
    if not text:
        return text
    return _simplified_to_hong_kong().convert(text)


def convert_block(data: dict, convert) -> dict:
    """A stored body block (dict) with every piece of its text passed through `convert`."""
    converted = dict(data)
    if "text" in data:
        converted["text"] = convert(data["text"])
    if "lines" in data:
        converted["lines"] = [convert(line) for line in data["lines"]]
    if "rows" in data:
        converted["rows"] = [[convert(cell) for cell in row] for row in data["rows"]]
    return converted
