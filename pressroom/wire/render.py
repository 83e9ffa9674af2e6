"""ParsedRelease in, the canonical wire text out: the mirror of parse().

The canonical form is the modern news.gov.hk page without its furniture, as the seed shows:

    <title>
    <'*' as long as the title>                 (Chinese: an empty line follows)
    <5 no-break spaces>First paragraph.        (Chinese: two U+3000)
    <empty line>
    <5 no-break spaces>Last paragraph.
    <one no-break space>
    Ends/Friday, November 3, 2023              (Chinese: 完, 2023年11月3日（星期五）)
    Issued at HKT 16:00                        (Chinese: 香港時間16時00分, zh-Hans 香港时间)
    NNNN
    <empty line>
    Photo
    <empty line>
    <one caption per line>

Paragraph indents and the line before the closing are no-break spaces because that is what
real pages carry (&nbsp; in the HTML); parse() accepts plain spaces just as well.
"""

from __future__ import annotations

import datetime as dt

from pressroom.wire import dates
from pressroom.wire.body import is_star_rule
from pressroom.wire.model import Block, BlockKind, ClosingStyle, Language, PageKind, ParsedRelease

ENGLISH_INDENT = "\u00a0" * 5
CHINESE_INDENT = "\u3000" * 2
SPACE_LINE = "\u00a0"
END_OF_TRANSMISSION = "NNNN"


def render(parsed: ParsedRelease) -> str:
    if parsed.kind is PageKind.PHOTO:
        return _render_photo_page(parsed)
    chinese = parsed.language is not Language.EN
    lines = [parsed.title, "*" * len(parsed.title)]
    if chinese or _starts_with_star_rule(parsed.body):
        lines.append("")
    lines.extend(render_blocks(parsed.body, CHINESE_INDENT if chinese else ENGLISH_INDENT))
    lines.append(SPACE_LINE)
    lines.extend(_render_closing(parsed))
    lines.extend(_render_trailer(parsed))
    return "\n".join(lines) + "\n"


def _starts_with_star_rule(body: tuple[Block, ...]) -> bool:
    """A body that opens with a rule of '*' needs the empty line after the title's rule, or
    the two rules would read as one rule printed twice."""
    return bool(body) and body[0].kind is BlockKind.RULE and is_star_rule(body[0].text)


def render_blocks(body: tuple[Block, ...], indent: str) -> list[str]:
    """The lines of a body: blocks separated by an empty line, paragraphs after `indent`."""
    lines: list[str] = []
    for number, block in enumerate(body):
        if number:
            lines.append("")
        lines.extend(_render_block(block, indent))
    return lines


def _render_block(block: Block, indent: str) -> list[str]:
    if block.kind is BlockKind.PARAGRAPH:
        return [indent + block.text]
    if block.kind is BlockKind.HEADING:
        return [block.text, "*" * len(block.text)]
    if block.kind is BlockKind.RULE:
        return [block.text]
    if block.kind is BlockKind.TABLE and not block.lines:
        return [" : ".join(row) for row in block.rows]
    return list(block.lines)


def _render_closing(parsed: ParsedRelease) -> list[str]:
    if parsed.closing_style is ClosingStyle.DISPATCHED:
        return [dates.dispatched_line(parsed.issue_date, parsed.issue_time or dt.time(0, 0))]
    if parsed.language is Language.EN:
        lines = [f"Ends/{dates.english_date(parsed.issue_date)}"]
        if parsed.issue_time is not None:
            lines.append(dates.english_time(parsed.issue_time))
    else:
        lines = ["完", dates.chinese_date(parsed.issue_date)]
        if parsed.issue_time is not None:
            simplified = parsed.language is Language.ZH_HANS
            lines.append(dates.chinese_time(parsed.issue_time, simplified=simplified))
    return lines + [END_OF_TRANSMISSION]


def _photo_heading(language: Language) -> str:
    return {Language.EN: "Photo", Language.ZH_HANT: "圖片", Language.ZH_HANS: "图片"}[language]


def _render_trailer(parsed: ParsedRelease) -> list[str]:
    lines: list[str] = []
    if parsed.captions:
        lines += ["", _photo_heading(parsed.language), "", *parsed.captions]
    if parsed.videos:
        lines += ["", "Audio / Video", ""]
        for title in parsed.videos:
            lines += [title, "View"]
    return lines


def _render_photo_page(parsed: ParsedRelease) -> str:
    """The pop-up's own shape: Photo, a line of one space, the caption, one space, Close."""
    caption = parsed.captions[0] if parsed.captions else ""
    return "\n".join(["Photo", SPACE_LINE, caption, SPACE_LINE, "Close"]) + "\n"
