"""Bytes to text: the encodings real archives hold, and repair of text garbled upstream.

Archives hold UTF-8 (with or without a BOM), Big5 and Big5-HKSCS, with CRLF or CR line ends,
and pages where UTF-8 bytes were once read as cp1252 or Latin-1 and saved again (mojibake:
'â€™' for '’', 'é¦™æ¸¯' for '香港'). Text that cannot be read is reported with the line of
its first bad byte, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pressroom.wire.lines import normalise_newlines
from pressroom.wire.model import ParseError

# Tried in this order: UTF-8 is strict enough that a Big5 file never passes for it, and
# Big5-HKSCS reads all of Big5 plus the Hong Kong characters (輋, 埗, ...).
_ENCODINGS = ("utf-8", "big5hkscs")
_BOM = b"\xef\xbb\xbf"

# Characters that UTF-8 lead bytes become when read as cp1252 / Latin-1: Ã Â (2-byte
# sequences), â (punctuation such as ’ “ ”), ä å æ ç è é (CJK), followed by a continuation.
_MOJIBAKE_HINT = re.compile(
    "[\u00c2-\u00ef][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    warnings: tuple[str, ...] = ()


def decode(data: bytes, source: str | None = None) -> str:
    """The text of a file: decoded, line ends made LF, mojibake repaired."""
    return decode_detailed(data, source).text


def decode_detailed(data: bytes, source: str | None = None) -> Decoded:
    """Like decode(), with the encoding found and what was repaired on the way."""
    source = str(source) if source is not None else None
    warnings: list[str] = []
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
        encodings: tuple[str, ...] = ("utf-8",)
    else:
        encodings = _ENCODINGS
    failures: list[UnicodeDecodeError] = []
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as error:
            failures.append(error)
            continue
        text, repaired = repair_mojibake(normalise_newlines(text))
        warnings.extend(repaired)
        return Decoded(text, encoding, tuple(warnings))
    raise _undecodable(data, failures, source)


def _line_of_offset(data: bytes, offset: int) -> int:
    head = data[:offset].replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    return head.count(b"\n") + 1


def _undecodable(data: bytes, failures: list[UnicodeDecodeError], source: str | None) -> ParseError:
    """The encoding that read furthest is most likely the file's own: report where it stopped."""
    furthest = max(failures, key=lambda error: error.start)
    bad = data[furthest.start : furthest.start + 4].hex(" ")
    tried = ", ".join(error.encoding for error in failures)
    return ParseError(
        f"cannot decode the text (tried {tried}): byte(s) {bad} at offset {furthest.start} "
        f"are not valid {furthest.encoding}",
        _line_of_offset(data, furthest.start),
        source,
    )


def _as_original_bytes(text: str) -> bytes | None:
    """The bytes a cp1252 / Latin-1 reader turned into `text`, or None if it could not have."""
    out = bytearray()
    for character in text:
        try:
            out += character.encode("cp1252")
        except UnicodeEncodeError:
            if ord(character) > 0xFF:
                return None
            out.append(ord(character))  # the five bytes cp1252 leaves undefined, read as Latin-1
    return bytes(out)


def _repair_line(line: str) -> str | None:
    if not _MOJIBAKE_HINT.search(line):
        return None
    original = _as_original_bytes(line)
    if original is None:
        return None
    try:
        repaired = original.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return repaired if repaired != line else None


def repair_mojibake(text: str) -> tuple[str, list[str]]:
    """Text with garbled lines repaired, and a warning naming the lines that were.

    Line by line, because captures often garble only some lines (a pasted caption, a title),
    and a line is only changed when all of it reads back as valid UTF-8."""
    if text.isascii() or not _MOJIBAKE_HINT.search(text):
        return text, []  # the hint never spans lines: no line would match either
    lines = text.split("\n")
    repaired_numbers = []
    for index, line in enumerate(lines):
        repaired = _repair_line(line)
        if repaired is not None:
            lines[index] = repaired
            repaired_numbers.append(index + 1)
    if not repaired_numbers:
        return text, []
    shown = ", ".join(str(number) for number in repaired_numbers[:5])
    more = f" and {len(repaired_numbers) - 5} more" if len(repaired_numbers) > 5 else ""
    warning = f"line {repaired_numbers[0]}: repaired mojibake (UTF-8 read as cp1252 upstream) on line(s) {shown}{more}"
    return "\n".join(lines), [warning]
