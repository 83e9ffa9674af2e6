"""The typed shape of one release as the wire format carries it.

This is the contract between the wire module (text <-> ParsedRelease) and everything that
stores or shows releases (importer, exporter, site, API). Body blocks are also the one stored
form of a release body (`ReleaseVersion.body` holds `[block.to_dict(), ...]`): safe by
construction, since every output (HTML, wire text, ninjs) escapes text when it writes it.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field


class Language(str, enum.Enum):
    EN = "en"
    ZH_HANT = "zh-Hant"
    ZH_HANS = "zh-Hans"


class BlockKind(str, enum.Enum):
    # An indented narrative paragraph (five spaces in English, two U+3000 in Chinese).
    PARAGRAPH = "paragraph"
    # Lines that are not indented, kept line by line as issued: preambles ("Attention duty
    # announcers, ..."), speaker turns in transcripts, any line that is not a list or table.
    LINES = "lines"
    # Consecutive list items; `lines` holds each item exactly as issued, marker included
    # ("- ", "* ", "1."), `ordered` says whether the markers are numbers.
    LIST = "list"
    # A simple table: `rows` of cells. `lines` keeps the rows exactly as issued (colon
    # separated "Tender date : September 8, 2020" or space-padded columns).
    TABLE = "table"
    # A separator line inside the body: a run of "*", "-" (57 or 58 hyphens) or "* * * * *".
    RULE = "rule"
    # A second heading inside the body, which the source underlines with its own rule of "*".
    HEADING = "heading"


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    # PARAGRAPH, HEADING: the text. RULE: the rule line itself, e.g. "-" * 57.
    text: str = ""
    # LINES, LIST, TABLE: the lines exactly as issued (no trailing white space).
    lines: tuple[str, ...] = ()
    # TABLE: the cells of each row.
    rows: tuple[tuple[str, ...], ...] = ()
    # LIST: numbered markers.
    ordered: bool = False

    def to_dict(self) -> dict:
        data: dict = {"kind": self.kind.value}
        if self.text:
            data["text"] = self.text
        if self.lines:
            data["lines"] = list(self.lines)
        if self.rows:
            data["rows"] = [list(row) for row in self.rows]
        if self.ordered:
            data["ordered"] = True
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Block:
        return cls(
            kind=BlockKind(data["kind"]),
            text=data.get("text", ""),
            lines=tuple(data.get("lines", ())),
            rows=tuple(tuple(row) for row in data.get("rows", ())),
            ordered=bool(data.get("ordered", False)),
        )


class PageKind(str, enum.Enum):
    RELEASE = "release"  # a press release (page, print view or mirror)
    PHOTO = "photo"  # a photo pop-up page: one caption
    WEATHER = "weather"  # a press weather bulletin (upper case, DISPATCHED BY ... line)


class ClosingStyle(str, enum.Enum):
    ENDS = "ends"  # Ends/<date>, Issued at HKT hh:mm, NNNN   (Chinese: 完, date, 香港時間, NNNN)
    DISPATCHED = "dispatched"  # DISPATCHED BY HONG KONG OBSERVATORY AT 09:21 HKT ON 25.08.2022


@dataclass(frozen=True)
class ParsedRelease:
    language: Language
    title: str
    body: tuple[Block, ...]
    # The date and time the closing block states, in Hong Kong time. `issue_time` is None when
    # the source has no Issued line (some department sites). `issue_date` is None only for
    # PHOTO pages: a photo pop-up carries no closing block, its date comes from the release.
    issue_date: dt.date | None
    issue_time: dt.time | None
    captions: tuple[str, ...] = ()
    # The reference number when the source names it (file name P2023110300392.htm); None
    # otherwise. Normalised: no "p" suffix, no "_print" / "_photo_<n>" tail.
    reference: str | None = None
    kind: PageKind = PageKind.RELEASE
    closing_style: ClosingStyle = ClosingStyle.ENDS
    # PHOTO pages: which photo of the release (the <n> of _photo_<n>.htm), 1-based.
    photo_number: int | None = None
    # Audio / Video block titles after NNNN, in order.
    videos: tuple[str, ...] = ()
    # Things noticed but accepted (rule length differs from the title, doubled Issued line,
    # mojibake repaired, ...), each "line N: what".
    warnings: tuple[str, ...] = field(default=(), compare=False)
    # The department's name when the page comes from a department site that re-publishes the
    # release (the line after "Skip to main content"); None for news.gov.hk pages and mirrors.
    department: str | None = None


class ParseError(ValueError):
    """A wire text that cannot be read, with where and why."""

    def __init__(self, reason: str, line: int | None = None, source: str | None = None):
        self.reason = reason
        self.line = line
        self.source = source
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.source or "<text>"
        if self.line is not None:
            where = f"{where}, line {self.line}"
        return f"{where}: {self.reason}"
