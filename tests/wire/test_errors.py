"""Text that cannot be read gives a ParseError naming the source, the line and the reason."""

from __future__ import annotations

import pytest

from pressroom.wire import ParseError, parse
from tests.support.wire import fixture_text


@pytest.mark.parametrize(
    ("name", "line", "reason"),
    [
        ("en_broken_year_error.txt", 5, "cannot read the date 'Thursday, May 28, 200'"),
        ("en_no_closing_date_error.txt", 3, "no closing date"),
        ("en_only_furniture_error.txt", 3, "only page furniture"),
        ("en_empty_error.txt", 1, "the file is empty"),
    ],
)
def test_fixture_errors_name_source_line_and_reason(name, line, reason):
    with pytest.raises(ParseError) as caught:
        parse(fixture_text(name), source=f"archive/{name}")
    error = caught.value
    assert (error.source, error.line) == (f"archive/{name}", line)
    assert reason in error.reason
    assert str(error).startswith(f"archive/{name}, line {line}: ")


@pytest.mark.parametrize(
    ("closing", "line", "reason"),
    [
        (
            "Ends/Friday, Novembre 3, 2023",
            4,
            "'novembre' in 'Friday, Novembre 3, 2023' is not a month",
        ),
        (
            "Ends/Funday, November 3, 2023",
            4,
            "'Funday' in 'Funday, November 3, 2023' is not a weekday",
        ),
        ("Ends/Thursday, February 30, 2023", 4, "is not a real date"),
        ("Ends/Friday, November 3, 2023\nIssued at HKT 25:61", 5, "is not a real time of day"),
        (
            "Ends/Friday, November 3, 2023\nIssued at noon",
            5,
            "cannot read the time in 'Issued at noon'",
        ),
        ("2023年2月30日（星期四）", 4, "is not a real date"),
        ("完\n2023年11月3日（星期五）\n香港時間16時99分", 6, "is not a real time of day"),
        ("Issued at HKT 16:00\nNNNN", 5, "no closing date before 'Issued at HKT 16:00' (line 4)"),
        ("DISPATCHED BY HONG KONG OBSERVATORY AT 9 HKT", 4, "cannot read 'DISPATCHED BY"),
    ],
)
def test_closing_errors(closing, line, reason):
    text = f"Sample: A release\n*****************\n     A sample paragraph.\n{closing}\n"
    with pytest.raises(ParseError) as caught:
        parse(text, source="sample.htm")
    assert caught.value.line == line
    assert reason in caught.value.reason


def test_closing_block_first_has_no_title():
    with pytest.raises(ParseError) as caught:
        parse("Go to main content\n \nEnds/Friday, November 3, 2023\nNNNN\n", source="x.htm")
    assert (caught.value.line, caught.value.reason) == (
        3,
        "no title: the closing block comes first",
    )


def test_photo_page_without_caption():
    with pytest.raises(ParseError) as caught:
        parse("Photo\n \n \nClose\n", source="P2023110300392_photo_1.htm")
    assert caught.value.reason == "photo page without a caption"
    assert caught.value.source == "P2023110300392_photo_1.htm"


def test_error_without_source_says_text():
    with pytest.raises(ParseError, match=r"^<text>, line 1: the file is empty$"):
        parse("")
