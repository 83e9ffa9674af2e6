"""A body as plain text, without the wire format's layout: one block per paragraph, separated
by an empty line (ninjs's text/plain body, the e-mail's text part, a page's description)."""

from __future__ import annotations

from collections.abc import Iterable

from pressroom.wire.model import Block, BlockKind


def plain_text(blocks: Iterable[Block]) -> str:
    """The body as plain text: one block per paragraph, separated by an empty line."""
    parts = []
    for block in blocks:
        if block.kind in (BlockKind.PARAGRAPH, BlockKind.HEADING, BlockKind.RULE):
            parts.append(block.text)
        elif block.kind == BlockKind.TABLE and not block.lines:
            parts.append("\n".join("  ".join(row) for row in block.rows))
        else:
            parts.append("\n".join(block.lines) or block.text)
    return "\n\n".join(part for part in parts if part)
