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
