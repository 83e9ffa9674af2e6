"""Simplified Chinese is derived from Traditional (Hong Kong) with OpenCC, never typed.

The one module that converts between the two (a test scans the tree for any other; the wire
package only asks OpenCC which script a page is in, converting nothing it keeps):

- `derive_simplified` derives the stored zh-Hans text of a release (title, body blocks,
  captions, alt texts) from its zh-Hant text. The write path calls it, in one place
  (`pressroom.releases.services.prepare_text`), whoever writes: the desk, the API, the admin,
  an import in bulk or one file at a time, a restore (docs/decisions/0007-one-write-path.md).
- `to_simplified` converts vocabulary where it is shown: department and category names, the
  site's and e-mails' labels, the desk's live preview, and search's folding of both scripts to
  one. The same conversion, so what is shown never disagrees with what is stored.
- `traditional_from_simplified` is the mirror, for archives that kept only a Simplified page.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import opencc


@lru_cache(maxsize=1)
def _hong_kong_to_simplified() -> opencc.OpenCC:
    # hk2s: Hong Kong variant Traditional to Mainland Simplified, as the archive's zh-Hans pages.
    return opencc.OpenCC("hk2s")


@lru_cache(maxsize=1)
def _simplified_to_hong_kong() -> opencc.OpenCC:
    return opencc.OpenCC("s2hk")


def to_simplified(text: str) -> str:
    """A piece of vocabulary in Simplified, for display (stored text: `derive_simplified`)."""
    if not text:
        return text
    return _hong_kong_to_simplified().convert(text)


def _to_traditional(text: str) -> str:
    if not text:
        return text
    return _simplified_to_hong_kong().convert(text)


@dataclass(frozen=True)
class Texts:
    """One language's text of a release, as stored: the title (None where a write leaves the
    version alone, e.g. a caption on its own), the body's blocks (`Block.to_dict()` dicts) and
    the photos' texts by position (caption, alt text)."""

    title: str | None = None
    body: Sequence[Mapping] = ()
    photos: Mapping[int, tuple[str, str]] = field(default_factory=dict)


def derive_simplified(traditional: Texts) -> Texts:
    """The zh-Hans text of a release from its zh-Hant text: every title, block text, list
    line, table cell, caption and alt text converted, nothing else touched."""
    return _converted(traditional, to_simplified)


def traditional_from_simplified(simplified: Texts) -> Texts:
    """Hong Kong Traditional from Simplified: only for archives that kept just the zh-Hans
    page, so the release has the Traditional text everything else derives from."""
    return _converted(simplified, _to_traditional)


def _converted(texts: Texts, convert: Callable[[str], str]) -> Texts:
    return Texts(
        title=None if texts.title is None else convert(texts.title),
        body=[_block(block, convert) for block in texts.body],
        photos={
            position: (convert(caption), convert(alt_text))
            for position, (caption, alt_text) in texts.photos.items()
        },
    )


def _block(data: Mapping, convert: Callable[[str], str]) -> dict:
    """A stored body block with every piece of its text passed through `convert`."""
    converted = dict(data)
    if "text" in data:
        converted["text"] = convert(data["text"])
    if "lines" in data:
        converted["lines"] = [convert(line) for line in data["lines"]]
    if "rows" in data:
        converted["rows"] = [[convert(cell) for cell in row] for row in data["rows"]]
    return converted
