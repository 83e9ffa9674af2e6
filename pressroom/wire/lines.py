"""Numbered source lines: every error and warning names the line it is about."""

from __future__ import annotations

from dataclasses import dataclass

# The white space that indents a paragraph or fills a "line of one space" in real pages:
# ASCII space, tab, no-break space (from &nbsp;) and the ideographic space U+3000.
INDENT_CHARACTERS = " \t\u00a0\u3000"


@dataclass(frozen=True)
class Line:
    number: int  # 1-based, as an editor shows it
    text: str  # without trailing white space

    @property
    def is_blank(self) -> bool:
        return not self.text

    @property
    def is_indented(self) -> bool:
        return bool(self.text) and self.text[0] in INDENT_CHARACTERS

    @property
    def content(self) -> str:
        """The text without its indentation."""
        return self.text.lstrip(INDENT_CHARACTERS)


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR (old Mac-style captures) become LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split_lines(text: str) -> list[Line]:
    """Numbered lines with trailing white space (spaces, no-break spaces, U+3000) removed.

    A line holding only white space (the "line of one space" separators) becomes blank.
    """
    text = normalise_newlines(text).removeprefix("\ufeff")
    return [Line(number, raw.rstrip()) for number, raw in enumerate(text.split("\n"), start=1)]


def strip_blank_edges(lines: list[Line]) -> list[Line]:
    start, end = 0, len(lines)
    while start < end and lines[start].is_blank:
        start += 1
    while end > start and lines[end - 1].is_blank:
        end -= 1
    return lines[start:end]
