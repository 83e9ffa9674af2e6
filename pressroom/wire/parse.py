"""Wire text in, a typed ParsedRelease out, or a ParseError naming the line and the reason.

The steps follow the page from top to bottom: page furniture before the title, the title and
its rule, the body, the closing block, and what follows it (captions, videos, furniture).
Photo pop-up pages and weather bulletins share the steps that fit them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace

from pressroom.wire import furniture
from pressroom.wire.body import is_star_rule, read_body
from pressroom.wire.closing import find_closing, is_closing_line
from pressroom.wire.decode import decode_detailed, repair_mojibake
from pressroom.wire.filenames import reference_from_filename
from pressroom.wire.language import chinese_script, mostly_chinese
from pressroom.wire.lines import Line, split_lines, strip_blank_edges
from pressroom.wire.model import (
    Block,
    ClosingStyle,
    Language,
    PageKind,
    ParsedRelease,
    ParseError,
)
from pressroom.wire.trailer import read_trailer


@dataclass
class _Head:
    """What comes before the body: the title, where the body starts, what the furniture said."""

    title: str
    title_line: int  # index into the lines
    body_start: int
    department: str | None = None
    warnings: list[str] = field(default_factory=list)


def parse(
    text: str, source: str | os.PathLike | None = None, reference: str | None = None
) -> ParsedRelease:
    """Read one page. `source` (a file name or path) names the page in errors; when it is a
    release file name (P2023110300392.htm, ..._photo_2.htm) it also gives the reference and
    the page kind, unless `reference` is given."""
    source = os.fspath(source) if source is not None else None
    named_reference, kind_hint, photo_number = (
        reference_from_filename(source) if source else (None, PageKind.RELEASE, None)
    )
    reference = reference or named_reference
    text, warnings = repair_mojibake(text)
    lines = split_lines(text)
    if not strip_blank_edges(lines):
        raise ParseError("the file is empty", 1, source)
    if kind_hint is PageKind.PHOTO or _looks_like_photo_page(lines):
        return _parse_photo_page(lines, source, reference, photo_number, warnings)
    return _parse_release(lines, source, reference, warnings)


def parse_bytes(
    data: bytes, source: str | os.PathLike | None = None, reference: str | None = None
) -> ParsedRelease:
    """decode() then parse(), keeping the decoding's warnings (repaired mojibake)."""
    source = os.fspath(source) if source is not None else None
    decoded = decode_detailed(data, source)
    parsed = parse(decoded.text, source, reference)
    if not decoded.warnings:
        return parsed
    return replace(parsed, warnings=decoded.warnings + parsed.warnings)


# -- releases and weather bulletins -----------------------------------------------------------


def _parse_release(
    lines: list[Line], source: str | None, reference: str | None, warnings: list[str]
) -> ParsedRelease:
    head = _read_head(lines, source)
    closing = find_closing(lines, head.title_line + 1, source)
    if closing.body_end < head.body_start:
        head.body_start = closing.body_end
    weather = closing.style is ClosingStyle.DISPATCHED
    body = read_body(lines[head.body_start : closing.body_end], keep_lines=weather)
    trailer_lines = lines[closing.trailer_start :]
    trailer = read_trailer(trailer_lines)
    all_warnings = warnings + head.warnings + closing.warnings + trailer.warnings
    if not body:
        all_warnings.append(f"line {lines[head.title_line].number}: the release has no body")
    language = _language(head.title, body, closing.chinese, lines, closing.simplified)
    return ParsedRelease(
        language=language,
        title=head.title,
        body=body,
        issue_date=closing.issue_date,
        issue_time=closing.issue_time,
        captions=tuple(trailer.captions),
        reference=reference,
        kind=PageKind.WEATHER if weather else PageKind.RELEASE,
        closing_style=closing.style,
        videos=tuple(trailer.videos),
        warnings=tuple(all_warnings),
        department=head.department,
    )


