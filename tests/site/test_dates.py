import datetime as dt

import pytest

from pressroom.site import dates
from pressroom.site.month_calendar import month_grid
from tests.support.clock import hong_kong

NOW = hong_kong(2023, 11, 3, 16, 0)


@pytest.mark.parametrize(
    ("year", "month", "day"),
    [("2023", "02", "30"), ("2023", "13", "01"), ("0000", "01", "01"), ("2023", "00", "10"),
     ("1899", "12", "31"), ("2023", "11", "04"), ("2024", "01", "01"), ("", "", ""),
     ("x", "1", "1")],
)  # fmt: skip
def test_impossible_old_or_future_days_are_not_days(year, month, day):
    assert dates.parse_day(year, month, day, NOW) is None


def test_today_in_hong_kong_is_a_day_even_when_utc_is_still_yesterday():
    just_after_midnight = hong_kong(2023, 11, 4, 0, 5)  # 16:05 UTC on the 3rd
    assert dates.parse_day("2023", "11", "04", just_after_midnight) == dt.date(2023, 11, 4)


def test_date_picker_input():
    assert dates.parse_iso_day("2023-11-02", NOW) == dt.date(2023, 11, 2)
    assert dates.parse_iso_day("2023-11-31", NOW) is None
    assert dates.parse_iso_day("yesterday", NOW) is None


def test_closing_lines_in_each_language():
    day = dt.date(2023, 11, 3)
    assert dates.ends_line(day, "en") == "Ends/Friday, November 3, 2023"
    assert dates.ends_line(day, "zh-Hant") == "2023年11月3日（星期五）"
    assert dates.issued_line(hong_kong(2023, 11, 3, 16, 0), "en") == "Issued at HKT 16:00"
    assert dates.issued_line(hong_kong(2023, 11, 3, 9, 5), "zh-Hant") == "香港時間09時05分"
    assert dates.issued_line(hong_kong(2023, 11, 3, 16, 0), "zh-Hans") == "香港时间16时00分"


def test_months_step_across_years():
    assert dates.next_month(dt.date(2023, 12, 1)) == dt.date(2024, 1, 1)
    assert dates.previous_month(dt.date(2024, 1, 1)) == dt.date(2023, 12, 1)
    assert dates.previous_month(dt.date(dates.FIRST_YEAR, 1, 1)) is None


def test_month_grid_starts_weeks_on_sunday_and_counts_releases():
    grid = month_grid(dt.date(2023, 11, 1), {dt.date(2023, 11, 3): 2}, today=dt.date(2023, 11, 3))
    first_week = grid.weeks[0]
    # November 1, 2023 was a Wednesday: Sunday to Tuesday are blank.
    assert [cell.day for cell in first_week[:3]] == [None, None, None]
    assert first_week[3].day == dt.date(2023, 11, 1)
    assert grid.weekday_order[0] == 6  # Sunday
    assert [cell.day for cell in grid.days_with_releases] == [dt.date(2023, 11, 3)]
    assert grid.total_releases == 2
