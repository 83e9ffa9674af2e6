"""The plain-text wire format of press releases: pure functions, no database.

parse(text, source=...) -> ParsedRelease      (raises ParseError)
parse_bytes(data, source=...) -> ParsedRelease (decode + parse, warnings kept)
render(parsed) -> str                          (the canonical wire text)
decode(data: bytes, source=...) -> str         (UTF-8, UTF-8 with BOM, Big5, Big5-HKSCS)
reference_from_filename(name) -> (reference | None, PageKind, photo number | None)
"""

from pressroom.wire.decode import decode, decode_detailed  # noqa: F401
from pressroom.wire.filenames import reference_from_filename  # noqa: F401
from pressroom.wire.model import (  # noqa: F401
    Block,
    BlockKind,
    ClosingStyle,
    Language,
    PageKind,
    ParsedRelease,
    ParseError,
)
from pressroom.wire.parse import parse, parse_bytes  # noqa: F401
from pressroom.wire.render import render  # noqa: F401
