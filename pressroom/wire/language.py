"""Which language a page is in: English, Traditional or Simplified Chinese."""

from __future__ import annotations

from functools import lru_cache

import opencc

from pressroom.wire.model import Language


def is_cjk(character: str) -> bool:
    return (
        "\u3400" <= character <= "\u9fff"
        or "\uf900" <= character <= "\ufaff"
        or "\U00020000" <= character <= "\U0003ffff"
    )


def mostly_chinese(text: str) -> bool:
    """Chinese text quotes English names and English text Chinese ones; one Chinese character
    says about as much as four Latin letters."""
    cjk = sum(1 for character in text if is_cjk(character))
    latin = sum(1 for character in text if character.isascii() and character.isalpha())
    return cjk > 0 and cjk * 4 >= latin


@lru_cache(maxsize=2)
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def chinese_script(text: str, marker: str | None) -> Language:
    """zh-Hans or zh-Hant: the page's own markers (香港时间, 跳至主要内容, 即日新闻) decide;
    without them, text that Simplified-to-Traditional conversion changes but the reverse does
    not is Simplified."""
    if marker == "hans":
        return Language.ZH_HANS
    if marker == "hant":
        return Language.ZH_HANT
    sample = text[:2000]
    to_simplified = _converter("hk2s").convert(sample)
    to_traditional = _converter("s2hk").convert(sample)
    if to_simplified == sample and to_traditional != sample:
        return Language.ZH_HANS
    return Language.ZH_HANT
