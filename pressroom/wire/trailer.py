"""What follows the closing block: photo captions and video titles among page furniture.

Today's Press Releases        furniture, dropped
Photo                         heading: each following line is one caption
<caption>
Audio / Video                 heading: a title, then a 'View' link, per video
<title>
View
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pressroom.wire import furniture
from pressroom.wire.lines import Line


@dataclass
class Trailer:
    captions: list[str] = field(default_factory=list)
    videos: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def is_trailer_keyword(text: str) -> bool:
    """Lines that can never be a caption or video title: furniture, headings, 'View' links."""
    key = furniture.folded(text)
    return (
        furniture.is_trailing_furniture(text)
        or key in furniture.PHOTO_HEADINGS
        or key in furniture.VIDEO_HEADINGS
        or key in furniture.VIDEO_LINKS
    )


def read_trailer(lines: list[Line]) -> Trailer:
    trailer = Trailer()
    section: list[str] | None = None
    for line in lines:
        text = line.text.strip(" \t\u00a0\u3000")
        key = furniture.folded(text)
        if not text:
            continue
        if furniture.is_trailing_furniture(text):
            section = None
        elif key in furniture.PHOTO_HEADINGS:
            section = trailer.captions
        elif key in furniture.VIDEO_HEADINGS:
            section = trailer.videos
        elif section is trailer.videos and key in furniture.VIDEO_LINKS:
            continue
        elif section is not None:
            section.append(text)
        else:
            trailer.warnings.append(
                f"line {line.number}: dropped after the closing block: {text[:60]!r}"
            )
    return trailer