def _read_head(lines: list[Line], source: str | None) -> _Head:
    """Skip the furniture, take the title, its rule (once, twice or missing) and an optional
    empty line after it."""
    index, department = _skip_leading_furniture(lines)
    if all(line.is_blank or furniture.is_trailing_furniture(line.text) for line in lines[index:]):
        last = max((line.number for line in lines if not line.is_blank), default=1)
        raise ParseError("no title: the file holds only page furniture", last, source)
    title_line = lines[index]
    if title_line.text.strip() == "NNNN" or is_closing_line(title_line.text):
        raise ParseError("no title: the closing block comes first", title_line.number, source)
    head = _Head(
        title=title_line.text.strip(), title_line=index, body_start=index + 1, department=department
    )
    rules = []
    while head.body_start < len(lines) and is_star_rule(lines[head.body_start].text):
        rules.append(lines[head.body_start])
        head.body_start += 1
    _warn_about_rules(head, title_line, rules)
    return head


def _warn_about_rules(head: _Head, title_line: Line, rules: list[Line]) -> None:
    if not rules:
        head.warnings.append(f"line {title_line.number}: no rule of '*' under the title")
        return
    if len(rules) > 1:
        head.warnings.append(
            f"line {rules[1].number}: the title's rule is printed {len(rules)} times"
        )
    length = len(rules[0].text)
    if length != len(head.title):
        head.warnings.append(
            f"line {rules[0].number}: the title's rule has {length} '*', the title {len(head.title)} characters"
        )


def _skip_leading_furniture(lines: list[Line]) -> tuple[int, str | None]:
    """The index of the title line, and the department a department site names."""
    index, department = 0, None
    while index < len(lines):
        line = lines[index]
        if (
            line.is_blank
            or furniture.is_skip_link(line.text)
            or furniture.is_language_bar(line.text)
        ):
            index += 1
        elif furniture.is_department_skip_link(line.text):
            index += 1
            while index < len(lines) and lines[index].is_blank:
                index += 1
            if index < len(lines):
                department = lines[index].text.strip()
                index += 1
        else:
            break
    return index, department


def _language(
    title: str, body: tuple[Block, ...], chinese_closing: bool, lines: list[Line], simplified: bool
) -> Language:
    """The closing block says English or Chinese; the furniture or the text says which script."""
    if not chinese_closing:
        return Language.EN
    marker = (
        "hans" if simplified else furniture.script_markers("\n".join(line.text for line in lines))
    )
    return chinese_script(title + "\n" + _body_text(body), marker)


def _body_text(body: tuple[Block, ...]) -> str:
    return "\n".join(block.text or "\n".join(block.lines) for block in body)


# -- photo pop-up pages -----------------------------------------------------------------------


def _content_lines(lines: list[Line]) -> list[Line]:
    """Non-blank lines with the ' |' separators some mirrors add taken away."""
    kept = []
    for line in lines:
        text = line.text.strip(" \t\u00a0\u3000|")
        if text:
            kept.append(Line(line.number, text))
    return kept


def _looks_like_photo_page(lines: list[Line]) -> bool:
    """'Photo', a caption, 'Close' (mirrors drop one of the three lines or add ' |')."""
    content = _content_lines(lines)
    if not content or len(content) > 3:
        return False
    starts = furniture.folded(content[0].text) in furniture.PHOTO_HEADINGS
    ends = furniture.folded(content[-1].text) in furniture.CLOSE_LINKS
    return (starts and ends) or ((starts or ends) and len(content) == 2)


def _parse_photo_page(
    lines: list[Line],
    source: str | None,
    reference: str | None,
    photo_number: int | None,
    warnings: list[str],
) -> ParsedRelease:
    content = _content_lines(lines)
    if content and furniture.folded(content[0].text) in furniture.PHOTO_HEADINGS:
        content = content[1:]
    if content and furniture.folded(content[-1].text) in furniture.CLOSE_LINKS:
        content = content[:-1]
    if not content:
        raise ParseError("photo page without a caption", lines[-1].number, source)
    caption = " ".join(line.text for line in content)
    if len(content) > 1:
        warnings = warnings + [
            f"line {content[1].number}: the caption spans {len(content)} lines; joined"
        ]
    language = Language.EN
    if mostly_chinese(caption):
        language = chinese_script(caption, furniture.script_markers(caption))
    return ParsedRelease(
        language=language,
        title="",
        body=(),
        issue_date=None,
        issue_time=None,
        captions=(caption,),
        reference=reference,
        kind=PageKind.PHOTO,
        photo_number=photo_number,
        warnings=tuple(warnings),
    )
