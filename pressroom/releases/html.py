"""A release body as HTML: the one place body blocks become markup (site pages, ninjs).

Bodies are stored as wire blocks, never as HTML, so every piece of text is escaped here as it is
written; nothing from a release can inject markup.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from pressroom.wire.model import Block, BlockKind

# List markers as issued: bullets ("- ", "* ", "• "), numbers ("1.", "1)", "(1)", "1、",
# full-width "（1）"). Anything else stays part of the item's text.
_LIST_MARKER = re.compile(r"^\s*(?:[-*•·‧●]\s+|[(（]?(?P<number>\d{1,3})(?:\.(?!\d)|[)、）])\s*)")


def body_html(blocks: Iterable[Block | dict]) -> SafeString:
    """Safe HTML for body blocks (Block objects or their stored dicts), one element each."""
    parts = [_block_html(_as_block(block)) for block in blocks]
    return mark_safe("\n".join(part for part in parts if part))


def _as_block(block: Block | dict) -> Block:
    return block if isinstance(block, Block) else Block.from_dict(block)


def _block_html(block: Block) -> str:
    if block.kind == BlockKind.PARAGRAPH:
        return f"<p>{escape(block.text)}</p>"
    if block.kind == BlockKind.LINES:
        return _lines_html(block.lines or (block.text,))
    if block.kind == BlockKind.LIST:
        return _list_html(block)
    if block.kind == BlockKind.TABLE:
        return _table_html(block)
    if block.kind == BlockKind.RULE:
        return "<hr>"
    if block.kind == BlockKind.HEADING:
        return f"<h2>{escape(block.text)}</h2>"
    raise ValueError(f"unknown body block kind: {block.kind!r}")


def _lines_html(lines: Iterable[str]) -> str:
    return "<p>" + "<br>".join(escape(line) for line in lines) + "</p>"


def strip_list_marker(item: str) -> str:
    """An item without its bullet or number, as the list element draws its own."""
    return _LIST_MARKER.sub("", item, count=1)


def _list_html(block: Block) -> str:
    tag = "ol" if block.ordered else "ul"
    start = _first_number(block.lines) if block.ordered else None
    opening = f'<{tag} start="{start}">' if start not in (None, 1) else f"<{tag}>"
    items = "".join(f"<li>{escape(strip_list_marker(item))}</li>" for item in block.lines)
    return f"{opening}{items}</{tag}>"


def _first_number(lines: tuple[str, ...]) -> int | None:
    match = _LIST_MARKER.match(lines[0]) if lines else None
    if match and match.group("number"):
        return int(match.group("number"))
    return None


def _table_html(block: Block) -> str:
    rows = block.rows or tuple((line,) for line in block.lines)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>" for row in rows
    )
    return f"<table><tbody>{body}</tbody></table>"
