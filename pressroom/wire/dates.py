"""Dates and times as the closing blocks write them: one place for reading and writing each form.

English  Ends/Friday, November 3, 2023      Issued at HKT 16:00
         End/Monday, 6 June, 2016 (day first, department sites)
Chinese  2023年11月3日（星期五）               香港時間16時00分 (zh-Hans: 香港时间16时00分)
Weather  DISPATCHED BY HONG KONG OBSERVATORY AT 09:21 HKT ON 25.08.2022
"""

from __future__ import annotations

import datetime as dt
import re

ENGLISH_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
ENGLISH_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
CHINESE_WEEKDAYS = "一二三四五六日"

_MONTH_BY_NAME = {name.lower(): number for number, name in enumerate(ENGLISH_MONTHS, start=1)}
_MONTH_BY_NAME.update({name[:3].lower(): number for name, number in list(_MONTH_BY_NAME.items())})
_MONTH_BY_NAME["sept"] = 9
_WEEKDAY_BY_NAME = {name.lower(): number for number, name in enumerate(ENGLISH_WEEKDAYS)}
_WEEKDAY_BY_NAME.update(
    {name[:3].lower(): number for name, number in list(_WEEKDAY_BY_NAME.items())}
)

_ENGLISH_DATE = re.compile(
    r"^(?:(?P<weekday>[A-Za-z]+)\.?\s*,?\s+)?"
    r"(?:(?P<month>[A-Za-z]+)\.?\s+(?P<day>\d{1,2})|(?P<day_first>\d{1,2})\s+(?P<month_second>[A-Za-z]+)\.?)"
    r"\s*,?\s*(?P<year>\d{4})$"
)
_CHINESE_DATE = re.compile(
    r"^(?P<year>\d{4})\s*年\s*(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*日\s*"
    r"[（(]\s*(?:星期|禮拜|礼拜)(?P<weekday>[一二三四五六日天])\s*[）)]$"
)
_ENGLISH_TIME = re.compile(
    r"^Issued\s+at\s+HKT\s*(?P<hour>\d{1,2})\s*[:：.]\s*(?P<minute>\d{2})$", re.I
)
_CHINESE_TIME = re.compile(
    r"^香港(?P<variant>時間|时间)\s*(?P<hour>\d{1,2})\s*[時时:：]\s*(?P<minute>\d{2})\s*分?$"
)
_DISPATCHED = re.compile(
    r"^DISPATCHED\s+BY\s+(?P<by>.+?)\s+AT\s+(?P<hour>\d{1,2}):(?P<minute>\d{2})\s+HKT\s+ON\s+"
    r"(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})$",
    re.I,
)


class DateFormatError(ValueError):
    """A date or time line that has the right shape at its start but cannot be read."""


# -- writing ---------------------------------------------------------------------------------


def english_date(day: dt.date) -> str:
    """'Friday, November 3, 2023': the weekday from the date, the day not zero-padded."""
    return (
        f"{ENGLISH_WEEKDAYS[day.weekday()]}, {ENGLISH_MONTHS[day.month - 1]} {day.day}, {day.year}"
    )


def english_time(time: dt.time) -> str:
    return f"Issued at HKT {time.hour:02d}:{time.minute:02d}"


def chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日（星期{CHINESE_WEEKDAYS[day.weekday()]}）"


def chinese_time(time: dt.time, *, simplified: bool) -> str:
    prefix = "香港时间" if simplified else "香港時間"
    hour_mark = "时" if simplified else "時"
    return f"{prefix}{time.hour:02d}{hour_mark}{time.minute:02d}分"


def dispatched_line(day: dt.date, time: dt.time) -> str:
    return (
        f"DISPATCHED BY HONG KONG OBSERVATORY AT {time.hour:02d}:{time.minute:02d} HKT "
        f"ON {day.day:02d}.{day.month:02d}.{day.year}"
    )


# -- reading ---------------------------------------------------------------------------------


def _make_date(year: int, month: int, day: int, text: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise DateFormatError(f"{text!r} is not a real date") from None


def _make_time(hour: int, minute: int, text: str) -> dt.time:
    try:
        return dt.time(hour, minute)
    except ValueError:
        raise DateFormatError(f"{text!r} is not a real time of day") from None


def read_english_date(text: str) -> tuple[dt.date, int | None]:
    """The date of 'Friday, November 3, 2023' or 'Monday, 6 June, 2016', and the weekday the
    text names (0 = Monday) or None; the caller decides what a wrong weekday means."""
    match = _ENGLISH_DATE.match(text.strip())
    if not match:
        raise DateFormatError(
            f"cannot read the date {text.strip()!r} (expected e.g. 'Friday, November 3, 2023')"
        )
    month_name = (match["month"] or match["month_second"]).lower()
    if month_name not in _MONTH_BY_NAME:
        raise DateFormatError(f"{month_name!r} in {text.strip()!r} is not a month")
    weekday = None
    if match["weekday"]:
        if match["weekday"].lower() not in _WEEKDAY_BY_NAME:
            raise DateFormatError(f"{match['weekday']!r} in {text.strip()!r} is not a weekday")
        weekday = _WEEKDAY_BY_NAME[match["weekday"].lower()]
    day = int(match["day"] or match["day_first"])
    return _make_date(int(match["year"]), _MONTH_BY_NAME[month_name], day, text), weekday


def is_chinese_date(text: str) -> bool:
    return bool(_CHINESE_DATE.match(text))


def read_chinese_date(text: str) -> tuple[dt.date, int]:
    match = _CHINESE_DATE.match(text)
    if not match:
        raise DateFormatError(
            f"cannot read the date {text!r} (expected e.g. '2023年11月3日（星期五）')"
        )
    weekday = CHINESE_WEEKDAYS.index(match["weekday"].replace("天", "日"))
    return _make_date(int(match["year"]), int(match["month"]), int(match["day"]), text), weekday


def read_english_time(text: str) -> dt.time | None:
    """The time of an 'Issued at HKT 6:17' line; None when the line is not an Issued line."""
    match = _ENGLISH_TIME.match(text)
    if not match:
        if text.lower().startswith("issued at"):
            raise DateFormatError(
                f"cannot read the time in {text!r} (expected e.g. 'Issued at HKT 16:00')"
            )
        return None
    return _make_time(int(match["hour"]), int(match["minute"]), text)


def read_chinese_time(text: str) -> tuple[dt.time, bool] | None:
    """The time of a '香港時間15時30分' line and whether it is written in Simplified Chinese."""
    match = _CHINESE_TIME.match(text)
    if not match:
        if text.startswith(("香港時間", "香港时间")):
            raise DateFormatError(
                f"cannot read the time in {text!r} (expected e.g. '香港時間16時00分')"
            )
        return None
    return _make_time(int(match["hour"]), int(match["minute"]), text), match["variant"] == "时间"


def is_dispatched_line(text: str) -> bool:
    return text.upper().startswith("DISPATCHED BY")


def read_dispatched(text: str) -> tuple[dt.date, dt.time]:
    match = _DISPATCHED.match(text)
    if not match:
        raise DateFormatError(
            f"cannot read {text!r} (expected e.g. 'DISPATCHED BY HONG KONG OBSERVATORY AT 09:21 HKT ON 25.08.2022')"
        )
    day = _make_date(int(match["year"]), int(match["month"]), int(match["day"]), text)
    return day, _make_time(int(match["hour"]), int(match["minute"]), text)
