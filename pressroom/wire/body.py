"""The body of a release: numbered lines in, typed blocks out.

Indented lines are narrative paragraphs (five spaces or no-break spaces in English, two U+3000
or four spaces in Chinese). Unindented lines are kept as issued and grouped by what they look
like: list items, table rows, rules, headings (a line underlined with its own rule of "*"), and
anything else (preambles, speaker turns) as LINES. Blank lines, or lines of white space only,
end a block.

Some mirrors collapse all indentation and blank lines; then every line is its own paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pressroom.wire.language import is_cjk
from pressroom.wire.lines import Line, strip_blank_edges
from pressroom.wire.model import Block, BlockKind

_STAR_RULE = re.compile(r"^\*+$")
_RULE = re.compile(r"^(?:\*{3,}|-{3,}|={3,}|_{3,}|\*(?:[ \t]+\*){2,}|-(?:[ \t]+-){2,})$")
_UNORDERED_ITEM = re.compile(r"^[-*•·▪●◆■]\s+\S")
_ORDERED_ITEM = re.compile(
    r"^(?:\d{1,3}[.)](?!\d)|[(（]\d{1,3}[)）]|[(（][a-zA-Z][)）]|[a-z][.)]\s"
    r"|[(（][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、|\d{1,3}、)"
)
# "Tender date : September 8, 2020": a colon with white space on both sides.
_COLON_CELL_SEPARATOR = re.compile(r"[ \t\u3000]+[:：][ \t\u3000]+")
# Space-padded aligned columns: a gap of three or more spaces (or a tab, or two U+3000).
_COLUMN_GAP = re.compile(r"(?<=\S)(?:[ \t]{3,}|\t|\u3000{2,})(?=\S)")
_TWO_SPACE_GAP = re.compile(r"(?<=[^\s.!?:;。！？：；])[ ]{2}(?=\S)")

# A collapsed mirror is told from a block of short unindented lines by its prose: at least
# one line as long as a paragraph usually is.
_PROSE_LINE_CHARACTERS = 100
_PROSE_LINE_CHARACTERS_CJK = 50


def is_rule(text: str) -> bool:
    return bool(_RULE.match(text))


def is_star_rule(text: str) -> bool:
    """A run of "*" only: the title's rule, or a heading's (as short as the line it is under)."""
    return bool(_STAR_RULE.match(text))


def rule_fits_heading(rule: str, heading: str) -> bool:
    """Whether a rule of "*" under a line is that line's underline rather than a separator.

    Real rules miss the heading's length by a few characters (the seed's is five short)."""
    return abs(len(rule) - len(heading)) <= max(5, len(heading) // 10)


def is_list_item(text: str) -> bool:
    return bool(_UNORDERED_ITEM.match(text) or _ORDERED_ITEM.match(text))


def is_ordered_item(text: str) -> bool:
    return bool(_ORDERED_ITEM.match(text))


def table_cells(text: str) -> tuple[str, ...] | None:
    """The cells of a table row, or None when the line is not one."""
    if _COLON_CELL_SEPARATOR.search(text):
        return tuple(cell.strip() for cell in _COLON_CELL_SEPARATOR.split(text))
    if _COLUMN_GAP.search(text) or len(_TWO_SPACE_GAP.findall(text)) >= 2:
        return tuple(
            cell.strip() for cell in re.split(r"[ \t]{2,}|\t|\u3000{2,}", text) if cell.strip()
        )
    return None


def _looks_like_prose(text: str) -> bool:
    cjk = sum(1 for character in text if is_cjk(character))
    limit = _PROSE_LINE_CHARACTERS_CJK if cjk * 2 >= len(text) else _PROSE_LINE_CHARACTERS
    return len(text) >= limit


def is_collapsed(lines: list[Line]) -> bool:
    """No indentation, no blank lines, and prose-length lines: a mirror that flattened the page."""
    return (
        bool(lines)
        and not any(line.is_blank or line.is_indented for line in lines)
        and any(_looks_like_prose(line.text) for line in lines)
    )


@dataclass
class _Group:
    """Unindented lines of one kind that follow each other without a blank line."""

    kind: BlockKind
    lines: list[str] = field(default_factory=list)

    def to_block(self) -> Block:
        lines = tuple(self.lines)
        if self.kind is BlockKind.LIST:
            return Block(BlockKind.LIST, lines=lines, ordered=is_ordered_item(lines[0]))
        if self.kind is BlockKind.TABLE:
            rows = tuple(table_cells(line) or (line,) for line in lines)
            return Block(BlockKind.TABLE, lines=lines, rows=rows)
        return Block(BlockKind.LINES, lines=lines)


def _kind_of_unindented(text: str) -> BlockKind:
    if is_list_item(text):
        return BlockKind.LIST
    if table_cells(text) is not None:
        return BlockKind.TABLE
    return BlockKind.LINES


def read_body(lines: list[Line], *, keep_lines: bool = False) -> tuple[Block, ...]:
    """The blocks of a body. `keep_lines` (weather bulletins) keeps every run of lines as
    issued, hard wraps included, so that a render gives the bulletin back line for line."""
    lines = strip_blank_edges(lines)
    if keep_lines:
        return _runs_as_lines(lines)
    collapsed = is_collapsed(lines)
    blocks: list[Block] = []
    group: _Group | None = None

    def flush() -> None:
        nonlocal group
        if group is not None:
            blocks.append(group.to_block())
            group = None

    index = 0
    while index < len(lines):
        line = lines[index]
        following = lines[index + 1] if index + 1 < len(lines) else None
        if line.is_blank:
            flush()
        elif line.is_indented:
            flush()
            blocks.append(Block(BlockKind.PARAGRAPH, text=line.content))
        elif is_rule(line.text):
            flush()
            blocks.append(Block(BlockKind.RULE, text=line.text))
        elif group is None and following is not None and _underlines(following.text, line.text):
            blocks.append(Block(BlockKind.HEADING, text=line.text))
            index += 1  # the heading's own rule
        else:
            kind = _kind_of_unindented(line.text)
            if collapsed and kind is BlockKind.LINES:
                flush()
                blocks.append(Block(BlockKind.PARAGRAPH, text=line.text))
            else:
                if group is None or group.kind is not kind:
                    flush()
                    group = _Group(kind)
                group.lines.append(line.text)
        index += 1
    flush()
    return tuple(blocks)


def _underlines(rule: str, heading: str) -> bool:
    return (
        is_star_rule(rule)
        and not is_list_item(heading)
        and table_cells(heading) is None
        and rule_fits_heading(rule, heading)
    )


def _runs_as_lines(lines: list[Line]) -> tuple[Block, ...]:
    blocks: list[Block] = []
    run: list[str] = []
    for line in lines + [Line(0, "")]:
        if line.is_blank:
            if run:
                blocks.append(Block(BlockKind.LINES, lines=tuple(run)))
            run = []
        else:
            run.append(line.text)
    return tuple(blocks)
