"""The plain-text wire format of press releases: pure functions, no database.

    parse(text, source=...) -> ParsedRelease      (raises ParseError)
    render(parsed) -> str                          (the canonical wire text)
    decode(data: bytes, source=...) -> str         (UTF-8, UTF-8 with BOM, Big5, Big5-HKSCS)
"""

from pressroom.wire.model import (  # noqa: F401
    Block,
    BlockKind,
    ClosingStyle,
    Language,
    ParsedRelease,
    ParseError,
    PageKind,
)
