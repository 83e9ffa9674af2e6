"""Dates on the public site: reading them from URLs and writing them as the releases do.

The closing lines themselves are written by `pressroom.wire.dates`, so a page and its wire
text always agree.

Every date and time shown is Hong Kong time. Reading a date from a URL never raises: anything
that is not a real day inside the archive's span is `None`, which the views turn into a 404.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from pressroom.releases.languages import Language
from pressroom.releases.models import HONG_KONG
from pressroom.wire import dates as wire_dates
from pressroom.wire.dates import ENGLISH_MONTHS

# The span the site serves. Bounded so that converting a day's edges to UTC can never overflow
# (year 1 or 9999 would), and so crawlers cannot walk an endless calendar.
FIRST_YEAR = 1900


def hong_kong_today(now: dt.datetime) -> dt.date:
    return timezone.localtime(now, HONG_KONG).date()


def parse_day(year: str, month: str, day: str, now: dt.datetime) -> dt.date | None:
    """The day a URL names, or None when it is impossible or still in the future."""
    try:
        value = dt.date(int(year), int(month), int(day))
    except (TypeError, ValueError, OverflowError):
        return None
    if value.year < FIRST_YEAR or value > hong_kong_today(now):
        return None
    return value


def parse_month(year: str, month: str, now: dt.datetime) -> dt.date | None:
    """The first day of the month a URL names, or None when impossible or in the future."""
    return parse_day(year, month, "1", now)


def parse_iso_day(text: str, now: dt.datetime) -> dt.date | None:
    """A day typed into the date picker (YYYY-MM-DD)."""
    try:
        value = dt.date.fromisoformat(text.strip())
    except ValueError:
        return None
    return parse_day(str(value.year), str(value.month), str(value.day), now)


def month_bounds(first_day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The instants where a Hong Kong calendar month starts and the next one starts."""
    start = dt.datetime.combine(first_day, dt.time.min, tzinfo=HONG_KONG)
    return start, dt.datetime.combine(next_month(first_day), dt.time.min, tzinfo=HONG_KONG)


def next_month(first_day: dt.date) -> dt.date:
    if first_day.month == 12:
        return dt.date(first_day.year + 1, 1, 1)
    return dt.date(first_day.year, first_day.month + 1, 1)


def previous_month(first_day: dt.date) -> dt.date | None:
    if first_day.month == 1:
        earlier = dt.date(first_day.year - 1, 12, 1)
    else:
        earlier = dt.date(first_day.year, first_day.month - 1, 1)
    return earlier if earlier.year >= FIRST_YEAR else None


def long_date(day: dt.date, language: str) -> str:
    """'Friday, November 3, 2023' or '2023年11月3日（星期五）', as a release's closing line has it."""
    if language == Language.EN:
        return wire_dates.english_date(day)
    return wire_dates.chinese_date(day)


def month_name(first_day: dt.date, language: str) -> str:
    if language == Language.EN:
        return f"{ENGLISH_MONTHS[first_day.month - 1]} {first_day.year}"
    return f"{first_day.year}年{first_day.month}月"


def ends_line(day: dt.date, language: str) -> str:
    """The closing date line: 'Ends/Friday, November 3, 2023' (Chinese: the date alone)."""
    if language == Language.EN:
        return f"Ends/{long_date(day, language)}"
    return long_date(day, language)


def issued_line(instant: dt.datetime, language: str) -> str:
    """'Issued at HKT 16:00', '香港時間16時00分' or '香港时间16时00分'."""
    local_time = timezone.localtime(instant, HONG_KONG).time()
    if language == Language.EN:
        return wire_dates.english_time(local_time)
    return wire_dates.chinese_time(local_time, simplified=language == Language.ZH_HANS)


def clock_time(instant: dt.datetime) -> str:
    """The issue time in listings: HH:MM in Hong Kong time."""
    return f"{timezone.localtime(instant, HONG_KONG):%H:%M}"


def local_datetime(instant: dt.datetime, language: str) -> str:
    """A moment such as a correction time: the long date and the HKT clock time."""
    local = timezone.localtime(instant, HONG_KONG)
    if language == Language.EN:
        return f"{long_date(local.date(), language)}, {local:%H:%M} HKT"
    return f"{long_date(local.date(), language)} {issued_line(instant, language)}"
