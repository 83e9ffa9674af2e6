"""The month grid the archive shows: weeks of days, each knowing how many releases it holds."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

# Hong Kong calendars start the week on Sunday.
FIRST_WEEKDAY = calendar.SUNDAY


@dataclass(frozen=True)
class CalendarDay:
    day: dt.date | None  # None: a blank cell before the 1st or after the last day
    release_count: int = 0
    is_selected: bool = False
    is_today: bool = False

    @property
    def has_releases(self) -> bool:
        return self.release_count > 0


@dataclass(frozen=True)
class MonthGrid:
    first_day: dt.date
    weeks: tuple[tuple[CalendarDay, ...], ...]
    # Columns in display order, as indexes into Monday-first weekday names (6 is Sunday).
    weekday_order: tuple[int, ...]

    @property
    def total_releases(self) -> int:
        return sum(cell.release_count for week in self.weeks for cell in week)

    @property
    def days_with_releases(self) -> list[CalendarDay]:
        return [cell for week in self.weeks for cell in week if cell.has_releases]


def month_grid(
    first_day: dt.date,
    counts: dict[dt.date, int],
    today: dt.date,
    selected: dt.date | None = None,
) -> MonthGrid:
    """Lay out one month as weeks; `counts` maps days to how many releases were issued."""
    month = calendar.Calendar(firstweekday=FIRST_WEEKDAY)
    weeks = []
    for week in month.monthdatescalendar(first_day.year, first_day.month):
        weeks.append(
            tuple(
                CalendarDay(
                    day=day,
                    release_count=counts.get(day, 0),
                    is_selected=day == selected,
                    is_today=day == today,
                )
                if day.month == first_day.month
                else CalendarDay(day=None)
                for day in week
            )
        )
    order = tuple((FIRST_WEEKDAY + offset) % 7 for offset in range(7))
    return MonthGrid(first_day=first_day, weeks=tuple(weeks), weekday_order=order)
