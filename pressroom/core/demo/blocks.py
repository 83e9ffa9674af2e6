"""Short constructors for body blocks, so the sample texts read like releases, not like data."""

from __future__ import annotations

from pressroom.wire.model import Block, BlockKind


def para(text: str) -> Block:
    return Block(BlockKind.PARAGRAPH, text=text)


def lines(*texts: str) -> Block:
    return Block(BlockKind.LINES, lines=texts)


def bullets(*items: str) -> Block:
    return Block(BlockKind.LIST, lines=tuple(f"- {item}" for item in items))


def numbered(*items: str) -> Block:
    return Block(
        BlockKind.LIST,
        lines=tuple(f"{number}. {item}" for number, item in enumerate(items, 1)),
        ordered=True,
    )


def table(*rows: tuple[str, ...], separator: str = " : ") -> Block:
    """A table whose issued lines join the cells with `separator` ("Date : May 2")."""
    return Block(BlockKind.TABLE, lines=tuple(separator.join(row) for row in rows), rows=rows)


def columns(*rows: tuple[str, ...], widths: tuple[int, ...]) -> Block:
    """A table issued as space-padded columns, the way statistics releases print them."""
    issued = tuple(
        "".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in rows
    )
    return Block(BlockKind.TABLE, lines=issued, rows=rows)


def heading(text: str) -> Block:
    return Block(BlockKind.HEADING, text=text)


def rule() -> Block:
    return Block(BlockKind.RULE, text="-" * 57)
