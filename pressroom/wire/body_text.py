"""A release body as people edit it in a form: the wire format's body, minus its strictness.

Editors see paragraphs indented as on the wire (plain spaces) and may type new ones without
indentation: a lone unindented line between empty lines is a paragraph, since nobody types
five spaces in a text box. Lists, tables, rules and multi-line groups follow the wire rules,
so a body survives being shown and saved again unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence

from pressroom.wire.body import is_list_item, is_rule, read_body, table_cells
from pressroom.wire.lines import Line, split_lines
from pressroom.wire.model import Block, BlockKind
from pressroom.wire.render import render_blocks

EDITOR_INDENT_EN = " " * 5
EDITOR_INDENT_ZH = "\u3000" * 2


def _indent_for(language: str) -> str:
    return EDITOR_INDENT_EN if language == "en" else EDITOR_INDENT_ZH


def render_body(blocks: Sequence[Block], language: str) -> str:
    return "\n".join(render_blocks(tuple(blocks), _indent_for(language)))


def _is_lone_prose_line(lines: list[Line], index: int) -> bool:
    line = lines[index]
    if line.is_blank or line.is_indented:
        return False
    before_blank = index == 0 or lines[index - 1].is_blank
    after_blank = index + 1 == len(lines) or lines[index + 1].is_blank
    return (
        before_blank
        and after_blank
        and not is_list_item(line.text)
        and not is_rule(line.text)
        and table_cells(line.text) is None
    )


def parse_body(text: str, language: str) -> list[Block]:
    lines = split_lines(text)
    indent = _indent_for(language)
    prepared = [
        Line(line.number, indent + line.text) if _is_lone_prose_line(lines, index) else line
        for index, line in enumerate(lines)
    ]
    return list(read_body(prepared))


__all__ = ["render_body", "parse_body", "Block", "BlockKind"]
