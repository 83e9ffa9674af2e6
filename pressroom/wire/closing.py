"""The closing block: where the body ends, and the date and time the release was issued.

English   Ends/Friday, November 3, 2023 (or End/, or day first), Issued at HKT 16:00 (once,
          twice or not at all), NNNN (optional, directly or after an empty line)
Chinese   完 (optional), 2022年12月28日（星期三）, 香港時間15時30分 (optional), NNNN (optional)
Weather   DISPATCHED BY HONG KONG OBSERVATORY AT 09:21 HKT ON 25.08.2022, NNNN (optional)
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from pressroom.wire import dates
from pressroom.wire.dates import DateFormatError
from pressroom.wire.lines import Line
from pressroom.wire.model import ClosingStyle, ParseError

_ENGLISH_ENDS = re.compile(r"^Ends?\s*/\s*(?P<date>.*)$")
_CHINESE_END = re.compile(r"^[-－—–(（\s]*完[-－—–)）\s]*$")
_END_OF_TRANSMISSION = "NNNN"


@dataclass
class Closing:
    style: ClosingStyle
    chinese: bool
    issue_date: dt.date
    issue_time: dt.time | None
    body_end: int  # index of the first line after the body
    trailer_start: int  # index of the first line after the closing block
    simplified: bool = False  # the time line is written 香港时间
    warnings: list[str] = field(default_factory=list)


def _closing_style(text: str) -> str | None:
    """The closing block a line would open: "weather", "english", "chinese", or None."""
    if dates.is_dispatched_line(text):
        return "weather"
    if _ENGLISH_ENDS.match(text):
        return "english"
    if dates.is_chinese_date(text):
        return "chinese"
    return None


def is_closing_line(text: str) -> bool:
    return _closing_style(text) is not None


def find_closing(lines: list[Line], start: int, source: str | None) -> Closing:
    """The last closing line after `start` decides; earlier look-alikes belong to the body
    (so the lines are read from the end: the closing block is near it)."""
    for index in range(len(lines) - 1, start - 1, -1):
        style = _closing_style(lines[index].text)
        if style is not None:
            break
    else:
        raise ParseError(_missing_closing_reason(lines, start), _last_line_number(lines), source)
    try:
        if style == "weather":
            return _read_weather(lines, index)
        if style == "english":
            return _read_english(lines, index)
        return _read_chinese(lines, index)
    except _LineError as error:
        raise ParseError(error.reason, error.line, source) from None


class _LineError(Exception):
    def __init__(self, reason: str, line: int):
        self.reason, self.line = reason, line


def _missing_closing_reason(lines: list[Line], start: int) -> str:
    for line in lines[start:]:
        if line.text.startswith(("Issued at", "香港時間", "香港时间")):
            return f"no closing date before {line.text!r} (line {line.number})"
    return "no closing date: expected 'Ends/<weekday>, <month> <day>, <year>' or '<year>年<month>月<day>日（星期X）'"


def _last_line_number(lines: list[Line]) -> int:
    numbered = [line.number for line in lines if not line.is_blank]
    return numbered[-1] if numbered else 1


def _next_filled(lines: list[Line], index: int) -> int:
    while index < len(lines) and lines[index].is_blank:
        index += 1
    return index


def _read_date(line: Line, read) -> tuple:
    try:
        return read()
    except DateFormatError as error:
        raise _LineError(str(error), line.number) from None


def _weekday_warning(line: Line, day: dt.date, stated: int | None) -> list[str]:
    if stated is None or stated == day.weekday():
        return []
    return [
        f"line {line.number}: {day.isoformat()} is a {dates.ENGLISH_WEEKDAYS[day.weekday()]}, not "
        f"a {dates.ENGLISH_WEEKDAYS[stated]} as the closing says"
    ]


def _take_end_of_transmission(lines: list[Line], index: int) -> int:
    """After the last closing line: skip an optional NNNN (directly or after empty lines)."""
    candidate = _next_filled(lines, index)
    if candidate < len(lines) and lines[candidate].text.strip() == _END_OF_TRANSMISSION:
        return candidate + 1
    return index


def _with_script(time: dt.time | None) -> tuple[dt.time, bool] | None:
    return None if time is None else (time, False)


def _read_time_lines(
    lines: list[Line], after: int, read, label: str, warnings: list[str]
) -> tuple[dt.time | None, bool, int]:
    """The time line after the date: (time, written in Simplified, index after it). Some
    mirrors print it twice; a page without one (department sites) has no known time."""
    issue_time, simplified = None, False
    while (candidate := _next_filled(lines, after)) < len(lines):
        line = lines[candidate]
        found = _read_date(line, lambda text=line.text: read(text))
        if found is None:
            break
        if issue_time is None:
            issue_time, simplified = found
        else:
            same = (
                "the same"
                if found[0] == issue_time
                else f"a different time; keeping {issue_time:%H:%M}"
            )
            warnings.append(f"line {line.number}: the {label} line is printed twice ({same})")
        after = candidate + 1
    if issue_time is None:
        warnings.append(
            f"line {lines[after - 1].number}: no {label!r} line; the issue time is unknown"
        )
    return issue_time, simplified, after


def _read_english(lines: list[Line], index: int) -> Closing:
    ends_line = lines[index]
    date_text = _ENGLISH_ENDS.match(ends_line.text)["date"]
    day, weekday = _read_date(ends_line, lambda: dates.read_english_date(date_text))
    warnings = _weekday_warning(ends_line, day, weekday)
    issue_time, _, after = _read_time_lines(
        lines,
        index + 1,
        lambda text: _with_script(dates.read_english_time(text)),
        "Issued at HKT",
        warnings,
    )
    return Closing(
        style=ClosingStyle.ENDS,
        chinese=False,
        issue_date=day,
        issue_time=issue_time,
        body_end=index,
        trailer_start=_take_end_of_transmission(lines, after),
        warnings=warnings,
    )


def _read_chinese(lines: list[Line], index: int) -> Closing:
    date_line = lines[index]
    day, weekday = _read_date(date_line, lambda: dates.read_chinese_date(date_line.text))
    warnings = _weekday_warning(date_line, day, weekday)
    body_end = index
    previous = index - 1
    while previous >= 0 and lines[previous].is_blank:
        previous -= 1
    if previous >= 0 and _CHINESE_END.match(lines[previous].text):
        body_end = previous
    issue_time, simplified, after = _read_time_lines(
        lines, index + 1, dates.read_chinese_time, "香港時間", warnings
    )
    return Closing(
        style=ClosingStyle.ENDS,
        chinese=True,
        issue_date=day,
        issue_time=issue_time,
        body_end=body_end,
        trailer_start=_take_end_of_transmission(lines, after),
        simplified=simplified,
        warnings=warnings,
    )


def _read_weather(lines: list[Line], index: int) -> Closing:
    line = lines[index]
    day, time = _read_date(line, lambda: dates.read_dispatched(line.text.strip()))
    return Closing(
        style=ClosingStyle.DISPATCHED,
        chinese=False,
        issue_date=day,
        issue_time=time,
        body_end=index,
        trailer_start=_take_end_of_transmission(lines, index + 1),
    )
