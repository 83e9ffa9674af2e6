"""What a file name says: reference, page kind, photo number."""

from __future__ import annotations

import pytest

from pressroom.wire import PageKind, reference_from_filename


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("P201101280267.htm", ("P201101280267", PageKind.RELEASE, None)),  # 4-digit serial, 2011
        ("P2019110100500.htm", ("P2019110100500", PageKind.RELEASE, None)),  # 5-digit serial
        ("P2020012000251p.htm", ("P2020012000251", PageKind.RELEASE, None)),  # Chinese 'p'
        (
            "/gia/general/202311/03/P2023110300392_print.htm",
            ("P2023110300392", PageKind.RELEASE, None),
        ),
        ("P2023110300392_photo_3.htm", ("P2023110300392", PageKind.PHOTO, 3)),
        ("P2020012000251p_photo_1.htm", ("P2020012000251", PageKind.PHOTO, 1)),
        ("archive\\201101\\28\\P201101280267.html", ("P201101280267", PageKind.RELEASE, None)),
        ("/gia/wr/202208/25/P2022082500123.htm", ("P2022082500123", PageKind.WEATHER, None)),
        ("000_794770668342d17e.txt", (None, PageKind.RELEASE, None)),
        ("notes.txt", (None, PageKind.RELEASE, None)),
    ],
)
def test_reference_from_filename(name, expected):
    assert reference_from_filename(name) == expected


@pytest.mark.parametrize(
    "name",
    [
        "P2011013100267x.htm",  # unknown suffix
        "P2023023000392.htm",  # February 30 is no date
        "P20191101005.htm",  # too short for any era
        "P201911010050.htm",  # a 4-digit serial after 2012
        "P2010110100500.htm",  # a 5-digit serial before 2012
    ],
)
def test_names_that_hold_no_reference(name):
    reference, _, _ = reference_from_filename(name)
    assert reference is None
